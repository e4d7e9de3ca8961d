// Techniques over many layers in the sandbox (find similar, arrange by similarity), against the figma double: which
// layers are read and how small, progress and cancel while reading, and what the sandbox does with the answer —
// selects the best matches (nothing added), or builds a frame of copies on the grid (originals untouched, one undo
// removes it) — and that it refuses answers about layers it did not read.
import { ARRANGEMENT_KEY } from '../../plugin/collect-layers';
import type { MessageType, UiToPlugin } from '../../plugin/messages';
import { readPngSize } from '../../plugin/png-header';
import type { DoubleFrame, DoubleSceneNode, FigmaDouble } from '../../playground/figma-double';
import { rgba, sent, startPastiche } from '../../playground/figma-double/node-harness';
import { gridShape } from '../../techniques/tsne/grid';

type CollectionInput = ReturnType<typeof sent<'collection-input'>>[number];
let runs = 0;

const colour = (r: number, g: number, b: number) => rgba(64, 48, () => [r, g, b, 255]);

/** What the UI does on Run for a collection technique; returns the sandbox's collection-input (or throws its error). */
async function runCollection(d: FigmaDouble, selection: DoubleSceneNode[], job: { technique: 'similar' | 'arrange'; params: Record<string, unknown> }): Promise<CollectionInput> {
  const id = `collection-${++runs}`;
  d.select(...selection);
  await d.deliverToPlugin({ type: 'run-job', id, job, placement: 'beside' });
  const answer = d.uiMessages.find((m) => 'id' in m && m.id === id && (m.type === 'collection-input' || m.type === 'job-error'));
  if (!answer || answer.type !== 'collection-input') throw new Error(answer && answer.type === 'job-error' ? answer.error.message : `no answer to ${id}`);
  return answer;
}

function answer(input: CollectionInput, result: MessageType<UiToPlugin, 'collection-result'>['result']): MessageType<UiToPlugin, 'collection-result'> {
  return { type: 'collection-result', id: input.id, sourceId: input.anchor, job: input.job, result };
}

/** A page with a query photo and other layers of every kind the search must take or leave. */
async function pageOfPhotos() {
  const d = await startPastiche();
  const query = d.addImageLayer({ name: 'Query', x: 0, y: 0, width: 600, height: 400, rgba: colour(200, 30, 30) });
  const a = d.addImageLayer({ name: 'A', x: 700, y: 0, width: 300, height: 200, rgba: colour(190, 40, 30) });
  const board = d.addFrame({ name: 'Board', x: 0, y: 500, width: 800, height: 400 });
  const b = d.addImageLayer({ name: 'B (in a frame)', x: 10, y: 10, width: 320, height: 320, rgba: colour(20, 20, 220), parent: board });
  const hidden = d.addImageLayer({ name: 'Hidden', x: 1100, y: 0, width: 100, height: 100, rgba: colour(0, 0, 0), visible: false });
  const plain = d.addRectangle({ name: 'Plain rectangle', x: 1300, y: 0, width: 100, height: 100 });
  const arrangement = d.addFrame({ name: 'Old arrangement', x: 0, y: 1000, width: 300, height: 300 });
  d.api.journal.untracked(() => arrangement.setPluginData(ARRANGEMENT_KEY, '1')); // made "before the plugin ran"
  const copy = d.addImageLayer({ name: 'Copy in an arrangement', x: 0, y: 0, width: 100, height: 100, rgba: colour(200, 30, 30), parent: arrangement });
  return { d, query, a, b, hidden, plain, copy };
}

