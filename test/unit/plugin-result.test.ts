// job-result: a result becomes a NEW layer, beside or on top of its source, named, remembered, one undo step.
// Every result here comes from a job the plugin started (run-job first, as the UI does).
import type { JobRequest, Placement, ResultTile } from '../../plugin/messages';
import { JOB_DATA_KEY, RELAUNCH_COMMAND } from '../../plugin/messages';
import { defaultParams } from '../../techniques/registry';
import type { DoubleGroup, DoubleRectangle, DoubleSceneNode, FigmaDouble } from '../../playground/figma-double';
import { last, png, resultFor, rgba, runAndDeliver, runJob, sent, startPastiche } from '../../playground/figma-double/node-harness';

const invert = { technique: 'invert', params: { amount: 0.5 } } as const;
/** Style sets its result's size from its parameters (spec.resultPixels), so its results may have any pixel size. */
const style: JobRequest = { technique: 'style', params: defaultParams('style') };

function tile(x: number, y: number, width: number, height: number): ResultTile {
  return { x, y, width, height, png: png(width, height) };
}

/** Runs the job on `source` and delivers its result (by default the size it was exported at, one tile). */
function deliverResult(
  d: FigmaDouble,
  source: DoubleSceneNode,
  o: { placement?: Placement; width?: number; height?: number; tiles?: ResultTile[]; id?: string; job?: JobRequest } = {},
) {
  return runAndDeliver(d, source, { id: o.id ?? 'r1', job: o.job ?? invert, placement: o.placement ?? 'beside', width: o.width, height: o.height, tiles: o.tiles });
}

/** Everything about a node that the plugin must never change. */
function snapshot(node: DoubleSceneNode) {
  return {
    name: node.name,
    x: node.x,
    y: node.y,
    width: node.width,
    height: node.height,
    visible: node.visible,
    fills: 'fills' in node ? structuredClone((node as DoubleRectangle).fills) : undefined,
    parent: node.parent?.id,
    index: node.parent?.kids.indexOf(node),
    pluginData: node.getPluginDataKeys().map((k) => [k, node.getPluginData(k)]),
    relaunch: node.getRelaunchData(),
    removed: node.removed,
  };
}

async function resultNode(d: FigmaDouble) {
  const done = last(d, 'job-done');
  const node = await d.api.getNodeByIdAsync(done.resultId);
  if (!node) throw new Error('result not found');
  return node as DoubleSceneNode;
}

