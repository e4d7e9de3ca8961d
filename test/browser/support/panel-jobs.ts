// Jobs run through the plugin's panel on the playground, as a user runs them, for the tests that watch the engine
// survive GPU faults (faults.test.ts on WebGL, webgpu-engine.test.ts on WebGPU), and the fault scenarios both run.
import { worstInversionError, type LayerInfo, type Pixels, type PlaygroundSession } from './playground-page';
import { drill, engineWorker } from './engine-faults';
import { GPU_FAULT_NOTICE, SMALLER_TILES_NOTICE } from '../../../ui/engine/gpu-fallback';

/** Largest per-channel difference between two images of the same size. */
export function worstDifference(a: Pixels, b: Pixels): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  return worst;
}

export async function chooseBlur(session: PlaygroundSession, radius: number): Promise<void> {
  await session.openPanel('Basics');
  await session.ui.getByTestId('technique').click();
  await session.ui.getByText('Blur', { exact: true }).last().click();
  await session.ui.locator('input[type=range]').last().fill(String(radius));
}

/**
 * Runs the panel's job on `layer` and waits for the panel's verdict: the layers added, or the error shown.
 * `whileRunning` is called once `running` resolves: by default once the panel shows a pass of the job (it is on the
 * GPU now, not queued).
 */
export async function runOn(
  session: PlaygroundSession,
  layer: string,
  whileRunning?: () => Promise<void>,
  running: () => Promise<unknown> = () => session.ui.getByText(/pass \d+ of \d+/).first().waitFor({ timeout: 120_000 }),
): Promise<{ added: LayerInfo[]; error?: string }> {
  const before = await session.layers();
  await session.clickLayer(layer);
  await session.ui.getByTestId('run').click();
  if (whileRunning) {
    await running();
    await whileRunning();
  }
  const verdict = session.ui.getByTestId('job-done').or(session.ui.getByTestId('job-error'));
  await verdict.waitFor({ timeout: 240_000 });
  const error = (await session.ui.getByTestId('job-error').count()) > 0 ? await session.ui.getByTestId('job-error').innerText() : undefined;
  await session.page.waitForTimeout(300); // the sandbox writes the layer after the panel's banner
  return { added: await session.newLayers(before), ...(error !== undefined ? { error } : {}) };
}

/** Inverts Coffee through the panel: the check that the plugin still works after a fault. */
export async function invertStillWorks(session: PlaygroundSession): Promise<void> {
  await session.openPanel('Basics');
  await session.ui.getByTestId('technique').click();
  await session.ui.getByText('Invert', { exact: true }).last().click();
  const coffee = (await session.layers()).find((layer) => layer.name === 'Coffee')!;
  const { added, error } = await runOn(session, 'Coffee');
  expect(error).toBeUndefined();
  expect(added.map((layer) => layer.name)).toEqual(['Coffee — Invert']);
  expect(worstInversionError(await session.pixels(coffee.id), await session.pixels(added[0].id))).toBeLessThanOrEqual(2);
}

/** The GPU backend a session computes on by the setting, and how its out-of-memory is caused once: WebGL throws
 *  from an allocation; WebGPU mostly reports it as an event, with no exception. */
export interface GpuUnderTest {
  backend: 'webgl' | 'webgpu';
  outOfMemoryOnce: 'failNextGpuAllocation' | 'reportGpuOutOfMemory';
}

/** GPU out of memory under a blur job: it runs again on the GPU in smaller tiles, says so (and not that it moved to
 *  the CPU), stays on the GPU, and paints the same picture. */
export async function outOfMemoryRetriedInSmallerTiles(session: PlaygroundSession, progressLines: () => Promise<string[]>, gpu: GpuUnderTest): Promise<void> {
  await chooseBlur(session, 6);
  const worker = engineWorker(session);
  const onGpu = await runOn(session, 'Brick');
  expect(onGpu.added).toHaveLength(1);
  expect(await drill(worker, gpu.outOfMemoryOnce)).toBe(true);
  const retried = await runOn(session, 'Brick');
  expect(retried.error).toBeUndefined();
  expect(retried.added).toHaveLength(1);
  const lines = await progressLines();
  expect(lines.some((line) => line.includes(SMALLER_TILES_NOTICE))).toBe(true);
  expect(lines.some((line) => line.includes(GPU_FAULT_NOTICE['out-of-memory']))).toBe(false);
  expect(await drill(worker, 'backend')).toBe(gpu.backend);
  expect(worstDifference(await session.pixels(retried.added[0].id), await session.pixels(onGpu.added[0].id))).toBeLessThanOrEqual(2);
}

/** Out of memory in the smaller tiles too: the job finishes on the CPU and says so, the engine is back on the GPU,
 *  where the same job paints the same picture. */
export async function outOfMemoryTwiceFinishesOnCpu(session: PlaygroundSession, progressLines: () => Promise<string[]>, gpu: GpuUnderTest): Promise<void> {
  await chooseBlur(session, 6);
  const worker = engineWorker(session);
  // Thrown allocation failures, on both backends: two of them fail the try and its retry in smaller tiles.
  expect(await drill(worker, 'failNextGpuAllocation')).toBe(true);
  expect(await drill(worker, 'failNextGpuAllocation')).toBe(true);
  const onCpu = await runOn(session, 'Brick');
  expect(onCpu.error).toBeUndefined();
  expect(onCpu.added).toHaveLength(1);
  expect((await progressLines()).some((line) => line.includes(GPU_FAULT_NOTICE['out-of-memory']))).toBe(true);
  expect(await drill(worker, 'backend')).toBe(gpu.backend);
  const onGpu = await runOn(session, 'Brick');
  expect(onGpu.added).toHaveLength(1);
  expect(worstDifference(await session.pixels(onCpu.added[0].id), await session.pixels(onGpu.added[0].id))).toBeLessThanOrEqual(2);
}
