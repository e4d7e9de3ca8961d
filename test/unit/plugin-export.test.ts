// run-job: the sandbox exports the selection at a scale that respects the technique's limit and sends the pixels.
import { exportScale } from '../../plugin/export-layer';
import { readPngSize } from '../../plugin/png-header';
import { techniqueSpec } from '../../techniques/registry';
import { decodePng, last, rgba, sent, startPastiche } from '../../playground/figma-double/node-harness';

const runJob = (id: string, technique: 'invert' | 'blur' = 'invert') =>
  technique === 'blur'
    ? ({ type: 'run-job', id, job: { technique: 'blur', params: { radius: 8 } }, placement: 'beside' } as const)
    : ({ type: 'run-job', id, job: { technique: 'invert', params: { amount: 1 } }, placement: 'beside' } as const);

describe('exportScale', () => {
  it('keeps small layers at 1x and never upscales', () => {
    expect(exportScale(300, 200, 4096)).toBe(1);
  });
  it('shrinks so that the longest side fits the limit', () => {
    const s = exportScale(10000, 5000, 4096);
    expect(Math.round(10000 * s)).toBe(4096);
    expect(Math.round(5000 * s)).toBe(2048);
  });
  it('never exports a side of zero pixels', () => {
    const s = exportScale(0.25, 40, 4096);
    expect(0.25 * s).toBeGreaterThanOrEqual(1);
    expect(40 * s).toBeLessThanOrEqual(4096);
  });
  it('refuses sizes it cannot honour with a typed error', () => {
    expect(() => exportScale(0, 40, 4096)).toThrow(expect.objectContaining({ code: 'bad-selection' }));
    expect(() => exportScale(0.001, 4096, 4096)).toThrow(expect.objectContaining({ code: 'bad-selection' }));
  });
});

describe('run-job', () => {
  it('exports the selected layer as an sRGB PNG of its own size and sends job-input', async () => {
    const d = await startPastiche();
    const photo = d.addImageLayer({ name: 'Photo', x: 10, y: 20, width: 64, height: 32, rgba: rgba(64, 32, (x) => [x * 4, 0, 255 - x * 4, 255]) });
    d.select(photo);
    await d.deliverToPlugin(runJob('j1'));

    const input = last(d, 'job-input');
    expect(input.id).toBe('j1');
    expect(input.job).toEqual({ technique: 'invert', params: { amount: 1 } });
    expect(input.sources).toHaveLength(1);
    const [source] = input.sources;
    expect(source).toMatchObject({ id: photo.id, name: 'Photo', width: 64, height: 32, scale: 1 });
    expect(readPngSize(source.png)).toEqual({ width: 64, height: 32 });
    // The pixels are the layer's: a horizontal gradient, red rising to the right.
    const pixels = decodePng(source.png);
    expect(pixels.data[0]).toBe(0);
    expect(pixels.data[(63) * 4]).toBe(252);
    expect(d.api.exports[0].settings).toMatchObject({ format: 'PNG', colorProfile: 'SRGB', constraint: { type: 'SCALE', value: 1 } });
    expect(d.api.notifications).toEqual([]);
  });

  it("scales large layers down to the technique's maxInputSide", async () => {
    const d = await startPastiche();
    expect(techniqueSpec('blur').maxInputSide).toBe(4096);
    const big = d.addImageLayer({ name: 'Poster', x: 0, y: 0, width: 8192, height: 2048, rgba: rgba(16, 4) });
    d.select(big);
    await d.deliverToPlugin(runJob('j2', 'blur'));

    const [source] = last(d, 'job-input').sources;
    expect(source.scale).toBeCloseTo(0.5);
    expect(source.width).toBe(8192);
    expect(readPngSize(source.png)).toEqual({ width: 4096, height: 1024 });
  });

  it('exports every selected layer', async () => {
    const d = await startPastiche();
    const a = d.addImageLayer({ name: 'A', x: 0, y: 0, width: 10, height: 10, rgba: rgba(10, 10) });
    const b = d.addImageLayer({ name: 'B', x: 50, y: 0, width: 20, height: 12, rgba: rgba(20, 12) });
    d.select(a, b);
    await d.deliverToPlugin(runJob('j3'));
    const { sources } = last(d, 'job-input');
    expect(sources.map((s) => s.name)).toEqual(['A', 'B']);
    expect(readPngSize(sources[1].png)).toEqual({ width: 20, height: 12 });
  });

  it('refuses parameters out of range before exporting anything', async () => {
    const d = await startPastiche();
    d.select(d.addImageLayer({ name: 'A', x: 0, y: 0, width: 10, height: 10, rgba: rgba(10, 10) }));
    await d.deliverToPlugin({ type: 'run-job', id: 'j4', job: { technique: 'blur', params: { radius: 0 } }, placement: 'beside' });
    expect(last(d, 'job-error').error.code).toBe('bad-params');
    expect(d.api.exports).toHaveLength(0);
    expect(sent(d, 'job-input')).toHaveLength(0);
  });
});