describe('job-result placement and naming', () => {
  it('puts the result beside the source (24 px gap), same size, named, with an image fill', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 100, y: 50, width: 40, height: 20, rgba: rgba(40, 20) });
    d.select(src);
    await deliverResult(d, src);

    const result = (await resultNode(d)) as DoubleRectangle;
    expect(result.type).toBe('RECTANGLE');
    expect(result.id).not.toBe(src.id);
    expect(result.name).toBe('Photo — Invert (amount 50%)');
    expect(last(d, 'job-done')).toEqual({ type: 'job-done', id: 'r1', sourceId: src.id, resultId: result.id, resultName: result.name });
    expect([result.x, result.y, result.width, result.height]).toEqual([100 + 40 + 24, 50, 40, 20]);
    expect(result.fills).toHaveLength(1);
    expect(result.fills[0]).toMatchObject({ type: 'IMAGE', scaleMode: 'FILL' });
    const hash = (result.fills[0] as ImagePaint).imageHash!;
    expect(await d.figma.getImageByHash(hash)!.getSizeAsync()).toEqual({ width: 40, height: 20 });
    // In the source's parent, just above it.
    expect(result.parent).toBe(src.parent);
    expect(d.api.currentPage.children.indexOf(result)).toBe(d.api.currentPage.children.indexOf(src) + 1);
    // The new layer is selected (revealResult, on by default).
    expect(d.api.currentPage.selection).toEqual([result]);
  });

  it('puts the result on top of the source: same position, inserted just above it', async () => {
    const d = await startPastiche();
    const below = d.addImageLayer({ name: 'Below', x: 0, y: 0, width: 10, height: 10, rgba: rgba(1, 1) });
    const src = d.addImageLayer({ name: 'Photo', x: 30, y: 40, width: 40, height: 20, rgba: rgba(4, 2) });
    const above = d.addImageLayer({ name: 'Above', x: 0, y: 0, width: 10, height: 10, rgba: rgba(1, 1) });
    await deliverResult(d, src, { placement: 'on-top' });

    const result = await resultNode(d);
    expect([result.x, result.y, result.width, result.height]).toEqual([30, 40, 40, 20]);
    expect(d.api.currentPage.children.map((n) => n.name)).toEqual(['Below', 'Photo', result.name, 'Above']);
    expect(above.parent).toBe(d.api.currentPage);
    expect(below.removed).toBe(false);
  });

  it('draws a result of any pixel size at the size of the source in the document', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Big', x: 0, y: 0, width: 8000, height: 4000, rgba: rgba(8, 4) });
    await deliverResult(d, src, { width: 400, height: 200, placement: 'on-top', job: style });
    const result = await resultNode(d);
    expect([result.width, result.height]).toEqual([8000, 4000]);
  });

  it('works inside a frame, in the frame coordinates', async () => {
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'Card', x: 1000, y: 500, width: 400, height: 300, clipsContent: false });
    const src = d.addImageLayer({ name: 'Pic', x: 10, y: 20, width: 40, height: 20, rgba: rgba(4, 2), parent: frame });
    await deliverResult(d, src);
    const result = await resultNode(d);
    expect(result.parent).toBe(frame);
    expect([result.x, result.y]).toEqual([10 + 40 + 24, 20]);
    expect(result.absoluteBoundingBox).toEqual({ x: 1074, y: 520, width: 40, height: 20 });
  });

  it('works inside a group (whose children use the coordinates of the group parent)', async () => {
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'Board', x: 300, y: 300, width: 1000, height: 1000 });
    const src = d.addImageLayer({ name: 'Pic', x: 10, y: 20, width: 40, height: 20, rgba: rgba(4, 2), parent: frame });
    const other = d.addImageLayer({ name: 'Other', x: 100, y: 100, width: 10, height: 10, rgba: rgba(1, 1), parent: frame });
    const group = d.addGroup([src, other], 'Pair');
    await deliverResult(d, src);
    const result = await resultNode(d);
    expect(result.parent).toBe(group);
    expect(result.absoluteBoundingBox).toEqual({ x: 300 + 74, y: 320, width: 40, height: 20 });
  });

  it('goes to the page when beside would fall outside a clipping frame, at the same place on the canvas', async () => {
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'Tight', x: 1000, y: 500, width: 60, height: 60, clipsContent: true });
    const src = d.addImageLayer({ name: 'Pic', x: 10, y: 20, width: 40, height: 20, rgba: rgba(4, 2), parent: frame });
    await deliverResult(d, src);
    const result = await resultNode(d);
    expect(result.parent).toBe(d.api.currentPage);
    expect([result.x, result.y]).toEqual([1074, 520]);
  });

  it('does not disturb auto layout: on top is absolutely positioned, beside goes to the page', async () => {
    const d = await startPastiche();
    const stack = d.addFrame({ name: 'Stack', x: 0, y: 0, width: 200, height: 200, layoutMode: 'VERTICAL' });
    const src = d.addImageLayer({ name: 'Pic', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2), parent: stack });
    await deliverResult(d, src, { placement: 'on-top', id: 'a' });
    const onTop = await resultNode(d);
    expect(onTop.parent).toBe(stack);
    expect(onTop.layoutPositioning).toBe('ABSOLUTE');
    await deliverResult(d, src, { placement: 'beside', id: 'b' });
    const beside = await resultNode(d);
    expect(beside.parent).toBe(d.api.currentPage);
    expect(beside.layoutPositioning).toBe('AUTO');
  });
});

