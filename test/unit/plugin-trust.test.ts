// The sandbox writes only what it asked for: results of jobs it started, for the layers it exported, of the size it
// expects, while the job is open; and it reads no layer the user did not pick.
import { JobRegistry, MAX_OPEN_JOBS, type OpenJob } from '../../plugin/job-registry';
import { MAX_RESULT_SIDE, validateResultSize, validateTiles } from '../../plugin/result-tiles';
import { defaultParams } from '../../techniques/registry';
import type { DoubleSceneNode, FigmaDouble } from '../../playground/figma-double';
import { last, png, resultFor, resultTiles, rgba, runJob, sent, startPastiche } from '../../playground/figma-double/node-harness';

const invert = { technique: 'invert', params: { amount: 1 } } as const;
const style = { technique: 'style' as const, params: defaultParams('style') };

async function setup() {
  const d = await startPastiche();
  const a = d.addImageLayer({ name: 'A', x: 0, y: 0, width: 40, height: 20, rgba: rgba(4, 2) });
  const b = d.addImageLayer({ name: 'B', x: 0, y: 100, width: 30, height: 30, rgba: rgba(3, 3) });
  return { d, a, b };
}

/** Nothing happened to the document or the user: no layer, no undo step, no toast, no answer to the UI. */
function expectNothing(d: FigmaDouble, layers: DoubleSceneNode[], messagesBefore: number) {
  expect(d.api.currentPage.children).toEqual(layers);
  expect(d.api.journal.commits).toBe(0);
  expect(d.api.journal.uncommitted).toBe(0);
  expect(d.api.notifications).toEqual([]);
  expect(d.uiMessages.slice(messagesBefore).filter((m) => m.type !== 'selection')).toEqual([]);
}

describe('results the sandbox did not ask for are ignored', () => {
  it('a result for a job id it never issued adds nothing, silently', async () => {
    const { d, a, b } = await setup();
    const input = await runJob(d, [a]);
    const before = d.uiMessages.length;
    await d.deliverToPlugin({ ...resultFor(input, a.id), id: 'never-issued' });
    expectNothing(d, [a, b], before);
  });

  it('a duplicate result adds one layer only (also when both arrive at once)', async () => {
    const { d, a, b } = await setup();
    const input = await runJob(d, [a]);
    await d.deliverToPlugin(resultFor(input, a.id));
    await d.deliverToPlugin(resultFor(input, a.id));
    expect(d.api.currentPage.children).toHaveLength(3);
    expect(sent(d, 'job-done')).toHaveLength(1);

    const again = await runJob(d, [b]);
    await Promise.all([d.deliverToPlugin(resultFor(again, b.id)), d.deliverToPlugin(resultFor(again, b.id))]);
    expect(d.api.currentPage.children).toHaveLength(4);
    expect(sent(d, 'job-done')).toHaveLength(2);
    expect(d.api.journal.commits).toBe(2);
    expect(d.api.notifications).toEqual([]);
  });

  it('a result after cancel-job adds nothing: arriving after the cancel, or still on its way when it comes', async () => {
    const { d, a, b } = await setup();
    const first = await runJob(d, [a]);
    await d.deliverToPlugin({ type: 'cancel-job', id: first.id });
    const before = d.uiMessages.length;
    await d.deliverToPlugin(resultFor(first, a.id));
    expectNothing(d, [a, b], before);

    const second = await runJob(d, [a]);
    const sentBefore = d.uiMessages.length;
    const arriving = d.deliverToPlugin(resultFor(second, a.id)); // the sandbox is still looking up its source ...
    await d.deliverToPlugin({ type: 'cancel-job', id: second.id }); // ... when the user cancels
    await arriving;
    expectNothing(d, [a, b], sentBefore);
  });

  it('a job cancelled while its layers are exported sends no pixels, and its results are ignored', async () => {
    const { d, a, b } = await setup();
    d.select(a);
    const running = d.deliverToPlugin({ type: 'run-job', id: 'slow', job: invert, placement: 'beside' });
    await d.deliverToPlugin({ type: 'cancel-job', id: 'slow' });
    await running;
    expect(sent(d, 'job-input')).toHaveLength(0);
    expect(sent(d, 'job-error')).toHaveLength(0);
    await d.deliverToPlugin({ type: 'job-result', id: 'slow', sourceId: a.id, job: invert, placement: 'beside', width: 40, height: 20, tiles: resultTiles(40, 20) });
    expect(d.api.currentPage.children).toEqual([a, b]);
  });

  it('a job the UI reported failed takes no more results; a finished job neither', async () => {
    const { d, a, b } = await setup();
    const failed = await runJob(d, [a, b]);
    await d.deliverToPlugin({ type: 'job-failed', id: failed.id, error: { code: 'backend', message: 'WebGL context lost.' } });
    await d.deliverToPlugin(resultFor(failed, a.id));
    expect(d.api.currentPage.children).toEqual([a, b]);

    const done = await runJob(d, [a]);
    await d.deliverToPlugin(resultFor(done, a.id));
    expect(d.api.currentPage.children).toHaveLength(3);
    await d.deliverToPlugin(resultFor(done, a.id));
    expect(d.api.currentPage.children).toHaveLength(3);
  });
});

