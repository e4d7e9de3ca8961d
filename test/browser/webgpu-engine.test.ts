// The engine on WebGPU, in Debian Chromium with its SwiftShader WebGPU adapter (playground/chromium.ts), with the real
// plugin on the playground:
//  - automatic: the calibration measures WebGPU (not WebGL) against WASM, recognises the fallback adapter and keeps
//    WASM; the tooltip names the adapter; the calibration is stored under the adapter's name;
//  - "Compute on: GPU" means WebGPU where there is an adapter (the engine's worker has one: ui/runner/secure-worker.ts);
//  - the GPU faults of faults.test.ts, on WebGPU: out of memory reported as WebGPU reports it (an event, no exception)
//    -> smaller tiles on the GPU; out of memory twice -> the CPU for that job, then WebGPU again; the device lost
//    during a job -> the job finishes on the CPU, and the engine stays there.
// Jobs are the Basics panel's, on the smallest sample layer: SwiftShader computes WebGPU on the CPU.
import { PlaygroundSession } from './support/playground-page';
import { chooseBlur, invertStillWorks, outOfMemoryRetriedInSmallerTiles, outOfMemoryTwiceFinishesOnCpu, runOn, worstDifference, type GpuUnderTest } from './support/panel-jobs';
import { drill, engineWorker, recordProgressLines } from './support/engine-faults';
import { GPU_FAULT_NOTICE } from '../../ui/engine/gpu-fallback';
import { SETTINGS_KEY } from '../../plugin/settings';

jest.setTimeout(600_000);

const SWIFTSHADER_ADAPTER = 'WebGPU google swiftshader (fallback adapter)';
const WEBGPU: GpuUnderTest = { backend: 'webgpu', outOfMemoryOnce: 'reportGpuOutOfMemory' };

describe('automatic, where WebGPU has an adapter', () => {
  let session: PlaygroundSession;

  beforeAll(async () => {
    session = await PlaygroundSession.open({ webgpu: true });
  });

  afterAll(async () => {
    await session?.close();
  });

  test('WebGPU is measured against WASM, the fallback adapter loses, and the figure is stored by adapter', async () => {
    const status = session.ui.getByTestId('engine');
    expect(await status.innerText()).toBe('Running on CPU');
    expect(await session.engineLabel()).toBe('wasm in worker');
    const details = (await status.getAttribute('title')) ?? '';
    console.log(`calibration: ${details}`);
    expect(details).toMatch(/^wasm in worker · measured: WebGPU (over )?[\d.]+ ms, WASM [\d.]+ ms · /);
    expect(details.endsWith(SWIFTSHADER_ADAPTER)).toBe(true);
    // The first calibration stored in the settings (saves are debounced).
    const entry = await session.page
      .waitForFunction((key) => (window as any).pastiche.double.api.clientStorage.map.get(key)?.calibrations?.[0] ?? null, SETTINGS_KEY, { timeout: 10_000 })
      .then((handle) => handle.jsonValue());
    expect(entry).toEqual({ renderer: SWIFTSHADER_ADAPTER, gpu: 'webgpu', backend: 'wasm', gpuMs: expect.any(Number), wasmMs: expect.any(Number), gpuFinished: expect.any(Boolean) });
  });
});

describe('Compute on GPU: WebGPU, and the faults it survives', () => {
  let session: PlaygroundSession;
  let progressLines: () => Promise<string[]>;

  beforeAll(async () => {
    session = await PlaygroundSession.open({ webgpu: true, compute: 'gpu' });
    progressLines = await recordProgressLines(session);
  });

  afterAll(async () => {
    await session?.close();
  });

  test('the engine computes on WebGPU in its worker, and the tooltip says so', async () => {
    expect(await session.engineLabel()).toBe('webgpu in worker');
    expect(await session.ui.getByTestId('engine').getAttribute('title')).toBe(`webgpu in worker · by the setting · ${SWIFTSHADER_ADAPTER}`);
    expect(await drill(engineWorker(session), 'backend')).toBe('webgpu');
  });

  test('out of memory, reported as WebGPU reports it: the job runs again on the GPU in smaller tiles, same result', () =>
    outOfMemoryRetriedInSmallerTiles(session, progressLines, WEBGPU));

  test('out of memory in smaller tiles too: the job finishes on the CPU, says so, and the next job is back on WebGPU', () =>
    outOfMemoryTwiceFinishesOnCpu(session, progressLines, WEBGPU));

  test('the WebGPU device lost during a job: the job finishes on the CPU and says so; the plugin keeps working', async () => {
    await chooseBlur(session, 12);
    const worker = engineWorker(session);
    const reference = await runOn(session, 'Brick');
    // A pass line can be on screen for less than a locator's polling interval here: wait for it in the record.
    const linesBefore = (await progressLines()).length;
    const aPassReported = async () => {
      while (!(await progressLines()).slice(linesBefore).some((line) => /pass \d+ of \d+/.test(line))) await session.page.waitForTimeout(50);
    };
    const lost = await runOn(
      session,
      'Brick',
      async () => {
        expect(await drill(worker, 'loseWebGPUDevice')).toBe(true);
      },
      aPassReported,
    );
    expect(lost.error).toBeUndefined();
    expect(lost.added).toHaveLength(1);
    expect((await progressLines()).some((line) => line.includes(GPU_FAULT_NOTICE['context-lost']))).toBe(true);
    expect(worstDifference(await session.pixels(lost.added[0].id), await session.pixels(reference.added[0].id))).toBeLessThanOrEqual(2);
    // The device is gone for this engine: later jobs run on WASM, and the status line says so.
    expect(await drill(worker, 'backend')).toBe('wasm');
    await session.ui.getByTestId('engine').filter({ hasText: 'Running on CPU' }).waitFor({ timeout: 10_000 });
    await invertStillWorks(session);
  });
});
