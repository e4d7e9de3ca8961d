// The plugin's round trip in Debian Chromium, on the playground: select a layer, run a job, a new layer with
// the expected pixels appears; cancel stops a job and adds nothing. TF.js runs on the backend the engine chooses by
// itself (here WASM over SwiftShader's software WebGL; test/browser/backend.test.ts checks the choice).
import { PlaygroundSession, worstInversionError, type LayerInfo } from './support/playground-page';

jest.setTimeout(300_000);

let session: PlaygroundSession;

beforeAll(async () => {
  session = await PlaygroundSession.open();
});

afterAll(async () => {
  await session?.close();
});

test('the engine runs TF.js in a Web Worker', async () => {
  expect(await session.engineLabel()).toMatch(/^(webgl|wasm) in worker$/);
});

test('invert: a new layer beside the source with inverted pixels, the source untouched', async () => {
  const before = await session.layers();
  const source = before.find((layer) => layer.name === 'Coffee')!;
  const sourcePixelsBefore = await session.pixels(source.id);

  await session.clickLayer('Coffee');
  await session.openPanel('Basics');
  await session.ui.getByTestId('run').click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 120_000 });

  const added = await session.newLayers(before);
  expect(added).toHaveLength(1);
  const result = added[0];
  expect(result.name).toBe('Coffee — Invert');
  expect({ x: result.x, y: result.y, width: result.width, height: result.height }).toEqual({
    x: source.x + source.width + 24,
    y: source.y,
    width: source.width,
    height: source.height,
  });

  const sourcePixels = await session.pixels(source.id);
  const resultPixels = await session.pixels(result.id);
  expect(sourcePixels.data).toEqual(sourcePixelsBefore.data);
  expect([resultPixels.width, resultPixels.height]).toEqual([sourcePixels.width, sourcePixels.height]);
  expect(worstInversionError(sourcePixels, resultPixels)).toBeLessThanOrEqual(2);
});

test('"Apply again" on a result re-runs its settings on its source, from a fresh start of the plugin', async () => {
  const before = await session.layers();
  const firstResult = before.find((layer) => layer.name === 'Coffee — Invert')!;
  await session.clickLayer('Coffee — Invert');
  const relaunch = session.page.locator('#relaunch');
  await expect(relaunch.textContent()).resolves.toBe('Apply again: Invert');
  await relaunch.click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 120_000 });
  const added = await session.newLayers(before);
  expect(added.map((layer) => layer.name)).toEqual(['Coffee — Invert']);
  expect(await session.pixels(added[0].id)).toEqual(await session.pixels(firstResult.id));
});

test('cancel stops a long job: no new layer, the panel says so', async () => {
  const before: LayerInfo[] = await session.layers();
  await session.clickLayer('Astronaut');
  await session.openPanel('Basics');
  await session.ui.getByTestId('technique').click();
  await session.ui.getByText('Blur', { exact: true }).last().click();
  // The largest radius: thousands of passes, long enough to cancel on the CPU too.
  await session.ui.locator('input[type=range]').last().fill('256');
  await session.ui.getByTestId('run').click();
  await session.ui.getByText(/pass \d+ of \d+/).waitFor({ timeout: 120_000 });
  await session.ui.getByTestId('cancel').click();
  await session.ui.getByTestId('job-status').filter({ hasText: 'Cancelled.' }).waitFor({ timeout: 60_000 });
  await session.page.waitForTimeout(500);
  expect(await session.newLayers(before)).toHaveLength(0);
});
