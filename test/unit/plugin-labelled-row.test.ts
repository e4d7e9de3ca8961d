// A 'labelled-row' result (Reconstruct's layer sweep) in the sandbox: a new frame beside the source, an auto-layout
// row of one column per cell — the cell's own image, its label under it — in the order of the labels; one undo
// removes it; a result whose images do not match its labels is refused and leaves nothing.
import type { DoubleFrame, DoubleRectangle, DoubleText } from '../../playground/figma-double';
import { png, runJob, sent, startPastiche } from '../../playground/figma-double/node-harness';
import { splitIntoColumns } from '../../techniques/geometry';

const sweep = { technique: 'reconstruct', params: { sweep: true, size: 64 } } as const;
const LAYERS = ['relu1_2', 'relu2_2', 'relu3_2', 'relu3_4'];

async function sweepResult(cells = LAYERS, regions = splitIntoColumns(256, 48, LAYERS.length)) {
  const d = await startPastiche();
  const photo = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 400, height: 300, rgba: { width: 4, height: 3, data: new Uint8ClampedArray(48).fill(200) } });
  const input = await runJob(d, [photo], { job: sweep });
  const tiles = regions.map((r, i) => ({ ...r, png: png(r.width, r.height, () => [i * 60, 0, 0, 255]) }));
  await d.deliverToPlugin({ type: 'job-result', id: input.id, sourceId: photo.id, job: input.job, placement: 'beside', width: 256, height: 48, tiles, facts: { stepsRun: 40, cells } });
  return { d, photo, input };
}

test('a sweep becomes a frame beside the source: one labelled column per layer, shallow to deep; one undo removes it', async () => {
  const { d, photo, input } = await sweepResult();
  const done = sent(d, 'job-done').find((m) => m.id === input.id)!;
  const row = (await d.api.getNodeByIdAsync(done.resultId)) as DoubleFrame;
  expect(row.type).toBe('FRAME');
  expect(row.layoutMode).toBe('HORIZONTAL');
  expect(row.name).toBe('Photo — Reconstruct (vgg19 every layer, 40 steps)');
  expect(row.x).toBeGreaterThanOrEqual(photo.x + photo.width); // beside, not over
  const columns = row.children as DoubleFrame[];
  expect(columns.map((c) => c.name)).toEqual(LAYERS);
  let right = -Infinity;
  for (const [i, column] of columns.entries()) {
    const [image, caption] = column.children as [DoubleRectangle, DoubleText];
    expect(image.fills[0]).toMatchObject({ type: 'IMAGE', scaleMode: 'FILL' });
    expect([image.width, image.height]).toEqual([64, 48]); // one document unit per result pixel
    expect(caption.type).toBe('TEXT');
    expect(caption.characters).toBe(LAYERS[i]);
    expect(caption.absoluteBoundingBox.y).toBeGreaterThanOrEqual(image.absoluteBoundingBox.y + image.height); // under its image
    const box = column.absoluteBoundingBox;
    expect(box.x).toBeGreaterThan(right); // left to right, no overlaps
    right = box.x + box.width;
    expect(right).toBeLessThanOrEqual(row.absoluteBoundingBox.x + row.width);
  }
  // Each column shows its own cell of the result (the tiles were coloured by index).
  const red = async (node: DoubleRectangle) => (await node.exportAsync()).length > 0 && d.api.images.get((node.fills[0] as ImagePaint).imageHash!);
  expect(new Set(await Promise.all(columns.map((c) => red(c.children[0] as DoubleRectangle)))).size).toBe(4);
  expect(d.undo()).toBe(true);
  expect(row.removed).toBe(true);
});

test('images that do not match the labels: refused, nothing added', async () => {
  const { d, input } = await sweepResult(LAYERS.slice(0, 3));
  expect(sent(d, 'job-error').at(-1)).toMatchObject({ id: input.id, error: { code: 'bad-input' } });
  expect(d.api.currentPage.children.map((n) => n.name)).toEqual(['Photo']);
});

test('filters wrap into a labelled grid, 8 cells a row, in the order of the labels', async () => {
  const d = await startPastiche();
  const photo = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 400, height: 300, rgba: { width: 4, height: 3, data: new Uint8ClampedArray(48).fill(200) } });
  const input = await runJob(d, [photo], { job: { technique: 'filters', params: { model: 'darknet', responses: false } } });
  const labels = Array.from({ length: 20 }, (_, i) => `#${i}`);
  const regions = splitIntoColumns(20 * 72, 72, 20);
  const tiles = regions.map((r) => ({ ...r, png: png(r.width, r.height) }));
  await d.deliverToPlugin({ type: 'job-result', id: input.id, sourceId: photo.id, job: input.job, placement: 'beside', width: 20 * 72, height: 72, tiles, facts: { cells: labels } });
  const done = sent(d, 'job-done').find((m) => m.id === input.id);
  if (!done) throw new Error(JSON.stringify(sent(d, 'job-error').at(-1)));
  const grid = (await d.api.getNodeByIdAsync(done.resultId)) as DoubleFrame;
  expect(grid.layoutWrap).toBe('WRAP');
  const columns = grid.children as DoubleFrame[];
  expect(columns.map((c) => c.name)).toEqual(labels);
  const rowOf = (i: number) => columns[i].y;
  expect(new Set(columns.slice(0, 8).map((c) => c.y)).size).toBe(1);
  expect(rowOf(8)).toBeGreaterThan(rowOf(7));
  expect(rowOf(16)).toBeGreaterThan(rowOf(8));
  expect(columns[8].x).toBe(columns[0].x);
  for (const column of columns) expect(column.x + column.width).toBeLessThanOrEqual(grid.width);
  expect(columns[19].y + columns[19].height).toBeLessThanOrEqual(grid.height);
});