describe('results that do not match their job are refused with a typed error', () => {
  it('a sourceId the job did not export (a layer that was not selected) is refused', async () => {
    const { d, a, b } = await setup();
    const input = await runJob(d, [a]);
    await d.deliverToPlugin({ ...resultFor(input, a.id), sourceId: b.id, width: 30, height: 30, tiles: resultTiles(30, 30) });
    expect(last(d, 'job-error')).toMatchObject({ id: input.id, error: { code: 'bad-input', message: expect.stringMatching(/did not read/) } });
    expect(d.api.currentPage.children).toEqual([a, b]);
    // The job's own result is still welcome.
    await d.deliverToPlugin(resultFor(input, a.id));
    expect(d.api.currentPage.children).toHaveLength(3);
  });

  it('NaN, Infinity, zero and negative sizes never get through (the schema drops them), fractions are refused', async () => {
    const { d, a, b } = await setup();
    const input = await runJob(d, [a]);
    const before = d.uiMessages.length;
    for (const width of [Number.NaN, Infinity, -Infinity, 0, -40]) {
      await d.deliverToPlugin({ ...resultFor(input, a.id), width });
      await d.deliverToPlugin({ ...resultFor(input, a.id), height: width });
    }
    expectNothing(d, [a, b], before);
    await d.deliverToPlugin({ ...resultFor(input, a.id), width: 40.5 });
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/no usable size/) });
    expect(d.api.currentPage.children).toEqual([a, b]);

    expect(() => validateResultSize(Number.NaN, 10)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => validateResultSize(Infinity, 10)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => validateResultSize(10, 0)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => validateResultSize(MAX_RESULT_SIDE + 1, 10)).toThrow(expect.objectContaining({ code: 'too-large' }));
  });

  it('a result of another size than its layer was exported at is refused, unless the technique sets its size', async () => {
    const { d, a, b } = await setup();
    const input = await runJob(d, [a]);
    await d.deliverToPlugin(resultFor(input, a.id, { width: 80, height: 40 }));
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/80 × 40 px but its layer was sent at 40 × 20 px/) });
    expect(d.api.currentPage.children).toEqual([a, b]);

    const styled = await runJob(d, [a], { job: style });
    await d.deliverToPlugin(resultFor(styled, a.id, { width: 80, height: 40 }));
    expect(d.api.currentPage.children).toHaveLength(3);
    const tooBig = await runJob(d, [b], { job: style });
    await d.deliverToPlugin(resultFor(tooBig, b.id, { width: MAX_RESULT_SIDE + 1, height: 1 }));
    expect(last(d, 'job-error').error.code).toBe('too-large');
  });

  it('tiles must cover the result exactly once', () => {
    const tile = (x: number, y: number, w: number, h: number) => ({ x, y, width: w, height: h, png: png(w, h) });
    expect(() => validateTiles(20, 10, [tile(0, 0, 10, 10)])).toThrow(/do not cover/);
    expect(() => validateTiles(20, 10, [tile(0, 0, 12, 10), tile(10, 0, 10, 10)])).toThrow(/overlap/);
    expect(() => validateTiles(20, 10, [tile(0, 0, 10, 10), tile(10, 0, 10, 10)])).not.toThrow();
  });

  it('a result whose job, parameters or placement differ from what was started is refused', async () => {
    const { d, a, b } = await setup();
    const input = await runJob(d, [a]);
    await d.deliverToPlugin({ ...resultFor(input, a.id), job: { technique: 'invert', params: { amount: 0.3 } } });
    expect(last(d, 'job-error').error.message).toMatch(/does not match the job/);
    const other = await runJob(d, [a]);
    await d.deliverToPlugin({ ...resultFor(other, a.id), placement: 'on-top' });
    expect(last(d, 'job-error').error.message).toMatch(/does not match the job/);
    const third = await runJob(d, [a]);
    await d.deliverToPlugin({ ...resultFor(third, a.id), job: { technique: 'blur', params: { radius: 4 } } });
    expect(last(d, 'job-error').error.message).toMatch(/does not match the job/);
    expect(d.api.currentPage.children).toEqual([a, b]);
  });

  it('a source moved to another page meanwhile: a typed error, nothing added', async () => {
    const { d, a } = await setup();
    const input = await runJob(d, [a]);
    d.api.journal.untracked(() => d.addPage('Other').appendChild(a));
    await d.deliverToPlugin(resultFor(input, a.id));
    expect(last(d, 'job-error').error).toEqual({ code: 'bad-selection', message: 'The source layer was deleted or moved to another page. Nothing was added.' });
    expect(sent(d, 'job-done')).toHaveLength(0);
  });
});

