// The typed ends of the sandbox <-> UI channel: one place that knows messages are plain `figma.ui` posts.
import type { PluginToUi } from './messages';

export function postToUi(figma: PluginAPI, message: PluginToUi): void {
  figma.ui.postMessage(message);
}
