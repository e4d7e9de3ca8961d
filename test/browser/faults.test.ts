// Faults the plugin survives, in Debian Chromium on the playground with the real plugin and engine (faults are caused
// with the engine's fault drill, ui/engine/fault-drill.ts, or by breaking its worker from outside):
//  - the GPU out of memory: the job runs again on the GPU in smaller tiles, its progress line says why; out of memory
//    again: it finishes on the CPU (WASM) and says so, and the next job is back on the GPU;
//  - the WebGL context lost in the middle of a job: the job finishes on the CPU and says so; later jobs run there,
//    and Cancel still stops them at once;
//  - the engine's worker crashes during a job: the job fails with one line, a new worker starts, the next job works;
//  - the engine's worker hangs: the heartbeat notices, the job fails the same way, a new engine runs the next job;
//  - without workers (engine in the iframe), a lost context is survived the same way.
// Images are the playground's small layers and jobs are short: SwiftShader's WebGL is slow. The same faults on WebGPU:
// webgpu-engine.test.ts.
import { PlaygroundSession } from './support/playground-page';
import { chooseBlur, invertStillWorks, outOfMemoryRetriedInSmallerTiles, outOfMemoryTwiceFinishesOnCpu, runOn, worstDifference, type GpuUnderTest } from './support/panel-jobs';
import { crashWorker, drill, engineWorker, hangWorker, recordProgressLines } from './support/engine-faults';
import { EngineHarnessPage, pluginFrame } from './support/engine-harness';
import { ENGINE_LOST } from '../../ui/runner/engine-supervisor';
import { GPU_FAULT_NOTICE } from '../../ui/engine/gpu-fallback';

jest.setTimeout(600_000);

const WEBGL: GpuUnderTest = { backend: 'webgl', outOfMemoryOnce: 'failNextGpuAllocation' };

describe('the engine in a worker', () => {
  let session: PlaygroundSession;
  let progressLines: () => Promise<string[]>;

  beforeAll(async () => {
    // On the GPU by the setting: automatic chooses WASM over this machine's software WebGL.
    session = await PlaygroundSession.open({ compute: 'gpu' });
    progressLines = await recordProgressLines(session);
    expect(await session.engineLabel()).toBe('webgl in worker');
  });

  afterAll(async () => {
    await session?.close();
  });

  test('GPU out of memory: the job runs again on the GPU in smaller tiles and says so', () => outOfMemoryRetriedInSmallerTiles(session, progressLines, WEBGL));

  test('GPU out of memory in smaller tiles too: the job finishes on the CPU, says so, and the next job is back on the GPU', () =>
    outOfMemoryTwiceFinishesOnCpu(session, progressLines, WEBGL));

  test('WebGL context lost during a job: the job finishes on the CPU and says so; the plugin keeps working', async () => {
    await chooseBlur(session, 24);
    const worker = engineWorker(session);
    const reference = await runOn(session, 'Brick');
    const lost = await runOn(session, 'Brick', async () => {
      expect(await drill(worker, 'loseWebGLContext')).toBe(true);
    });
    expect(lost.error).toBeUndefined();
    expect(lost.added).toHaveLength(1);
    // The retry's lines all start with the notice; how many there are depends on how fast the CPU is (a few a second).
    const lines = await progressLines();
    const retryStarts = lines.findIndex((line) => line.includes(GPU_FAULT_NOTICE['context-lost']));
    expect(retryStarts).toBeGreaterThan(-1);
    expect(lines.slice(retryStarts).filter((line) => !line.includes(GPU_FAULT_NOTICE['context-lost']))).toEqual([]);
    expect(worstDifference(await session.pixels(lost.added[0].id), await session.pixels(reference.added[0].id))).toBeLessThanOrEqual(2);
    // The GPU is gone for this engine: later jobs run on WASM, and the status line says so.
    expect(await drill(worker, 'backend')).toBe('wasm');
    await session.ui.getByTestId('engine').filter({ hasText: 'Running on CPU' }).waitFor({ timeout: 10_000 });
    expect(await session.engineLabel()).toBe('wasm in worker');
    await invertStillWorks(session);
  });

  test('on the CPU after the GPU was lost, Cancel still stops a long job within seconds', async () => {
    expect(await drill(engineWorker(session), 'backend')).toBe('wasm');
    await chooseBlur(session, 256); // 24576 passes: tens of seconds on WASM
    const before = await session.layers();
    await session.clickLayer('Brick');
    await session.ui.getByTestId('run').click();
    await session.ui.getByText(/pass \d+ of 24576/).first().waitFor({ timeout: 120_000 });
    await session.ui.getByTestId('cancel').click();
    const cancelledAt = Date.now();
    await session.ui.getByTestId('job-status').filter({ hasText: 'Cancelled.' }).waitFor({ timeout: 60_000 });
    // The engine heard the cancel at the job's next read, not at its end (the whole job takes ~30 s here).
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    await session.page.waitForTimeout(500);
    expect(await session.newLayers(before)).toEqual([]);
  });

  test('the worker crashes during a job: the job fails in one line, a new engine runs the next job', async () => {
    await chooseBlur(session, 256); // long on the CPU, where the lost GPU left this engine
    const crashed = engineWorker(session);
    const replacement = session.page.waitForEvent('worker', { timeout: 120_000 });
    const { added, error } = await runOn(session, 'Brick', () => crashWorker(crashed));
    expect(error).toBe(ENGINE_LOST.message);
    expect(added).toEqual([]);
    const worker = await replacement;
    expect(worker).not.toBe(crashed);
    await invertStillWorks(session);
    // The new engine has the GPU again.
    expect(await drill(engineWorker(session), 'backend')).toBe('webgl');
  });
});