describe('the sandbox reads only layers the user picked, on the current page', () => {
  const layerStyle = { ...defaultParams('style'), styles: [{ source: 'layer' as const, weight: 1 }] };

  it('a referenceId that is not among the selected layers is refused, and nothing is exported', async () => {
    const { d, a, b } = await setup();
    d.select(a);
    await d.deliverToPlugin({ type: 'run-job', id: 's', job: { technique: 'style', params: layerStyle, referenceId: b.id }, placement: 'beside' });
    expect(last(d, 'job-error').error).toEqual({ code: 'bad-selection', message: 'Select the style layer together with the layer to work on.' });
    expect(d.api.exports).toHaveLength(0);
  });

  it('on "Apply again", the reference saved on the result is allowed, but not from another page', async () => {
    const { d, a, b } = await setup();
    const job = { technique: 'style' as const, params: layerStyle, referenceId: b.id };
    const input = await runJob(d, [a, b], { job });
    await d.deliverToPlugin(resultFor(input, a.id));
    const result = (await d.api.getNodeByIdAsync(last(d, 'job-done').resultId)) as DoubleSceneNode;
    await runJob(d, [result], { job, reapply: true }); // allowed: b is the result's saved reference
    const exports = d.api.exports.length;
    d.api.journal.untracked(() => d.addPage('Other').appendChild(b));
    d.select(result);
    await d.deliverToPlugin({ type: 'run-job', id: 'again', job, placement: 'beside', reapply: true });
    expect(last(d, 'job-error').error.message).toBe('The style layer is on another page. Pick a style on this page.');
    expect(d.api.exports).toHaveLength(exports);
  });

  it('on "Apply again", a source on another page is refused, never exported', async () => {
    const { d, a } = await setup();
    const input = await runJob(d, [a]);
    await d.deliverToPlugin(resultFor(input, a.id));
    const result = (await d.api.getNodeByIdAsync(last(d, 'job-done').resultId)) as DoubleSceneNode;
    d.api.journal.untracked(() => d.addPage('Other').appendChild(a));
    const exports = d.api.exports.length;
    d.select(result);
    await d.deliverToPlugin({ type: 'run-job', id: 'again', job: invert, placement: 'beside', reapply: true });
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-selection', message: expect.stringMatching(/“A” is on another page/) });
    expect(d.api.exports).toHaveLength(exports);
  });
});

describe('job-failed', () => {
  it('with missing or wrong fields shows nothing (never a raw TypeError toast)', async () => {
    const { d } = await setup();
    for (const raw of [
      { type: 'job-failed', id: 'x' },
      { type: 'job-failed', id: 'x', error: {} },
      { type: 'job-failed', id: 'x', error: { code: 'nope', message: 'm' } },
      { type: 'job-failed', id: 'x', error: { code: 'backend' } },
      { type: 'job-failed', id: 'x', error: { code: 'backend', message: 'x'.repeat(501) } },
      { type: 'job-failed', error: { code: 'backend', message: 'm' } },
      { type: 'job-failed', id: 'x', error: null },
    ]) {
      await d.api.ui.deliver(raw as never);
    }
    expect(d.api.notifications).toEqual([]);
  });
});

describe('JobRegistry', () => {
  const open = (id: string, sources: string[]): OpenJob => ({
    id,
    pageId: 'p',
    job: { technique: 'invert', params: { amount: 1 } },
    placement: 'beside',
    sources: new Map(sources.map((s) => [s, { id: s, pixelSizes: [{ width: 1, height: 1 }] }])),
    answered: new Set(),
  });

  it('drops a job once all its sources are answered', () => {
    const jobs = new JobRegistry();
    const ticket = jobs.begin('j');
    expect(jobs.publish(ticket, open('j', ['a', 'b']))).toBe(true);
    const first = jobs.claim('j', 'a');
    expect(first.kind).toBe('claimed');
    expect(jobs.claim('j', 'a').kind).toBe('ignore');
    expect(jobs.claim('j', 'z').kind).toBe('not-a-source');
    if (first.kind === 'claimed') jobs.release(first.ticket);
    expect(jobs.size).toBe(1);
    const second = jobs.claim('j', 'b');
    // Answered, but still being written: a cancel must still reach it.
    expect(jobs.size).toBe(1);
    jobs.cancel('j');
    if (second.kind === 'claimed') {
      expect(second.ticket.cancelled).toBe(true);
      jobs.release(second.ticket);
    }
    expect(jobs.size).toBe(0);
    expect(jobs.claim('j', 'b').kind).toBe('ignore');
  });

  it(`keeps at most ${MAX_OPEN_JOBS} jobs open, dropping the oldest`, () => {
    const jobs = new JobRegistry();
    const tickets = Array.from({ length: MAX_OPEN_JOBS + 10 }, (_, i) => {
      const ticket = jobs.begin(`j${i}`);
      jobs.publish(ticket, open(`j${i}`, ['a']));
      return ticket;
    });
    expect(jobs.size).toBe(MAX_OPEN_JOBS);
    expect(tickets[0].cancelled).toBe(true);
    expect(jobs.claim('j0', 'a').kind).toBe('ignore');
    expect(jobs.claim(`j${MAX_OPEN_JOBS + 9}`, 'a').kind).toBe('claimed');
    expect(() => jobs.begin(`j${MAX_OPEN_JOBS + 9}`)).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });
});
