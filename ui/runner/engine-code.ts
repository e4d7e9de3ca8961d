// The engine's code comes from the sandbox, which cut it out of the UI file before opening the window
// (plugin/ui-document.ts): asked for when the engine starts, so the panel is drawn first.
import { onPluginMessage, sendToPlugin } from '../plugin-bridge';

/** The engine bundle's source text. Each call asks the sandbox again (the panel asks once; a test harness may too). */
export function requestEngineCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    const stop = onPluginMessage((message) => {
      if (message.type !== 'engine-code') return;
      stop();
      if (message.code) resolve(message.code);
      else reject(new Error('The engine code is missing from the plugin: rebuild it (npm run build).'));
    });
    sendToPlugin({ type: 'load-engine' });
  });
}
