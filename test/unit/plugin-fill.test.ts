// Fill layout (ResultLayout 'fill-source'): the result becomes a new layer directly above its source that takes the
// source's shape, filled with the result as one IMAGE paint (stretched, or tiled at pixelsPerUnit). No technique
// declares it yet, so these tests give Invert a layout (and, for tiles, a result size of its own) for a while.
import { JOB_DATA_KEY, RELAUNCH_COMMAND, type ResultTile } from '../../plugin/messages';
import { CLONED_SHAPES, fillPaint, fillShapeOf, tileScalingFactor } from '../../plugin/fill-layer';
import { techniqueSpec } from '../../techniques/registry';
import type { ResultLayout, TechniqueSpec } from '../../techniques/technique-spec';
import type { DoubleRectangle, DoubleSceneNode, DoubleShapeNode, FigmaDouble } from '../../playground/figma-double';
import { decodePng, last, png, resultFor, rgba, runJob, sent, startPastiche } from '../../playground/figma-double/node-harness';

const invertSpec = techniqueSpec('invert') as unknown as TechniqueSpec;
const invert = { technique: 'invert', params: { amount: 1 } } as const;
const red: Paint = { type: 'SOLID', color: { r: 1, g: 0, b: 0 } };

function useLayout(layout: ResultLayout, anySize = false): void {
  invertSpec.layout = () => layout;
  if (anySize) invertSpec.resultPixels = (_p, width, height) => width * height;
}

afterEach(() => {
  delete invertSpec.layout;
  delete invertSpec.resultPixels;
});

/** Runs Invert on `target` and sends back a result (the exported size unless given). Returns the new layer. */
async function fill(d: FigmaDouble, target: DoubleSceneNode, o: { width?: number; height?: number; tiles?: ResultTile[]; placement?: 'beside' | 'on-top' } = {}) {
  const input = await runJob(d, [target], { job: invert, placement: o.placement ?? 'beside' });
  await d.deliverToPlugin(resultFor(input, target.id, o));
  const done = sent(d, 'job-done').find((m) => m.id === input.id);
  if (!done) throw new Error(`no job-done: ${JSON.stringify(sent(d, 'job-error').at(-1))}`);
  return (await d.api.getNodeByIdAsync(done.resultId)) as DoubleShapeNode;
}

/** What the plugin must never change on its target. */
async function snapshot(node: DoubleSceneNode) {
  return {
    transform: node.relativeTransform,
    size: [node.width, node.height],
    fills: 'fills' in node ? structuredClone((node as DoubleShapeNode).fills) : undefined,
    parent: node.parent?.id,
    index: node.parent?.kids.indexOf(node),
    children: node.kids.map((k) => k.id),
    pixels: Array.from(decodePng(await node.exportAsync()).data),
  };
}

const close = (actual: Transform, expected: Transform) =>
  actual.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[i][j], 9)));

