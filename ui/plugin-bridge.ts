// The UI's side of the message table: typed send to the sandbox and checked subscription to its messages.
import { parsePluginMessage, type PluginToUi, type UiToPlugin } from '../plugin/messages';

export function sendToPlugin(message: UiToPlugin, transfer: Transferable[] = []): void {
  parent.postMessage({ pluginMessage: message }, '*', transfer);
}

export function onPluginMessage(listener: (message: PluginToUi) => void): () => void {
  const handler = (event: MessageEvent) => {
    // Only the sandbox's messages, exactly as the table defines them; anything else is ignored.
    const message = event.data?.pluginMessage === undefined ? null : parsePluginMessage(event.data.pluginMessage);
    if (message) listener(message);
  };
  window.addEventListener('message', handler);
  return () => window.removeEventListener('message', handler);
}