describe('job-result tiles', () => {
  it('makes a group of one rectangle per tile covering the source (5000 x 3000 in 2 x 1 tiles)', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Mural', x: 0, y: 0, width: 1000, height: 600, rgba: rgba(10, 6) });
    await deliverResult(d, src, { job: style, width: 5000, height: 3000, tiles: [tile(0, 0, 2500, 3000), tile(2500, 0, 2500, 3000)] });

    const group = (await resultNode(d)) as DoubleGroup;
    expect(group.type).toBe('GROUP');
    expect(group.name).toMatch(/^Mural — Style/);
    expect(group.children).toHaveLength(2);
    expect([group.x, group.y, group.width, group.height]).toEqual([1024, 0, 1000, 600]);
    const [left, right] = group.children;
    expect([left.x, left.width, right.x, right.width, right.height]).toEqual([1024, 500, 1524, 500, 600]);
    expect(JSON.parse(group.getPluginData(JOB_DATA_KEY))).toEqual({ ...style, sourceId: src.id });
    expect(left.getPluginData(JOB_DATA_KEY)).toBe('');
    expect(d.api.journal.commits).toBe(1);
  });

  it('rejects a tile larger than 4096 px with a typed too-large error, and adds nothing', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Wide', x: 0, y: 0, width: 100, height: 10, rgba: rgba(10, 1) });
    const before = d.api.currentPage.children.length;
    await deliverResult(d, src, { width: 5000, height: 10, tiles: [tile(0, 0, 5000, 10)] });
    expect(last(d, 'job-error')).toMatchObject({ id: 'r1', error: { code: 'too-large' } });
    expect(d.api.notifications.at(-1)).toMatchObject({ options: { error: true } });
    expect(d.api.currentPage.children.length).toBe(before);
    expect(sent(d, 'job-done')).toHaveLength(0);
  });

  it('rejects a tile whose PNG is not what it says', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'A', x: 0, y: 0, width: 10, height: 10, rgba: rgba(1, 1) });
    await deliverResult(d, src, { width: 10, height: 10, tiles: [{ x: 0, y: 0, width: 10, height: 10, png: png(8, 8) }] });
    expect(last(d, 'job-error').error.code).toBe('bad-input');
  });
});

describe('job-result safety', () => {
  it('never modifies the original', async () => {
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'F', x: 5, y: 5, width: 500, height: 500 });
    const src = d.addImageLayer({ name: 'Photo', x: 10, y: 10, width: 40, height: 20, rgba: rgba(4, 2), parent: frame });
    src.setPluginData('other-plugin', 'keep');
    const before = snapshot(src);
    await deliverResult(d, src, { placement: 'on-top', id: 'a' });
    await deliverResult(d, src, { placement: 'beside', id: 'b' });
    await deliverResult(d, src, { id: 'c', job: style, width: 5000, height: 100, tiles: [tile(0, 0, 2500, 100), tile(2500, 0, 2500, 100)] });
    expect(sent(d, 'job-done')).toHaveLength(3);
    expect(snapshot(src)).toEqual(before);
  });

  it('commits one undo step per result, and undo removes exactly that result', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    await deliverResult(d, src, { id: 'first' });
    const first = await resultNode(d);
    await deliverResult(d, src, { id: 'second', job: style, width: 5000, height: 100, tiles: [tile(0, 0, 2500, 100), tile(2500, 0, 2500, 100)] });
    const second = await resultNode(d);
    expect(d.api.journal.commits).toBe(2);
    expect(d.api.journal.uncommitted).toBe(0);

    const names = () => d.api.currentPage.children.map((n) => n.name);
    // The newest result of a source goes above its earlier ones (they no longer overlap: see plugin-placement).
    expect(names()).toEqual(['Photo', first.name, second.name]);
    expect(d.undo()).toBe(true);
    expect(names()).toEqual(['Photo', first.name]);
    expect(await d.api.getNodeByIdAsync(second.id)).toBeNull();
    expect(d.api.currentPage.children.filter((n) => n.type === 'RECTANGLE')).toHaveLength(2);
    expect(d.undo()).toBe(true);
    expect(names()).toEqual(['Photo']);
    expect(d.undo()).toBe(false); // the source was there before the plugin: nothing else to undo
  });

  it('stores the job and the relaunch button on the result', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    await deliverResult(d, src);
    const result = await resultNode(d);
    expect(JSON.parse(result.getPluginData(JOB_DATA_KEY))).toEqual({ technique: 'invert', params: { amount: 0.5 }, sourceId: src.id });
    expect(result.getRelaunchData()).toEqual({ [RELAUNCH_COMMAND]: 'Invert (amount 50%)' });
  });

  it('reports a source deleted meanwhile as a typed error, without crashing', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const input = await runJob(d, [src], { id: 'r1', job: invert });
    src.remove();
    await d.deliverToPlugin(resultFor(input, src.id));
    const error = last(d, 'job-error');
    expect(error).toMatchObject({ id: 'r1', error: { code: 'bad-selection' } });
    expect(error.error.message).toBe('The source layer was deleted or moved to another page. Nothing was added.');
    expect(d.api.notifications).toEqual([{ message: error.error.message, options: { error: true } }]);
    expect(d.api.currentPage.children).toHaveLength(0);
    expect(d.api.journal.commits).toBe(0);
  });
});
