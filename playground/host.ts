// The playground page: the real sandbox bundle (dist/code.js) runs against the figma double, the real UI
// (dist/ui.html) runs in a sandboxed iframe as in Figma, and the canvas shows the page's layers.
import { RELAUNCH_COMMAND, type PluginToUi, type UiToPlugin } from '../plugin/messages';
import { createFigmaDouble } from './figma-double';
import { createCanvasRasterizer } from './figma-double/canvas-rasterizer';
import { CanvasView } from './canvas-view';
import { DEFAULT_LAYERS, loadRgba } from './default-layers';
import { withFigmaTheme, type Theme } from './figma-theme';
import { SETTINGS_KEY } from '../plugin/settings';

async function main(): Promise<void> {
  const pluginPanel = document.getElementById('plugin')!;
  const theme: Theme = new URLSearchParams(location.search).get('theme') === 'dark' ? 'dark' : 'light';
  let iframe: HTMLIFrameElement | null = null;

  const double = createFigmaDouble({
    rasterizer: createCanvasRasterizer(),
    command: new URLSearchParams(location.search).get('command') ?? '',
    // ?compute=gpu|cpu: the plugin opens with "Compute on" set so (tests use it; the default is automatic).
    storage: storedCompute(new URLSearchParams(location.search).get('compute')),
    mountUi(html, options) {
      iframe = document.createElement('iframe');
      // As in Figma: an opaque origin, scripts allowed, nothing else; the window at the size the plugin asks for,
      // in the theme Figma would give it (?theme=dark for the dark one).
      iframe.setAttribute('sandbox', 'allow-scripts');
      iframe.srcdoc = options?.themeColors ? withFigmaTheme(html, theme) : html;
      iframe.style.width = `${options?.width ?? 300}px`;
      iframe.style.height = `${options?.height ?? 200}px`;
      pluginPanel.replaceChildren(iframe);
    },
    resizeUi(width, height) {
      if (!iframe) return;
      iframe.style.width = `${width}px`;
      iframe.style.height = `${height}px`;
    },
    deliverToUi(message: PluginToUi) {
      iframe?.contentWindow?.postMessage({ pluginMessage: message }, '*');
    },
  });
  const relaunchButton = document.getElementById('relaunch') as HTMLButtonElement;
  // Figma shows a result's relaunch button in the properties panel while it is selected: so does the header here.
  const showRelaunchButton = () => {
    const labels = double.api.currentPage.selection.map((node) => node.getRelaunchData()[RELAUNCH_COMMAND]);
    relaunchButton.hidden = labels.length === 0 || !labels.some(Boolean);
    relaunchButton.textContent = `Apply again: ${labels.find(Boolean) ?? ''}`;
  };
  const view = new CanvasView(document.getElementById('canvas')!, double, showRelaunchButton);

  // Messages from the UI: parent.postMessage({ pluginMessage }) in the iframe.
  window.addEventListener('message', async (event) => {
    if (!iframe || event.source !== iframe.contentWindow) return;
    const message = event.data?.pluginMessage as UiToPlugin | undefined;
    if (!message) return;
    await double.deliverToPlugin(message);
    await view.render();
  });

  // Notifications: figma.notify shows a toast, as Figma does.
  const notifications = double.api.notifications;
  const showNewToasts = () => {
    for (const note of notifications.splice(0)) toast(note.message, note.options?.error === true);
  };
  setInterval(showNewToasts, 100);

  for (const layer of DEFAULT_LAYERS) {
    double.addImageLayer({ ...layer, rgba: await loadRgba(layer.url) });
  }
  await view.render();

  const undo = async () => {
    double.undo();
    await view.render();
  };
  document.getElementById('undo')!.addEventListener('click', undo);
  window.addEventListener('keydown', (event) => {
    if (event.key === 'z' && (event.metaKey || event.ctrlKey)) void undo();
  });

  // The real sandbox bundle, with the globals Figma gives it. A relaunch button runs it again with its command.
  const [code, html] = await Promise.all([fetchText('/dist/code.js'), fetchText('/dist/ui.html')]);
  const runSandbox = () => new Function('figma', '__html__', code)(double.figma, html);
  runSandbox();
  relaunchButton.addEventListener('click', () => {
    double.api.restart(RELAUNCH_COMMAND);
    runSandbox();
  });

  // For the browser tests and the curious: the double and a few inspection helpers.
  Object.assign(window, {
    pastiche: {
      double,
      layers: () => view.layers(),
      select: (...names: string[]) => {
        const nodes = names.map((name) => {
          const node = double.api.currentPage.children.find((n) => n.name === name);
          if (!node) throw new Error(`no layer named ${name}`);
          return node;
        });
        double.select(...nodes);
        return view.render();
      },
      pixels: (id: string) => view.pixelsOf(id),
    },
  });
  document.body.dataset.ready = 'true';
}

function storedCompute(compute: string | null): Record<string, unknown> {
  return compute === 'gpu' || compute === 'cpu' ? { [SETTINGS_KEY]: { compute } } : {};
}

function toast(message: string, error: boolean): void {
  const element = document.createElement('div');
  element.className = `toast${error ? ' error' : ''}`;
  element.textContent = message;
  document.getElementById('toasts')!.appendChild(element);
  setTimeout(() => element.remove(), 4000);
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} (run npm run build)`);
  return response.text();
}

main().catch((error) => {
  document.body.dataset.error = String(error);
  toast(`Playground failed: ${error.message}`, true);
  throw error;
});
