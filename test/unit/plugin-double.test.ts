// The figma double behaves like Figma where the sandbox depends on it (so green tests mean something).
import { readPngSize } from '../../plugin/png-header';
import { createFigmaDouble } from '../../playground/figma-double';
import { decodePng, png, rgba } from '../../playground/figma-double/node-harness';
import { createPngjsRasterizer } from '../../playground/figma-double/pngjs-rasterizer';

describe('figma double', () => {
  it('createImage reads the PNG header and refuses more than 4096 px a side, like Figma', () => {
    const { figma } = createFigmaDouble();
    expect(readPngSize(png(4096, 3))).toEqual({ width: 4096, height: 3 });
    expect(figma.createImage(png(4096, 3)).hash).toMatch(/^[0-9a-f]{40}$/);
    expect(() => figma.createImage(png(4097, 3))).toThrow(/too large/);
    expect(() => figma.createImage(new Uint8Array([1, 2, 3]))).toThrow(/unsupported/);
    const a = figma.createImage(png(5, 5, () => [1, 2, 3, 255]));
    const b = figma.createImage(png(5, 5, () => [1, 2, 4, 255]));
    expect(a.hash).not.toBe(b.hash);
    expect(figma.getImageByHash(a.hash)?.hash).toBe(a.hash);
  });

  it('has only the async node lookup (documentAccess: dynamic-page)', async () => {
    const d = createFigmaDouble();
    const r = d.addRectangle({ name: 'R', x: 0, y: 0, width: 5, height: 5 });
    expect(await d.figma.getNodeByIdAsync(r.id)).toBe(r);
    expect(() => d.figma.getNodeById(r.id)).toThrow(/getNodeByIdAsync/);
    r.remove();
    expect(await d.figma.getNodeByIdAsync(r.id)).toBeNull();
  });

  it('groups follow their children; moving a group moves them; an emptied group deletes itself', () => {
    const d = createFigmaDouble();
    const a = d.addRectangle({ name: 'A', x: 10, y: 10, width: 10, height: 10 });
    const b = d.addRectangle({ name: 'B', x: 40, y: 30, width: 10, height: 10 });
    const g = d.addGroup([a, b]);
    expect([g.x, g.y, g.width, g.height]).toEqual([10, 10, 40, 30]);
    g.x = 110;
    expect([a.x, b.x]).toEqual([110, 140]);
    a.remove();
    b.remove();
    expect(g.removed).toBe(true);
  });

  it('undo reverts exactly the last committed step', () => {
    const d = createFigmaDouble();
    const r = d.figma.createRectangle();
    r.name = 'One';
    d.figma.commitUndo();
    r.name = 'Two';
    d.figma.commitUndo();
    expect(d.undo()).toBe(true);
    expect(r.name).toBe('One');
    expect(d.undo()).toBe(true);
    expect(r.removed).toBe(true);
    expect(d.api.currentPage.children).toHaveLength(0);
  });

  it('selection changes fire selectionchange, and removed nodes leave the selection', () => {
    const d = createFigmaDouble();
    const seen: number[] = [];
    d.figma.on('selectionchange', () => seen.push(d.figma.currentPage.selection.length));
    const r = d.addRectangle({ name: 'R', x: 0, y: 0, width: 5, height: 5 });
    d.select(r);
    r.remove();
    expect(seen).toEqual([1, 0]);
  });

  it('exportAsync resamples the layer pixels with the injected rasterizer', async () => {
    const d = createFigmaDouble({ rasterizer: createPngjsRasterizer() });
    const layer = d.addImageLayer({ name: 'L', x: 0, y: 0, width: 300, height: 100, rgba: rgba(3, 1, (x) => [x * 100, 0, 0, 255]) });
    const bytes = await layer.exportAsync({ format: 'PNG', constraint: { type: 'SCALE', value: 0.1 } });
    expect(readPngSize(bytes)).toEqual({ width: 30, height: 10 });
    await expect(d.addRectangle({ name: 'Z', x: 0, y: 0, width: 0, height: 5 }).exportAsync()).rejects.toThrow(/no size/);
  });

  it('the UI channel clones messages like postMessage and refuses what cannot be cloned', async () => {
    const d = createFigmaDouble();
    d.figma.showUI('<p>ui</p>');
    const payload = { type: 'ui-ready' } as const;
    let received: unknown;
    d.figma.ui.onmessage = (m) => void (received = m);
    await d.deliverToPlugin(payload);
    expect(received).toEqual(payload);
    expect(received).not.toBe(payload);
    expect(() => d.figma.ui.postMessage({ f: () => 1 })).toThrow();
  });

  it('rotation is the relativeTransform about the top-left corner; bounding boxes follow it', () => {
    const d = createFigmaDouble();
    const frame = d.addFrame({ name: 'F', x: 100, y: 50, width: 500, height: 500 });
    const r = d.addRectangle({ name: 'R', x: 10, y: 20, width: 40, height: 20, rotation: 90, parent: frame });
    expect(r.rotation).toBeCloseTo(90);
    expect(r.relativeTransform).toEqual([
      [0, 1, 10],
      [-1, 0, 20],
    ]);
    expect([r.x, r.y]).toEqual([10, 20]);
    // Counter-clockwise on screen: the 40-wide side now points up from the corner.
    expect(r.absoluteBoundingBox).toEqual({ x: 110, y: 30, width: 20, height: 40 });
    r.relativeTransform = [
      [1, 0, 5],
      [0, 1, 6],
    ];
    expect([r.rotation, r.x, r.y]).toEqual([0, 5, 6]);
    expect(() => (r.relativeTransform = [[0, 0, 0], [0, 0, 0]])).toThrow(/inverted/);
  });

  it('groups around rotated children take their bounds; groups themselves cannot be rotated', () => {
    const d = createFigmaDouble();
    const a = d.addRectangle({ name: 'A', x: 0, y: 100, width: 100, height: 10, rotation: 90 });
    const b = d.addRectangle({ name: 'B', x: 50, y: 50, width: 10, height: 10 });
    const g = d.addGroup([a, b]);
    expect([g.x, g.y, g.width, g.height]).toEqual([0, 0, 60, 100]);
    expect(() => (g.rotation = 10)).toThrow(/cannot be rotated/);
  });

  it('corner radii: one for all, or one per corner (cornerRadius is figma.mixed then)', () => {
    const d = createFigmaDouble();
    const frame = d.addFrame({ name: 'Card', x: 0, y: 0, width: 100, height: 60, cornerRadius: 12 });
    expect([frame.cornerRadius, frame.topLeftRadius, frame.bottomRightRadius]).toEqual([12, 12, 12]);
    frame.topLeftRadius = 4;
    expect(frame.cornerRadius).toBe(d.figma.mixed);
    const rect = d.addRectangle({ name: 'R', x: 0, y: 0, width: 10, height: 10, radii: [1, 2, 3, 4] });
    expect([rect.topLeftRadius, rect.topRightRadius, rect.bottomRightRadius, rect.bottomLeftRadius]).toEqual([1, 2, 3, 4]);
    expect(() => (rect.cornerRadius = -1)).toThrow(/non-negative/);
  });

  it('clone() duplicates a shape with its geometry onto the current page; one undo removes it', () => {
    const d = createFigmaDouble();
    const frame = d.addFrame({ name: 'F', x: 10, y: 10, width: 300, height: 300 });
    const star = d.addStar({ name: 'S', x: 20, y: 30, width: 50, height: 40, rotation: 15, pointCount: 7, innerRadius: 0.5, parent: frame });
    star.constraints = { horizontal: 'CENTER', vertical: 'SCALE' };
    const copy = star.clone();
    expect(copy).not.toBe(star);
    expect(copy.type).toBe('STAR');
    expect(copy.parent).toBe(d.api.currentPage);
    expect([copy.pointCount, copy.innerRadius, copy.width, copy.height]).toEqual([7, 0.5, 50, 40]);
    expect(copy.relativeTransform).toEqual(star.relativeTransform);
    expect(copy.constraints).toEqual({ horizontal: 'CENTER', vertical: 'SCALE' });
    d.figma.commitUndo();
    expect(d.undo()).toBe(true);
    expect(copy.removed).toBe(true);
    expect(star.removed).toBe(false);

    const op = d.addBooleanOperation([d.addEllipse({ name: 'E', x: 0, y: 0, width: 10, height: 10 }), d.addRectangle({ name: 'R', x: 5, y: 5, width: 10, height: 10 })]);
    const opCopy = op.clone();
    expect(opCopy.children.map((c) => c.type)).toEqual(['ELLIPSE', 'RECTANGLE']);
    expect([opCopy.x, opCopy.y, opCopy.width, opCopy.height]).toEqual([0, 0, 15, 15]);
  });

  it('draws ellipses as ellipses, rotation, and TILE image paints repeated at their scaling factor', async () => {
    const d = createFigmaDouble({ rasterizer: createPngjsRasterizer() });
    const red = [255, 0, 0, 255];
    const ellipse = d.addEllipse({ name: 'E', x: 0, y: 0, width: 20, height: 20, fills: [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }] });
    const round = decodePng(await ellipse.exportAsync());
    const at = (image: { width: number; data: Uint8ClampedArray }, x: number, y: number) => Array.from(image.data.slice((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));
    expect(at(round, 10, 10)).toEqual(red);
    expect(at(round, 0, 0)[3]).toBe(0); // outside the ellipse: nothing

    // A 2 x 1 image (red, blue) tiled at scaling factor 2: red 2 units, blue 2 units, red again.
    const image = d.figma.createImage(png(2, 1, (x) => (x === 0 ? [255, 0, 0, 255] : [0, 0, 255, 255])));
    const tiled = d.addRectangle({ name: 'T', x: 0, y: 0, width: 8, height: 2, fills: [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'TILE', scalingFactor: 2 }] });
    const pixels = decodePng(await tiled.exportAsync());
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((x) => at(pixels, x, 0)[0] === 255 ? 'r' : 'b').join('')).toBe('rrbbrrbb');
    expect(() => (tiled.fills = [{ type: 'IMAGE', imageHash: image.hash, scaleMode: 'TILE', scalingFactor: 0 }])).toThrow(/scalingFactor/);

    // Rotated by 90°: the export covers the bounding box (10 x 20 for a 20 x 10 layer).
    const bar = d.addRectangle({ name: 'Bar', x: 0, y: 20, width: 20, height: 10, rotation: 90, fills: [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }] });
    const upright = decodePng(await bar.exportAsync());
    expect([upright.width, upright.height]).toEqual([10, 20]);
    expect(at(upright, 5, 15)).toEqual(red);
  });

  it('viewport.scrollAndZoomIntoView is recorded', () => {
    const d = createFigmaDouble();
    const r = d.addRectangle({ name: 'R', x: 100, y: 200, width: 50, height: 20 });
    d.api.viewport.scrollAndZoomIntoView([r]);
    expect(d.api.viewport.scrolledIntoView).toEqual([[r.id]]);
    expect(d.figma.viewport.center).toEqual({ x: 125, y: 210 });
  });
});
