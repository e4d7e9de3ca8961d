// "Apply again": a result remembers its job; started from its relaunch button the plugin hands the job to the UI,
// and a job run on results goes to their sources.
import { JOB_DATA_KEY, RELAUNCH_COMMAND, type SavedJob } from '../../plugin/messages';
import { resolveJobSources } from '../../plugin/resolve-sources';
import { last, rgba, runAndDeliver, startPastiche } from '../../playground/figma-double/node-harness';
import type { DoubleSceneNode, FigmaDouble } from '../../playground/figma-double';

const blur = { technique: 'blur', params: { radius: 4 } } as const;

async function makeResult(d: FigmaDouble, sourceName = 'Photo') {
  const src = d.addImageLayer({ name: sourceName, x: 0, y: 0, width: 20, height: 10, rgba: rgba(2, 1) });
  await runAndDeliver(d, src, { id: 'r', job: blur });
  const result = (await d.api.getNodeByIdAsync(last(d, 'job-done').resultId)) as DoubleSceneNode;
  return { src, result };
}

describe('relaunch', () => {
  it('init carries the saved job of the selected result when started by the relaunch button', async () => {
    const d = await startPastiche({ command: RELAUNCH_COMMAND, ready: false });
    const src = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 20, height: 10, rgba: rgba(2, 1) });
    const result = d.addRectangle({ name: 'Photo — Blur (radius 4px)', x: 44, y: 0, width: 20, height: 10 });
    const job: SavedJob = { ...blur, sourceId: src.id };
    result.setPluginData(JOB_DATA_KEY, JSON.stringify(job));
    d.select(src, result); // the first selected *result* is the one relaunched
    await d.deliverToPlugin({ type: 'ui-ready' });
    const init = last(d, 'init');
    expect(init.relaunch).toEqual(job);
    expect(init.selection.map((l) => l.job)).toEqual([undefined, job]);
  });

  it('a normal start carries no relaunch job', async () => {
    const d = await startPastiche();
    const { result } = await makeResult(d);
    d.select(result);
    await d.deliverToPlugin({ type: 'ui-ready' });
    expect(last(d, 'init').relaunch).toBeUndefined();
    expect(last(d, 'init').selection[0].job).toMatchObject(blur);
  });

  it('resolveJobSources with reapply: the new (non-result) layers of the selection, else the results\' sources', async () => {
    const d = await startPastiche();
    const { src, result } = await makeResult(d);
    const other = d.addImageLayer({ name: 'Other', x: 0, y: 50, width: 5, height: 5, rgba: rgba(1, 1) });
    expect(await resolveJobSources(d.figma, [result] as unknown as SceneNode[], true)).toEqual([src]);
    expect(await resolveJobSources(d.figma, [result, result] as unknown as SceneNode[], true)).toEqual([src]);
    expect(await resolveJobSources(d.figma, [result, other] as unknown as SceneNode[], true)).toEqual([other]);
    await expect(resolveJobSources(d.figma, [], true)).rejects.toMatchObject({ code: 'no-selection' });
  });

  it('without reapply a result is worked on as it is (effects chain)', async () => {
    const d = await startPastiche();
    const { result } = await makeResult(d);
    expect(await resolveJobSources(d.figma, [result] as unknown as SceneNode[], false)).toEqual([result]);
  });

  it('run-job with reapply on a result exports its source ("Apply again")', async () => {
    const d = await startPastiche();
    const { src, result } = await makeResult(d);
    d.select(result);
    await d.deliverToPlugin({ type: 'run-job', id: 'again', job: blur, placement: 'beside', reapply: true });
    expect(last(d, 'job-input').sources.map((s) => s.id)).toEqual([src.id]);
  });

  it('a result whose source was deleted gives a typed error', async () => {
    const d = await startPastiche();
    const { src, result } = await makeResult(d);
    src.remove();
    d.select(result);
    await d.deliverToPlugin({ type: 'run-job', id: 'again', job: blur, placement: 'beside', reapply: true });
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-selection', message: expect.stringMatching(/source layer of “Photo — Blur/) });
    expect(d.api.notifications.at(-1)?.options).toEqual({ error: true });
  });
});