describe('find similar in the sandbox', () => {
  it('reads the query and every visible image layer of the page, small, with progress; selects the best matches and adds nothing', async () => {
    const { d, query, a, b } = await pageOfPhotos();
    const nodesBefore = d.api.currentPage.kids.length;
    const input = await runCollection(d, [query], { technique: 'similar', params: { top: 1 } });
    expect(input.query?.id).toBe(query.id);
    expect(input.items.map((item) => item.id).sort()).toEqual([a.id, b.id].sort());
    // The embedding's view (224 px on the short side), never the full layer, and never enlarged.
    for (const layer of [input.query!, ...input.items]) {
      const size = readPngSize(layer.png)!;
      expect(Math.min(size.width, size.height)).toBe(Math.min(224, Math.round(Math.min(layer.width, layer.height))));
    }
    expect(input.job.params).toEqual({ compare: 'features', top: 1 });
    const progress = sent(d, 'job-progress').filter((m) => m.id === input.id);
    expect(progress.at(-1)).toMatchObject({ fraction: 0.25, message: 'reading layers: 2 of 2' });

    await d.deliverToPlugin(answer(input, { kind: 'ranking', ranked: [{ id: b.id, score: 0.9 }, { id: a.id, score: 0.2 }] }));
    expect(d.api.currentPage.selection.map((n) => n.id)).toEqual([b.id]);
    expect(d.api.viewport.scrolledIntoView.at(-1)).toEqual([b.id]);
    expect(sent(d, 'job-done').at(-1)).toMatchObject({ id: input.id, resultId: query.id });
    expect(d.api.currentPage.kids.length).toBe(nodesBefore);
    expect(d.undo()).toBe(false); // nothing to undo: selecting is not an edit
  });

  it('says what is wrong with the selection, in words', async () => {
    const { d, query, a } = await pageOfPhotos();
    await expect(runCollection(d, [query, a], { technique: 'similar', params: {} })).rejects.toThrow(/Select one layer/);
    const lonely = await startPastiche();
    const only = lonely.addImageLayer({ name: 'Only', x: 0, y: 0, width: 100, height: 100, rgba: colour(1, 2, 3) });
    await expect(runCollection(lonely, [only], { technique: 'similar', params: {} })).rejects.toThrow('There is no other image layer on this page to compare “Only” with.');
  });

  it('refuses a ranking that names a layer it did not read, or one twice; ignores one for a cancelled job', async () => {
    const { d, query, a, b, plain } = await pageOfPhotos();
    const input = await runCollection(d, [query], { technique: 'similar', params: {} });
    await d.deliverToPlugin(answer(input, { kind: 'ranking', ranked: [{ id: plain.id, score: 1 }] }));
    expect(sent(d, 'job-error').at(-1)).toMatchObject({ id: input.id, error: { code: 'bad-input' } });
    expect(d.api.currentPage.selection.map((n) => n.id)).toEqual([query.id]);

    const twice = await runCollection(d, [query], { technique: 'similar', params: {} });
    await d.deliverToPlugin(answer(twice, { kind: 'ranking', ranked: [{ id: a.id, score: 1 }, { id: a.id, score: 1 }] }));
    expect(sent(d, 'job-error').at(-1)).toMatchObject({ id: twice.id, error: { code: 'bad-input' } });

    const cancelled = await runCollection(d, [query], { technique: 'similar', params: {} });
    await d.deliverToPlugin({ type: 'cancel-job', id: cancelled.id });
    const errors = sent(d, 'job-error').length;
    await d.deliverToPlugin(answer(cancelled, { kind: 'ranking', ranked: [{ id: b.id, score: 1 }] }));
    expect(sent(d, 'job-error').length).toBe(errors);
    expect(d.api.currentPage.selection.map((n) => n.id)).toEqual([query.id]);
  });

  it('a page with hundreds of image layers: every one is read, with progress along the way', async () => {
    const d = await startPastiche();
    const query = d.addImageLayer({ name: 'Query', x: 0, y: 0, width: 300, height: 300, rgba: colour(1, 2, 3) });
    const many = Array.from({ length: 300 }, (_, i) =>
      d.addImageLayer({ name: `Photo ${i}`, x: 400 + (i % 20) * 120, y: Math.floor(i / 20) * 120, width: 100, height: 100, rgba: colour(i % 256, 50, 90) }),
    );
    const input = await runCollection(d, [query], { technique: 'similar', params: {} });
    expect(input.items).toHaveLength(300);
    expect(new Set(input.items.map((item) => item.id))).toEqual(new Set(many.map((n) => n.id)));
    const progress = sent(d, 'job-progress').filter((m) => m.id === input.id);
    expect(progress.at(-1)!.message).toBe('reading layers: 300 of 300');
    expect(progress.map((m) => m.fraction)).toEqual([...progress.map((m) => m.fraction)].sort((a, b) => a - b));
  });

  it('a cancel while the layers are being read stops the reading: no input is sent', async () => {
    const { d, query } = await pageOfPhotos();
    d.select(query);
    const running = d.deliverToPlugin({ type: 'run-job', id: 'slow', job: { technique: 'similar', params: {} }, placement: 'beside' });
    await d.deliverToPlugin({ type: 'cancel-job', id: 'slow' });
    await running;
    expect(d.uiMessages.filter((m) => 'id' in m && m.id === 'slow' && m.type === 'collection-input')).toEqual([]);
  });
});

