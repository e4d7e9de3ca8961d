// Wires the sandbox: opens the UI and routes each message to the module that handles it. No logic of its own, so
// the tests can start the real plugin against the figma double with startPlugin(double.figma, html).
import { JobRegistry } from './job-registry';
import { MAX_REMOVED_IDS, parseUiMessage, RELAUNCH_COMMAND, type PluginToUi, type UiToPlugin } from './messages';
import { summarizeSelection } from './layer-summary';
import { reportJobError } from './report-error';
import { handleRunJob } from './run-job';
import { readSavedJob } from './saved-job';
import { loadSettings, saveSettings } from './settings';
import { postToUi } from './ui-channel';
import { splitUiDocument } from './ui-document';
import { focusLayer, handleCollectionResult } from './write-collection';
import { handleJobResult } from './write-result';

export const UI_OPTIONS: ShowUIOptions = { width: 320, height: 560, themeColors: true };

/** The saved job of the first selected result when the plugin was started by its "Apply again" button. */
function relaunchJob(figma: PluginAPI) {
  if (figma.command !== RELAUNCH_COMMAND) return undefined;
  for (const node of figma.currentPage.selection) {
    const job = readSavedJob(node);
    if (job) return job;
  }
  return undefined;
}

async function sendInit(figma: PluginAPI): Promise<void> {
  const settings = await loadSettings(figma);
  // The window opens at the default size (showUI runs before storage can be read), then takes the user's.
  if (settings.window.width !== UI_OPTIONS.width || settings.window.height !== UI_OPTIONS.height) figma.ui.resize(settings.window.width, settings.window.height);
  const relaunch = relaunchJob(figma);
  const init: PluginToUi = { type: 'init', settings, selection: summarizeSelection(figma) };
  postToUi(figma, relaunch ? { ...init, relaunch } : init);
}

/** What one run of the plugin keeps between messages. */
export interface PluginSession {
  /** The jobs it started and still waits on: only their results are written. */
  readonly jobs: JobRegistry;
  /** The UI said `ui-ready`. */
  onReady(): void;
  /** The engine's code, cut from the UI file: sent when the UI asks for it. */
  readonly engineCode: string;
}

/** Routes one UI message. Returns when its work is done (the double awaits it; Figma ignores the promise). */
export async function handleUiMessage(figma: PluginAPI, message: UiToPlugin, session: PluginSession): Promise<void> {
  switch (message.type) {
    case 'ui-ready':
      session.onReady();
      return sendInit(figma);
    case 'load-engine':
      postToUi(figma, { type: 'engine-code', code: session.engineCode });
      return;
    case 'run-job':
      return handleRunJob(figma, message, session.jobs);
    case 'job-result':
      return handleJobResult(figma, message, session.jobs);
    case 'collection-result':
      return handleCollectionResult(figma, message, session.jobs);
    case 'focus-layer':
      return focusLayer(figma, message.layerId);
    case 'job-failed':
      session.jobs.finish(message.id);
      if (message.error.code === 'cancelled') figma.notify('Cancelled');
      else figma.notify(message.error.message, { error: true });
      return;
    case 'cancel-job':
      // Quiet: the UI says "Cancelled" itself (and its job-failed 'cancelled' toasts it).
      session.jobs.cancel(message.id);
      return;
    case 'resize-window':
      figma.ui.resize(message.size.width, message.size.height);
      try {
        await saveSettings(figma, { ...(await loadSettings(figma)), window: message.size });
      } catch {
        // The window has its size; only remembering it failed, which the next resize retries.
      }
      return;
    case 'save-settings':
      try {
        await saveSettings(figma, message.settings);
      } catch {
        figma.notify('Pastiche could not save your settings.', { error: true });
      }
      return;
    default: {
      const unknown: never = message; // a new UiToPlugin message without a case here is a compile error
      console.warn('Pastiche: unknown message', unknown);
    }
  }
}

/**
 * Calls `onDeleted` with the ids of layers deleted from the page the user is on (an undo of a result included), so the
 * UI can drop a banner about a layer that is gone. Per page ('nodechange'): the document-wide event would make a
 * dynamic-page plugin load every page first.
 */
function watchDeletions(figma: PluginAPI, onDeleted: (ids: string[]) => void): void {
  const listener = (event: NodeChangeEvent) => {
    const ids = event.nodeChanges.filter((change) => change.type === 'DELETE').map((change) => change.id);
    if (ids.length > 0) onDeleted(ids);
  };
  let page = figma.currentPage;
  page.on('nodechange', listener);
  figma.on('currentpagechange', () => {
    page.off('nodechange', listener);
    page = figma.currentPage;
    page.on('nodechange', listener);
  });
}

export function startPlugin(figma: PluginAPI, html: string): void {
  let uiReady = false;
  const { panel, engineCode } = splitUiDocument(html);
  const session: PluginSession = { jobs: new JobRegistry(), onReady: () => (uiReady = true), engineCode };
  figma.showUI(panel, UI_OPTIONS);
  figma.on('selectionchange', () => {
    // Before `ui-ready` the UI could not receive it; `init` carries the selection then.
    if (uiReady) postToUi(figma, { type: 'selection', selection: summarizeSelection(figma) });
  });
  watchDeletions(figma, (ids) => uiReady && postToUi(figma, { type: 'layers-removed', ids: ids.slice(0, MAX_REMOVED_IDS) }));
  figma.ui.onmessage = (raw: unknown) => {
    // The channel is untyped: anything that is not one of our messages, exactly, is ignored.
    const message = parseUiMessage(raw);
    if (!message) return undefined;
    return handleUiMessage(figma, message, session).catch((error: unknown) => {
      // Handlers report their own errors; this is the last guard so nothing ends as an unhandled rejection.
      const id = 'id' in message && typeof message.id === 'string' ? message.id : '';
      reportJobError(figma, id, error);
    });
  };
}
