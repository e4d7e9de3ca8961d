// The UI's side of the message table: typed send to the sandbox and typed subscription to its messages.
import type { PluginToUi, UiToPlugin } from '../plugin/messages';

export function sendToPlugin(message: UiToPlugin, transfer: Transferable[] = []): void {
  parent.postMessage({ pluginMessage: message }, '*', transfer);
}

export function onPluginMessage(listener: (message: PluginToUi) => void): () => void {
  const handler = (event: MessageEvent) => {
    const message = event.data?.pluginMessage as PluginToUi | undefined;
    if (message && typeof message.type === 'string') listener(message);
  };
  window.addEventListener('message', handler);
  return () => window.removeEventListener('message', handler);
}
