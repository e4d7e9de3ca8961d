// The figma double behaves like Figma where the sandbox depends on it (so green tests mean something).
import { readPngSize } from '../../plugin/png-header';
import { createFigmaDouble } from '../../playground/figma-double';
import { png, rgba } from '../../playground/figma-double/node-harness';
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
});