describe('fill layout: the result takes the shape of its source', () => {
  it('an ellipse in a frame: a rotated ellipse of the same size and place, constraints kept, strokes and effects not', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'Board', x: 200, y: 100, width: 600, height: 600, clipsContent: false });
    const below = d.addRectangle({ name: 'Below', x: 0, y: 0, width: 10, height: 10, parent: frame });
    const target = d.addEllipse({
      name: 'Blob', x: 120, y: 140, width: 90, height: 50, rotation: 30, parent: frame, fills: [red],
      strokes: [{ type: 'SOLID', color: { r: 0, g: 0, b: 0 } }],
      effects: [{ type: 'DROP_SHADOW', color: { r: 0, g: 0, b: 0, a: 0.5 }, offset: { x: 2, y: 2 }, radius: 4, visible: true, blendMode: 'NORMAL' }],
      constraints: { horizontal: 'CENTER', vertical: 'MAX' },
    });
    const above = d.addRectangle({ name: 'Above', x: 0, y: 0, width: 10, height: 10, parent: frame });
    const before = await snapshot(target);

    const layer = await fill(d, target);
    expect(layer.type).toBe('ELLIPSE');
    expect(layer.id).not.toBe(target.id);
    expect(layer.parent).toBe(frame);
    expect(frame.children.map((n) => n.name)).toEqual(['Below', 'Blob', layer.name, 'Above']);
    expect([layer.width, layer.height]).toEqual([90, 50]);
    close(layer.relativeTransform, target.relativeTransform);
    expect(layer.rotation).toBeCloseTo(30);
    expect(layer.absoluteBoundingBox).toEqual(target.absoluteBoundingBox);
    expect(layer.constraints).toEqual({ horizontal: 'CENTER', vertical: 'MAX' });
    expect(layer.strokes).toEqual([]);
    expect(layer.effects).toEqual([]);
    expect(layer.fills).toHaveLength(1);
    expect(layer.fills[0]).toMatchObject({ type: 'IMAGE', scaleMode: 'FILL' });
    expect(layer.name).toBe('Blob — Invert');
    expect(JSON.parse(layer.getPluginData(JOB_DATA_KEY))).toEqual({ ...invert, sourceId: target.id });
    expect(layer.getRelaunchData()).toEqual({ [RELAUNCH_COMMAND]: 'Invert' });
    expect(await snapshot(target)).toEqual(before);
    expect([below.removed, above.removed]).toEqual([false, false]);

    // One undo step: Cmd+Z removes the fill layer and nothing else.
    expect(d.api.journal.commits).toBe(1);
    expect(d.undo()).toBe(true);
    expect(layer.removed).toBe(true);
    expect(frame.children.map((n) => n.name)).toEqual(['Below', 'Blob', 'Above']);
    expect(await snapshot(target)).toEqual(before);
  });

  it('every shape type gives a layer of its own type with its geometry (radii, points, paths, operands)', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const rect = d.addRectangle({ name: 'Rect', x: 0, y: 0, width: 60, height: 40, radii: [4, 8, 12, 16], rotation: -20, fills: [red] });
    const polygon = d.addPolygon({ name: 'Hex', x: 0, y: 100, width: 50, height: 50, pointCount: 6, cornerRadius: 3, fills: [red] });
    const star = d.addStar({ name: 'Star', x: 0, y: 200, width: 50, height: 50, pointCount: 7, innerRadius: 0.5, fills: [red] });
    const vector = d.addVector({ name: 'Path', x: 0, y: 300, width: 40, height: 30, path: 'M 0 0 L 40 0 L 20 30 Z', fills: [red] });
    const op = d.addBooleanOperation(
      [d.addEllipse({ name: 'A', x: 0, y: 400, width: 30, height: 30 }), d.addRectangle({ name: 'B', x: 20, y: 410, width: 30, height: 30 })],
      'SUBTRACT',
      'Cut',
    );

    const r = (await fill(d, rect)) as DoubleRectangle;
    expect(r.type).toBe('RECTANGLE');
    expect([r.topLeftRadius, r.topRightRadius, r.bottomRightRadius, r.bottomLeftRadius]).toEqual([4, 8, 12, 16]);
    expect([r.width, r.height]).toEqual([60, 40]);
    expect(r.rotation).toBeCloseTo(-20);
    close(r.relativeTransform, rect.relativeTransform);

    const p = (await fill(d, polygon)) as unknown as { type: string; pointCount: number; cornerRadius: number; x: number; y: number };
    expect([p.type, p.pointCount, p.cornerRadius, p.x, p.y]).toEqual(['POLYGON', 6, 3, 0, 100]);
    const s = (await fill(d, star)) as unknown as { type: string; pointCount: number; innerRadius: number };
    expect([s.type, s.pointCount, s.innerRadius]).toEqual(['STAR', 7, 0.5]);
    const v = (await fill(d, vector)) as unknown as { type: string; vectorPaths: VectorPaths; width: number; height: number };
    expect([v.type, v.vectorPaths, v.width, v.height]).toEqual(['VECTOR', vector.vectorPaths, 40, 30]);
    const b = await fill(d, op);
    expect(b.type).toBe('BOOLEAN_OPERATION');
    expect((b as unknown as { booleanOperation: string }).booleanOperation).toBe('SUBTRACT');
    expect(b.kids.map((k) => k.type)).toEqual(['ELLIPSE', 'RECTANGLE']);
    expect(b.absoluteBoundingBox).toEqual(op.absoluteBoundingBox);
    expect(op.children.map((k) => k.name)).toEqual(['A', 'B']); // the operands of the original stay
    expect(CLONED_SHAPES).toEqual(['RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'BOOLEAN_OPERATION']);
  });

  it('a frame gives a rectangle with the frame size, corner radii, rotation and constraints, never a copy of its children', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const card = d.addFrame({ name: 'Card', x: 50, y: 60, width: 200, height: 120, radii: [16, 16, 0, 8], rotation: 10, fills: [red], constraints: { horizontal: 'STRETCH', vertical: 'MIN' } });
    d.addRectangle({ name: 'Inside', x: 10, y: 10, width: 20, height: 20, parent: card });
    const before = await snapshot(card);
    const layer = (await fill(d, card)) as DoubleRectangle;
    expect(fillShapeOf(card as unknown as SceneNode)).toBe('frame');
    expect(layer.type).toBe('RECTANGLE');
    expect(layer.kids).toHaveLength(0);
    expect([layer.width, layer.height]).toEqual([200, 120]);
    expect([layer.topLeftRadius, layer.topRightRadius, layer.bottomRightRadius, layer.bottomLeftRadius]).toEqual([16, 16, 0, 8]);
    close(layer.relativeTransform, card.relativeTransform);
    expect(layer.constraints).toEqual({ horizontal: 'STRETCH', vertical: 'MIN' });
    expect(layer.parent).toBe(d.api.currentPage);
    expect(d.api.currentPage.children.indexOf(layer)).toBe(d.api.currentPage.children.indexOf(card) + 1);
    expect(await snapshot(card)).toEqual(before);
  });

  it('text and groups give a rectangle of their box, rotation kept', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const text = d.addText({ name: 'Title', x: 10, y: 200, width: 120, height: 30, rotation: -15, characters: 'Hello', constraints: { horizontal: 'MAX', vertical: 'CENTER' } });
    const layer = (await fill(d, text)) as DoubleRectangle;
    expect(layer.type).toBe('RECTANGLE');
    expect([layer.width, layer.height]).toEqual([120, 30]);
    close(layer.relativeTransform, text.relativeTransform);
    expect(layer.constraints).toEqual({ horizontal: 'MAX', vertical: 'CENTER' });

    const group = d.addGroup([d.addRectangle({ name: 'a', x: 300, y: 10, width: 20, height: 20 }), d.addEllipse({ name: 'b', x: 340, y: 40, width: 20, height: 30 })], 'Pair');
    const box = (await fill(d, group)) as DoubleRectangle;
    expect(box.type).toBe('RECTANGLE');
    expect(box.absoluteBoundingBox).toEqual({ x: 300, y: 10, width: 60, height: 60 });
    expect(box.parent).toBe(d.api.currentPage);
    expect(group.children).toHaveLength(2);
  });

  it('inside auto layout: in the same frame, just above the target, absolutely positioned (nothing reflows)', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const stack = d.addFrame({ name: 'Stack', x: 0, y: 0, width: 200, height: 200, layoutMode: 'VERTICAL' });
    const target = d.addRectangle({ name: 'Chip', x: 0, y: 40, width: 80, height: 20, cornerRadius: 10, parent: stack });
    const layer = (await fill(d, target)) as DoubleRectangle;
    expect(layer.parent).toBe(stack);
    expect(stack.children.indexOf(layer)).toBe(stack.children.indexOf(target) + 1);
    expect(layer.layoutPositioning).toBe('ABSOLUTE');
    expect([layer.x, layer.y, layer.cornerRadius]).toEqual([0, 40, 10]);
  });

  it('is always directly above the target, whatever the placement setting and whatever is beside it', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const target = d.addEllipse({ name: 'Dot', x: 0, y: 0, width: 40, height: 40, fills: [red] });
    d.addRectangle({ name: 'Neighbour', x: 64, y: 0, width: 40, height: 40 });
    const layer = await fill(d, target, { placement: 'beside' });
    expect([layer.x, layer.y]).toEqual([0, 0]);
    expect(d.api.currentPage.children.map((n) => n.name)).toEqual(['Dot', layer.name, 'Neighbour']);
  });

  it('TILE: the result repeats with scalingFactor = 1 / pixelsPerUnit (one result pixel = 1/ppu units)', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'TILE', pixelsPerUnit: 0.5 }, true);
    const d = await startPastiche();
    const target = d.addRectangle({ name: 'Wall', x: 0, y: 0, width: 16, height: 4, fills: [red] });
    // A 4 x 2 px seamless tile: two red columns, two blue ones.
    const tilePng = png(4, 2, (x) => (x < 2 ? [255, 0, 0, 255] : [0, 0, 255, 255]));
    const layer = await fill(d, target, { width: 4, height: 2, tiles: [{ x: 0, y: 0, width: 4, height: 2, png: tilePng }] });
    expect(layer.fills).toEqual([{ type: 'IMAGE', imageHash: expect.any(String), scaleMode: 'TILE', scalingFactor: 2 }]);
    // One repetition = 4 px x 2 units = 8 units: red 4, blue 4, red 4, blue 4 over the 16-unit wall.
    const pixels = decodePng(await layer.exportAsync());
    const row = Array.from({ length: 16 }, (_, x) => (pixels.data[x * 4] === 255 ? 'r' : 'b')).join('');
    expect(row).toBe('rrrrbbbbrrrrbbbb');
    // The target keeps its own fill.
    expect(target.fills).toEqual([red]);

    expect(tileScalingFactor(4)).toBe(0.25);
    expect(fillPaint('h', { kind: 'fill-source', scaleMode: 'TILE', pixelsPerUnit: 2 })).toEqual({ type: 'IMAGE', imageHash: 'h', scaleMode: 'TILE', scalingFactor: 0.5 });
    expect(() => tileScalingFactor(0)).toThrow(expect.objectContaining({ code: 'bad-params' }));
    expect(() => tileScalingFactor(Number.NaN)).toThrow(expect.objectContaining({ code: 'bad-params' }));
  });

  it('FILL stretches the result over the shape (an ellipse is painted as an ellipse)', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' }, true);
    const d = await startPastiche();
    const target = d.addEllipse({ name: 'Moon', x: 0, y: 0, width: 20, height: 20, fills: [red] });
    const layer = await fill(d, target, { width: 2, height: 2, tiles: [{ x: 0, y: 0, width: 2, height: 2, png: png(2, 2, () => [0, 200, 0, 255]) }] });
    const pixels = decodePng(await layer.exportAsync());
    expect(Array.from(pixels.data.slice((10 * 20 + 10) * 4, (10 * 20 + 10) * 4 + 4))).toEqual([0, 200, 0, 255]);
    expect(pixels.data[3]).toBe(0); // the corner is outside the ellipse
  });

  it('a result in several tiles cannot be one fill: a typed too-large error, nothing added', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' }, true);
    const d = await startPastiche();
    const target = d.addRectangle({ name: 'Banner', x: 0, y: 0, width: 500, height: 10 });
    const input = await runJob(d, [target], { job: invert });
    await d.deliverToPlugin(resultFor(input, target.id, { width: 5000, height: 10 }));
    expect(last(d, 'job-error')).toMatchObject({ id: input.id, error: { code: 'too-large', message: expect.stringMatching(/one image/) } });
    expect(d.api.currentPage.children).toEqual([target]);
    expect(d.api.journal.commits).toBe(0);
  });

  it('the source is never modified, also when it is a Pastiche result itself (chained effects)', async () => {
    useLayout({ kind: 'fill-source', scaleMode: 'FILL' });
    const d = await startPastiche();
    const photo = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2, (x) => [x * 60, 0, 0, 255]) });
    const first = await fill(d, photo);
    const firstData = first.getPluginData(JOB_DATA_KEY);
    const before = await snapshot(first);
    const second = await fill(d, first);
    expect(JSON.parse(second.getPluginData(JOB_DATA_KEY)).sourceId).toBe(first.id);
    expect(first.getPluginData(JOB_DATA_KEY)).toBe(firstData);
    expect(await snapshot(first)).toEqual(before);
  });
});
