// Where a host gives the UI no Web Worker, the engine starts in the UI iframe itself and still runs jobs (on the backend
// it chooses there: WASM over this machine's software WebGL): the same invert job as the round trip, same pixels.
import { PlaygroundSession, worstInversionError } from './support/playground-page';

jest.setTimeout(300_000);

let session: PlaygroundSession;

beforeAll(async () => {
  session = await PlaygroundSession.open({ withoutWorkers: true });
});

afterAll(async () => {
  await session?.close();
});

test('without workers the engine runs TF.js in the iframe', async () => {
  expect(await session.engineLabel()).toMatch(/^(webgl|wasm) in iframe$/);
});

test('invert runs there: a new layer with inverted pixels', async () => {
  const before = await session.layers();
  const source = before.find((layer) => layer.name === 'Coffee')!;
  await session.clickLayer('Coffee');
  await session.openPanel('Basics');
  await session.ui.getByTestId('run').click();
  await session.ui.getByTestId('job-done').waitFor({ timeout: 120_000 });

  const added = await session.newLayers(before);
  expect(added.map((layer) => layer.name)).toEqual(['Coffee — Invert']);
  const sourcePixels = await session.pixels(source.id);
  const resultPixels = await session.pixels(added[0].id);
  expect(worstInversionError(sourcePixels, resultPixels)).toBeLessThanOrEqual(2);
});