describe('a hung engine', () => {
  let session: PlaygroundSession;

  beforeAll(async () => {
    session = await PlaygroundSession.open();
  });

  afterAll(async () => {
    await session?.close();
  });

  test('the heartbeat notices, the job fails in one line, and a new engine runs the next job', async () => {
    // A second engine in the plugin's iframe, through the real engine host and JobRunner, with a short heartbeat.
    const harness = await EngineHarnessPage.start(session, { supervision: { heartbeatMs: 500, silenceMs: 4_000 }, compute: 'gpu' });
    const hung = harness.worker!;
    const blur = { technique: 'blur' as const, params: { radius: 256 } };
    const running = harness.newWorker(() => harness.run({ job: blur, size: 64 }));
    await session.page.waitForTimeout(1_500);
    await hangWorker(hung);
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, detail: `backend: ${ENGINE_LOST.message}` });
    expect(harness.worker).not.toBe(hung);
    const next = await harness.run({ job: { technique: 'invert', params: { amount: 1 } }, size: 32 });
    expect(next).toMatchObject({ ok: true, detail: '32x32 in 1 tile(s)' });
    expect(await harness.whereabouts()).toEqual({ where: 'worker', backend: 'webgl' });
  });
});

describe('the engine in the iframe (no workers)', () => {
  let session: PlaygroundSession;

  beforeAll(async () => {
    session = await PlaygroundSession.open({ withoutWorkers: true, compute: 'gpu' });
  });

  afterAll(async () => {
    await session?.close();
  });

  test('WebGL context lost during a job: the job finishes on the CPU and says so; the plugin keeps working', async () => {
    expect(await session.engineLabel()).toBe('webgl in iframe');
    const progressLines = await recordProgressLines(session);
    await chooseBlur(session, 24);
    const frame = pluginFrame(session);
    const lost = await runOn(session, 'Brick', async () => {
      expect(await drill(frame, 'loseWebGLContext')).toBe(true);
    });
    expect(lost.error).toBeUndefined();
    expect(lost.added).toHaveLength(1);
    expect((await progressLines()).some((line) => line.includes(GPU_FAULT_NOTICE['context-lost']))).toBe(true);
    expect(await drill(frame, 'backend')).toBe('wasm');
    await invertStillWorks(session);
  });
});
