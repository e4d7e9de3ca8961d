// The typed ends of the sandbox <-> UI channel: one place that knows messages are plain `figma.ui` posts.
import type { PluginToUi, UiToPlugin } from './messages';

export function postToUi(figma: PluginAPI, message: PluginToUi): void {
  figma.ui.postMessage(message);
}

/** A message from the UI, checked just enough to route it (the UI is ours, but the channel is untyped at runtime). */
export function isUiMessage(value: unknown): value is UiToPlugin {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
