// A layer used as a style (the job's reference): exported for reading, never worked on, remembered for "Apply again".
import { defaultParams, techniqueSpec } from '../../techniques/registry';

const MAX_REFERENCE_SIDE = techniqueSpec('style').reference!.maxSide;
import { last, resultFor, rgba, runJob, startPastiche } from '../../playground/figma-double/node-harness';
import type { DoubleSceneNode } from '../../playground/figma-double';

const layerStyle = { ...defaultParams('style'), styles: [{ source: 'layer' as const, weight: 1 }] };

describe('reference layers', () => {
  it('the style layer comes as the reference, the other selected layer as the source', async () => {
    const d = await startPastiche();
    const content = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
    const style = d.addImageLayer({ name: 'Painting', x: 0, y: 40, width: 3000, height: 1500, rgba: rgba(6, 3) });
    d.select(content, style);
    await d.deliverToPlugin({ type: 'run-job', id: 's', job: { technique: 'style', params: layerStyle, referenceId: style.id }, placement: 'beside' });
    const input = last(d, 'job-input');
    expect(input.sources.map((s) => s.id)).toEqual([content.id]);
    expect(input.reference?.id).toBe(style.id);
    // Styles are seen at network sizes: the reference is exported no larger than MAX_REFERENCE_SIDE.
    expect(Math.round(input.reference!.width * input.reference!.scale)).toBe(MAX_REFERENCE_SIDE);
  });

  it('with only the style layer selected, a clear error and no export', async () => {
    const d = await startPastiche();
    const style = d.addImageLayer({ name: 'Painting', x: 0, y: 40, width: 30, height: 15, rgba: rgba(6, 3) });
    d.select(style);
    await d.deliverToPlugin({ type: 'run-job', id: 's', job: { technique: 'style', params: layerStyle, referenceId: style.id }, placement: 'beside' });
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-selection', message: expect.stringMatching(/layer to work on as well as the style layer/) });
    expect(d.api.exports).toHaveLength(0);
  });

  it('a result remembers its style layer, and "Apply again" exports it even when it is not selected', async () => {
    const d = await startPastiche();
    const content = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 20, height: 10, rgba: rgba(2, 1) });
    const style = d.addImageLayer({ name: 'Painting', x: 0, y: 40, width: 30, height: 15, rgba: rgba(6, 3) });
    const job = { technique: 'style' as const, params: layerStyle, referenceId: style.id };
    const first = await runJob(d, [content, style], { id: 'r', job });
    await d.deliverToPlugin(resultFor(first, content.id));
    const result = (await d.api.getNodeByIdAsync(last(d, 'job-done').resultId)) as DoubleSceneNode;
    expect(result.name).toBe('Photo — Style (style of Painting)');
    d.select(result);
    await d.deliverToPlugin({ type: 'run-job', id: 'again', job, placement: 'beside', reapply: true });
    const input = last(d, 'job-input');
    expect(input.sources.map((s) => s.id)).toEqual([content.id]);
    expect(input.reference?.id).toBe(style.id);
  });

  it('a deleted style layer gives a typed error', async () => {
    const d = await startPastiche();
    const content = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 20, height: 10, rgba: rgba(2, 1) });
    const style = d.addImageLayer({ name: 'Painting', x: 0, y: 40, width: 30, height: 15, rgba: rgba(6, 3) });
    const styleId = style.id;
    style.remove();
    d.select(content);
    await d.deliverToPlugin({ type: 'run-job', id: 's', job: { technique: 'style', params: layerStyle, referenceId: styleId }, placement: 'beside' });
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-selection', message: expect.stringMatching(/style layer was deleted/) });
  });
});