describe('arrange by similarity in the sandbox', () => {
  async function boardOfSix() {
    const d = await startPastiche();
    const board = d.addFrame({ name: 'Moodboard', x: 100, y: 100, width: 900, height: 500 });
    const layers = Array.from({ length: 6 }, (_, i) =>
      d.addImageLayer({ name: `Photo ${i + 1}`, x: 20 + i * 140, y: 40, width: 120 + i * 10, height: 90, rgba: colour(40 * i, 100, 200 - 30 * i), parent: board, rotation: i === 2 ? 15 : 0 }),
    );
    return { d, board, layers };
  }

  it('reads the layers inside the selected frame and builds a new frame of copies on the grid, beside it; one undo removes it', async () => {
    const { d, board, layers } = await boardOfSix();
    const before = layers.map((n) => ({ transform: n.relativeTransform, size: [n.width, n.height], parent: n.parent?.id }));
    const input = await runCollection(d, [board], { technique: 'arrange', params: {} });
    expect(input.query).toBeUndefined();
    expect(input.items.map((item) => item.id)).toEqual(layers.map((n) => n.id));

    const { columns } = gridShape(6);
    const order = [3, 0, 5, 1, 4, 2]; // any permutation: the t-SNE order comes from the engine
    const cells = order.map((layer, cell) => ({ id: layers[layer].id, col: cell % columns, row: Math.floor(cell / columns) }));
    await d.deliverToPlugin(answer(input, { kind: 'arrangement', cells }));

    const done = sent(d, 'job-done').at(-1)!;
    const frame = (await d.api.getNodeByIdAsync(done.resultId)) as DoubleFrame;
    expect(frame.type).toBe('FRAME');
    expect(frame.parent?.type).toBe('PAGE');
    expect(frame.name).toBe('Arrange by similarity (by meaning) — 6 layers');
    expect(frame.getPluginData(ARRANGEMENT_KEY)).toBe('1');
    // Copies, in the answer's cells: no overlaps, each inside the frame, upright, aspect kept.
    const copies = frame.children;
    expect(copies).toHaveLength(6);
    const boxes = copies.map((c) => c.absoluteBoundingBox);
    for (let i = 0; i < boxes.length; i++) {
      const box = boxes[i];
      expect(box.x).toBeGreaterThanOrEqual(frame.x);
      expect(box.x + box.width).toBeLessThanOrEqual(frame.x + frame.width + 1e-6);
      for (let j = i + 1; j < boxes.length; j++) {
        const other = boxes[j];
        const apart = box.x + box.width <= other.x || other.x + other.width <= box.x || box.y + box.height <= other.y || other.y + other.height <= box.y;
        expect(apart).toBe(true);
      }
      expect(copies[i].rotation).toBeCloseTo(0);
      const original = layers[order[i]];
      expect(copies[i].name).toBe(original.name);
      expect(copies[i].width / copies[i].height).toBeCloseTo(original.width / original.height, 5);
    }
    // Left-to-right, top-to-bottom order on the canvas follows the cells.
    expect(boxes[1].x).toBeGreaterThan(boxes[0].x);
    expect(boxes[columns].y).toBeGreaterThan(boxes[0].y);
    // The frame is beside the board, not over it; the originals did not move.
    const b = board.absoluteBoundingBox;
    expect(frame.x >= b.x + b.width || frame.y >= b.y + b.height).toBe(true);
    layers.forEach((n, i) => expect({ transform: n.relativeTransform, size: [n.width, n.height], parent: n.parent?.id }).toEqual(before[i]));
    expect(d.api.currentPage.selection).toEqual([frame]);

    expect(d.undo()).toBe(true);
    expect(frame.removed).toBe(true);
    expect(board.children.map((n) => n.id)).toEqual(layers.map((n) => n.id));
  });

  it('refuses an arrangement that leaves a layer out or puts two in one cell; nothing is added', async () => {
    const { d, board, layers } = await boardOfSix();
    const count = () => d.api.currentPage.kids.length;
    const nodes = count();
    const input = await runCollection(d, [board], { technique: 'arrange', params: {} });
    await d.deliverToPlugin(answer(input, { kind: 'arrangement', cells: layers.slice(1).map((n, i) => ({ id: n.id, col: i, row: 0 })) }));
    expect(sent(d, 'job-error').at(-1)).toMatchObject({ id: input.id, error: { code: 'bad-input' } });
    const again = await runCollection(d, [board], { technique: 'arrange', params: {} });
    await d.deliverToPlugin(answer(again, { kind: 'arrangement', cells: layers.map((n) => ({ id: n.id, col: 0, row: 0 })) }));
    expect(sent(d, 'job-error').at(-1)).toMatchObject({ id: again.id, error: { code: 'bad-input' } });
    expect(count()).toBe(nodes);
  });

  it('needs at least three layers', async () => {
    const { d, layers } = await boardOfSix();
    await expect(runCollection(d, layers.slice(0, 2), { technique: 'arrange', params: {} })).rejects.toThrow('Select at least 3 layers (or one frame holding them) to arrange by similarity.');
  });
});
