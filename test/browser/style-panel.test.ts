// The Style panel in the playground, on the real networks and the WebGL backend: a preset, another layer as the
// style (with content/style roles and swap), and an optimization stopped early that keeps its best image.
import { PlaygroundSession, type LayerInfo, type Pixels } from './support/playground-page';

jest.setTimeout(600_000);

let session: PlaygroundSession;

beforeAll(async () => {
  session = await PlaygroundSession.open();
});

afterAll(async () => {
  await session?.close();
});

function meanAbsoluteDifference(a: Pixels, b: Pixels): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i + c] - b.data[i + c]);
  return sum / ((a.data.length / 4) * 3);
}

async function applyAndWait(before: LayerInfo[]): Promise<LayerInfo[]> {
  await session.ui.getByTestId('run').click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 300_000 });
  return session.newLayers(before);
}

test('a painting preset: a stylized copy beside the source, named with the style', async () => {
  const before = await session.layers();
  const brick = before.find((layer) => layer.name === 'Brick')!;
  await session.clickLayer('Brick');
  await session.openPanel('Style');
  await session.ui.getByTestId('preset-great_wave').click();
  const [result] = await applyAndWait(before);
  expect(result.name).toBe('Brick — Style (Great Wave)');
  expect([result.x, result.y, result.width, result.height]).toEqual([brick.x + brick.width + 24, brick.y, brick.width, brick.height]);
  // The Great Wave's blues on a grey brick wall: far from the source.
  expect(meanAbsoluteDifference(await session.pixels(result.id), await session.pixels(brick.id))).toBeGreaterThan(20);
});

test('another layer as the style: roles shown, swappable, one result for the content only', async () => {
  const before = await session.layers();
  await session.clickLayer('Brick');
  await session.clickLayer('Coffee', true);
  await session.ui.getByTestId('preset-layer').click();
  const roles = session.ui.getByTestId('roles');
  await expect(roles.textContent()).resolves.toMatch(/Content: Brick · Style: Coffee/);
  await session.ui.getByTestId('swap-roles').click();
  await expect(roles.textContent()).resolves.toMatch(/Content: Coffee · Style: Brick/);
  await session.ui.getByTestId('swap-roles').click();
  const added = await applyAndWait(before);
  expect(added.map((layer) => layer.name)).toEqual(['Brick — Style (style of Coffee)']);
});

test('Gatys: live preview, then "Stop and keep" turns the best image so far into the result', async () => {
  const before = await session.layers();
  await session.clickLayer('Brick');
  await session.ui.getByTestId('preset-starry_night').click();
  await session.ui.getByText('Detailed', { exact: true }).click();
  await session.ui.getByTestId('run').click();
  await session.ui.locator('canvas.pastiche-preview').waitFor({ timeout: 400_000 });
  await session.ui.getByTestId('finish-early').click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 120_000 });
  const added = await session.newLayers(before);
  expect(added).toHaveLength(1);
  expect(added[0].name).toMatch(/^Brick — Style \(Starry Night, detailed, \d+ steps? of 60\)$/);
});
