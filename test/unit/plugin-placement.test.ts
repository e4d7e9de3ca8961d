// Beside: a new result never lands on another layer; the results of one source make a row to its right. The new
// layer is selected and scrolled into view unless the settings say not to.
import { BESIDE_GAP, findFreeSpot, MAX_ROWS, ROW_LENGTH } from '../../plugin/place-result';
import { DEFAULT_SETTINGS } from '../../plugin/messages';
import type { DoubleSceneNode, FigmaDouble } from '../../playground/figma-double';
import { last, resultFor, rgba, runAndDeliver, runJob, startPastiche } from '../../playground/figma-double/node-harness';

async function addResult(d: FigmaDouble, source: DoubleSceneNode, placement: 'beside' | 'on-top' = 'beside') {
  await runAndDeliver(d, source, { placement });
  const node = await d.api.getNodeByIdAsync(last(d, 'job-done').resultId);
  if (!node) throw new Error('no result');
  return node as DoubleSceneNode;
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function expectNoOverlap(nodes: DoubleSceneNode[]) {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) expect(overlap(nodes[i].absoluteBoundingBox, nodes[j].absoluteBoundingBox)).toBe(false);
  }
}

describe('beside: the next free spot', () => {
  it('three results of one source make a row to its right, 24 apart, none over another; the newest on top', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const results = [await addResult(d, src), await addResult(d, src), await addResult(d, src)];
    expect(results.map((r) => [r.x, r.y])).toEqual([
      [64, 0],
      [128, 0],
      [192, 0],
    ]);
    expectNoOverlap([src, ...results]);
    expect(d.api.currentPage.children).toEqual([src, ...results]);
  });

  it('skips over an unrelated layer that sits beside the source', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const note = d.addRectangle({ name: 'Note', x: 70, y: 10, width: 30, height: 30 });
    const result = await addResult(d, src);
    expect([result.x, result.y]).toEqual([70 + 30 + BESIDE_GAP, 0]);
    expectNoOverlap([src, note, result]);
    // The next one goes on past the first result.
    const next = await addResult(d, src);
    expect(next.x).toBe(result.x + 40 + BESIDE_GAP);
  });

  it('inside a frame, layers of the frame are in the way too; a clipping frame that cannot hold it sends it to the page', async () => {
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'Card', x: 1000, y: 0, width: 200, height: 100, clipsContent: true });
    const src = d.addImageLayer({ name: 'Pic', x: 10, y: 10, width: 40, height: 20, rgba: rgba(4, 2), parent: frame });
    const badge = d.addRectangle({ name: 'Badge', x: 74, y: 10, width: 20, height: 20, parent: frame });
    const first = await addResult(d, src);
    expect(first.parent).toBe(frame);
    expect([first.x, first.y]).toEqual([74 + 20 + BESIDE_GAP, 10]);
    expectNoOverlap([src, badge, first]);
    // The next free spot (x 182..222) would stick out of the clipping frame: on the page, clear of the frame.
    const second = await addResult(d, src);
    expect(second.parent).toBe(d.api.currentPage);
    expect(second.absoluteBoundingBox).toEqual({ x: 1000 + 200 + BESIDE_GAP, y: 10, width: 40, height: 20 });
  });

  it('a row that runs too far continues below', () => {
    const source = { x: 0, y: 0, width: 40, height: 20 };
    const wall = { x: 64, y: 0, width: 100000, height: 20 };
    expect(findFreeSpot(source, [source, wall])).toEqual({ x: 64, y: 44, width: 40, height: 20 });
    // Nothing free in any row nearby: the first row's spot, however far (never on top of anything).
    const tall = { x: 64, y: -10, width: 100000, height: 10000 };
    expect(findFreeSpot(source, [source, tall])).toEqual({ x: 64 + 100000 + BESIDE_GAP, y: 0, width: 40, height: 20 });
    expect(ROW_LENGTH).toBeGreaterThan(1);
    expect(MAX_ROWS).toBeGreaterThan(1);
  });

  it('on top keeps its place: the source box, just above the source, whatever else is there', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const first = await addResult(d, src, 'on-top');
    const second = await addResult(d, src, 'on-top');
    expect([first.x, first.y, second.x, second.y]).toEqual([0, 0, 0, 0]);
    expect(d.api.currentPage.children.map((n) => n.id)).toEqual([src.id, second.id, first.id]);
  });
});

describe('the new layer is shown', () => {
  it('is selected and scrolled into view', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const result = await addResult(d, src);
    expect(d.api.currentPage.selection).toEqual([result]);
    expect(d.api.viewport.scrolledIntoView).toEqual([[result.id]]);
    // The UI hears about the new selection like after any click.
    expect(last(d, 'selection').selection.map((l) => l.id)).toEqual([result.id]);
  });

  it('not when the settings turned it off', async () => {
    const d = await startPastiche();
    await d.deliverToPlugin({ type: 'save-settings', settings: { ...DEFAULT_SETTINGS, revealResult: false } });
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const result = await addResult(d, src);
    expect(result.removed).toBe(false);
    expect(d.api.currentPage.selection).toEqual([src]);
    expect(d.api.viewport.scrolledIntoView).toEqual([]);
  });

  it('not when the user went to another page meanwhile (the result still goes next to its source)', async () => {
    const d = await startPastiche();
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const page1 = d.api.currentPage;
    const input = await runJob(d, [src]);
    const other = d.addPage('Elsewhere');
    await d.figma.setCurrentPageAsync(other as unknown as PageNode);
    await d.deliverToPlugin(resultFor(input, src.id));
    const result = (await d.api.getNodeByIdAsync(last(d, 'job-done').resultId)) as DoubleSceneNode;
    expect(result.parent).toBe(page1);
    expect(other.selection).toEqual([]);
    expect(d.api.viewport.scrolledIntoView).toEqual([]);
  });
});
