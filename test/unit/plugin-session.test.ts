// Start-up, selection messages, bad selections, UI notifications and settings: the sandbox's wiring.
import { DEFAULT_SETTINGS } from '../../plugin/messages';
import { SETTINGS_KEY, normalizeSettings } from '../../plugin/settings';
import { last, rgba, sent, startPastiche } from '../../playground/figma-double/node-harness';

const run = { type: 'run-job', id: 'j', job: { technique: 'invert', params: { amount: 1 } }, placement: 'beside' } as const;

describe('start-up', () => {
  it('opens the UI with its size and theme colours and answers ui-ready with init', async () => {
    const mounted: unknown[] = [];
    const d = await startPastiche({ ready: false, mountUi: (html, options) => mounted.push([html, options]) });
    expect(d.api.showUiCalls).toHaveLength(1);
    expect(d.api.showUiCalls[0].options).toEqual({ width: 320, height: 560, themeColors: true });
    expect(mounted).toHaveLength(1);
    expect(d.uiMessages).toEqual([]); // nothing before the UI says it is ready
    const photo = d.addImageLayer({ name: 'Photo', x: 0, y: 0, width: 30, height: 20, rgba: rgba(3, 2) });
    d.select(photo);
    expect(d.uiMessages).toEqual([]);
    await d.deliverToPlugin({ type: 'ui-ready' });
    expect(d.uiMessages).toEqual([
      { type: 'init', settings: DEFAULT_SETTINGS, selection: [{ id: photo.id, name: 'Photo', width: 30, height: 20 }] },
    ]);
  });

  it('sends the selection when it changes, through the deliverToUi hook', async () => {
    const delivered: unknown[] = [];
    const d = await startPastiche({ deliverToUi: (m) => delivered.push(m) });
    const a = d.addImageLayer({ name: 'A', x: 0, y: 0, width: 1, height: 2, rgba: rgba(1, 2) });
    d.select(a);
    d.select();
    expect(sent(d, 'selection').map((m) => m.selection)).toEqual([[{ id: a.id, name: 'A', width: 1, height: 2 }], []]);
    expect(delivered).toEqual(d.uiMessages);
  });
});

describe('bad selections give typed errors and an error toast, never a crash', () => {
  it('nothing selected', async () => {
    const d = await startPastiche();
    await d.deliverToPlugin(run);
    expect(last(d, 'job-error')).toEqual({ type: 'job-error', id: 'j', error: { code: 'no-selection', message: 'Select a layer first.' } });
    expect(d.api.notifications).toEqual([{ message: 'Select a layer first.', options: { error: true } }]);
  });

  it('a zero-size layer', async () => {
    const d = await startPastiche();
    d.select(d.addRectangle({ name: 'Line', x: 0, y: 0, width: 120, height: 0 }));
    await d.deliverToPlugin(run);
    const { error } = last(d, 'job-error');
    expect(error.code).toBe('bad-selection');
    expect(error.message).toMatch(/“Line” has no size/);
    expect(d.api.exports).toHaveLength(0);
    expect(d.api.notifications.at(-1)?.options).toEqual({ error: true });
  });

  it('a hidden layer, or one inside a hidden frame', async () => {
    const d = await startPastiche();
    const frame = d.addFrame({ name: 'Hidden frame', x: 0, y: 0, width: 100, height: 100, visible: false });
    d.select(d.addImageLayer({ name: 'Pic', x: 0, y: 0, width: 10, height: 10, rgba: rgba(1, 1), parent: frame }));
    await d.deliverToPlugin(run);
    expect(last(d, 'job-error').error).toMatchObject({ code: 'bad-selection', message: expect.stringMatching(/hidden/) });
  });

  it('one bad layer among good ones fails the job before any export', async () => {
    const d = await startPastiche();
    const good = d.addImageLayer({ name: 'Good', x: 0, y: 0, width: 10, height: 10, rgba: rgba(1, 1) });
    const flat = d.addRectangle({ name: 'Flat', x: 0, y: 0, width: 0, height: 10 });
    d.select(good, flat);
    await d.deliverToPlugin(run);
    expect(last(d, 'job-error').error.code).toBe('bad-selection');
    expect(d.api.exports).toHaveLength(0);
  });
});

