// The engine's choice of backend in Debian Chromium on the playground, without WebGPU (webgpu-engine.test.ts has it),
// where WebGL is SwiftShader (a software renderer, on 2 cores): automatic measures WebGL against WASM and chooses WASM, the panel says "Running on CPU" and
// the calibration is stored by renderer; the "Compute on" setting forces the GPU (a job runs on WebGL) and back;
// reopening the plugin uses the stored choice without measuring again.
import { PlaygroundSession, worstInversionError } from './support/playground-page';
import { drill, engineWorker } from './support/engine-faults';
import type { Settings } from '../../plugin/messages';
import { SETTINGS_KEY } from '../../plugin/settings';

jest.setTimeout(300_000);

let session: PlaygroundSession;

beforeAll(async () => {
  session = await PlaygroundSession.open();
});

afterAll(async () => {
  await session?.close();
});

const status = () => session.ui.getByTestId('engine');

/** The settings the sandbox stored, once `ready` holds for them (saves are debounced). */
async function storedSettings(ready: (settings: Partial<Settings>) => boolean): Promise<Partial<Settings>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stored = (await session.page.evaluate((key) => (window as any).pastiche.double.api.clientStorage.map.get(key), SETTINGS_KEY)) as Partial<Settings> | undefined;
    if (stored && ready(stored)) return stored;
    if (Date.now() > deadline) throw new Error(`settings never became as expected: ${JSON.stringify(stored)}`);
    await session.page.waitForTimeout(100);
  }
}

/** Clicks a "Compute on" choice and waits for the engine's answer: the label, and why (the label alone may already
 *  be showing, from the choice before). */
async function computeOn(value: 'auto' | 'gpu' | 'cpu', label: 'Running on GPU' | 'Running on CPU', reason: 'setting' | 'remembered' = 'setting'): Promise<void> {
  // The library's segments are labels around hidden radio inputs: the label is what a user clicks.
  await session.ui.locator('label').filter({ has: session.ui.locator(`input[data-testid="compute"][value="${value}"]`) }).click();
  await session.ui.locator(`[data-testid="engine"][data-reason="${reason}"]`).filter({ hasText: label }).waitFor({ timeout: 60_000 });
}

test('automatic: the calibration chooses WASM over software WebGL, says "Running on CPU" and is stored by renderer', async () => {
  expect(await status().innerText()).toBe('Running on CPU');
  expect(await session.engineLabel()).toBe('wasm in worker');
  expect(await status().getAttribute('data-reason')).toBe('measured');
  const details = (await status().getAttribute('title')) ?? '';
  console.log(`calibration: ${details}`);
  expect(details).toMatch(/^wasm in worker · measured: WebGL (over )?[\d.]+ ms, WASM [\d.]+ ms · ANGLE .*SwiftShader/);
  const stored = await storedSettings((settings) => (settings.calibrations?.length ?? 0) > 0);
  expect(stored.calibrations).toEqual([{ renderer: expect.stringMatching(/SwiftShader/), gpu: 'webgl', backend: 'wasm', gpuMs: expect.any(Number), wasmMs: expect.any(Number), gpuFinished: expect.any(Boolean) }]);
  expect(stored.compute).toBeUndefined();
});

test('Compute on GPU moves the engine to WebGL, where a job runs; Automatic comes back to WASM without measuring again', async () => {
  await computeOn('gpu', 'Running on GPU');
  expect(await session.engineLabel()).toBe('webgl in worker');
  expect(await drill(engineWorker(session), 'backend')).toBe('webgl');
  expect((await storedSettings((settings) => settings.compute === 'gpu')).calibrations).toHaveLength(1);

  // The smallest layer: SwiftShader is slow.
  const before = await session.layers();
  const brick = before.find((layer) => layer.name === 'Brick')!;
  await session.clickLayer('Brick');
  await session.openPanel('Basics');
  await session.ui.getByTestId('run').click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 120_000 });
  const added = await session.newLayers(before);
  expect(added.map((layer) => layer.name)).toEqual(['Brick — Invert']);
  expect(worstInversionError(await session.pixels(brick.id), await session.pixels(added[0].id))).toBeLessThanOrEqual(2);

  await computeOn('cpu', 'Running on CPU');
  await computeOn('auto', 'Running on CPU', 'remembered');
  expect(await drill(engineWorker(session), 'backend')).toBe('wasm');
  await storedSettings((settings) => settings.compute === 'auto');
});

test('reopening the plugin ("Apply again") uses the stored choice: nothing is measured again', async () => {
  await session.clickLayer('Brick — Invert');
  await session.page.locator('#relaunch').click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 120_000 });
  expect(await status().innerText()).toBe('Running on CPU');
  expect(await status().getAttribute('data-reason')).toBe('remembered');
});
