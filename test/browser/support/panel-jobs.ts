// Jobs run through the plugin's panel on the playground, as a user runs them, for the tests that watch the engine
// survive GPU faults (faults.test.ts on WebGL, webgpu-engine.test.ts on WebGPU).
import { worstInversionError, type LayerInfo, type Pixels, type PlaygroundSession } from './playground-page';

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