describe('messages from the UI', () => {
  it('job-failed shows the error, but a cancel is a plain "Cancelled"', async () => {
    const d = await startPastiche();
    await d.deliverToPlugin({ type: 'job-failed', id: 'a', error: { code: 'backend', message: 'WebGL context lost.' } });
    await d.deliverToPlugin({ type: 'job-failed', id: 'b', error: { code: 'cancelled', message: 'Cancelled.' } });
    expect(d.api.notifications).toEqual([
      { message: 'WebGL context lost.', options: { error: true } },
      { message: 'Cancelled' },
    ]);
  });

  it('ignores messages that are not ours', async () => {
    const d = await startPastiche();
    await d.api.ui.deliver('hello' as never);
    await d.api.ui.deliver({ nope: 1 } as never);
    expect(d.uiMessages.map((m) => m.type)).toEqual(['init']);
  });
});

describe('settings', () => {
  it('round-trip through clientStorage and come back on the next start', async () => {
    const d = await startPastiche();
    const settings = { placement: 'on-top', params: { blur: { radius: 12 } }, panel: 'blur', revealResult: false, window: { width: 400, height: 700 } } as const;
    await d.deliverToPlugin({ type: 'save-settings', settings });
    expect(d.api.clientStorage.map.get(SETTINGS_KEY)).toEqual(settings);

    const next = await startPastiche({ storage: Object.fromEntries(d.api.clientStorage.map) });
    expect(last(next, 'init').settings).toEqual(settings);
  });

  it('are merged with the defaults, dropping what is invalid', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ placement: 'sideways', params: { nope: {}, invert: { amount: 0.3 }, blur: 'x' }, panel: 7 })).toEqual({
      placement: 'beside',
      params: { invert: { amount: 0.3 }, blur: { radius: 8 } },
      panel: '',
      revealResult: true,
      window: { width: 320, height: 560 },
    });
    expect(normalizeSettings({ revealResult: false }).revealResult).toBe(false);
    expect(normalizeSettings({ revealResult: 'no' }).revealResult).toBe(true);
    expect(normalizeSettings({ params: { blur: {} } }).params).toEqual({ blur: { radius: 8 } });
  });

  it('are repaired field by field: a bad stored value falls back to its default, the good ones stay', () => {
    const stored = { params: { style: { styles: 'nope', strength: 0.4, styleScale: 9, gatys: { steps: 12, tvWeight: 'x' } } } };
    const style = normalizeSettings(stored).params.style as Record<string, unknown> & { gatys: Record<string, unknown> };
    expect(style.styles).toEqual([{ source: 'starry_night', weight: 1 }]);
    expect(style.strength).toBe(0.4);
    expect(style.styleScale).toBe(1);
    expect(style.gatys.steps).toBe(12);
    expect(style.gatys.tvWeight).toBe(0.001);
  });

  it('a failing storage still opens the plugin with the defaults', async () => {
    const d = await startPastiche({ ready: false });
    d.api.clientStorage.getAsync = () => Promise.reject(new Error('quota'));
    await d.deliverToPlugin({ type: 'ui-ready' });
    expect(last(d, 'init').settings).toEqual(DEFAULT_SETTINGS);
  });
});

describe('the window', () => {
  it('resizes when the user drags its corner, and opens at that size next time', async () => {
    const d = await startPastiche();
    await d.deliverToPlugin({ type: 'resize-window', size: { width: 400, height: 720 } });
    expect(d.api.ui.size).toEqual({ width: 400, height: 720 });
    const next = await startPastiche({ storage: Object.fromEntries(d.api.clientStorage.map) });
    expect(next.api.ui.size).toEqual({ width: 400, height: 720 });
    expect(last(next, 'init').settings.window).toEqual({ width: 400, height: 720 });
  });

  it('refuses sizes outside the limits (the message is ignored)', async () => {
    const d = await startPastiche();
    await d.deliverToPlugin({ type: 'resize-window', size: { width: 20, height: 99999 } } as never);
    expect(d.api.ui.size).toEqual({ width: 320, height: 560 });
  });
});
