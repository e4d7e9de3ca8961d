// The UI file (dist/ui.html, Figma's `__html__`) carries two things: the panel's document and, at its end, the
// engine's code (TF.js, the networks' weights, the bundled images: 24 MB) in one inert script element. The window is
// opened with the panel alone, so it is drawn at once instead of after the browser has taken in 24 MB (0.75-1.5 s
// in the playground); the UI asks for the engine's code when it starts the engine ('load-engine' -> 'engine-code')
// and hands it to the engine's worker without parsing it on the window's thread.

/** The element the build wraps the engine's code in (esbuild.config.mjs writes exactly this). */
export const ENGINE_ELEMENT_OPEN = '<script id="pastiche-engine" type="text/plain">';
const ENGINE_ELEMENT_CLOSE = '</script>';

export interface UiDocument {
  /** What the plugin window shows. */
  panel: string;
  /** The engine's bundle (JavaScript); empty when the file has none (the sandbox's unit tests). */
  engineCode: string;
}

export function splitUiDocument(html: string): UiDocument {
  const start = html.indexOf(ENGINE_ELEMENT_OPEN);
  if (start < 0) return { panel: html, engineCode: '' };
  const codeStart = start + ENGINE_ELEMENT_OPEN.length;
  // The build escapes "</script" inside the code, so the first closing tag after it is the element's own.
  const end = html.indexOf(ENGINE_ELEMENT_CLOSE, codeStart);
  if (end < 0) return { panel: html, engineCode: '' };
  return { panel: html.slice(0, start) + html.slice(end + ENGINE_ELEMENT_CLOSE.length), engineCode: html.slice(codeStart, end) };
}
