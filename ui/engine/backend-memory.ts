// The engine's calibrations remembered across sessions (in the user's settings, figma.clientStorage): one per WebGL
// renderer, newest first, so the engine measures again only when the renderer string changes (a new GPU, a driver
// update, a laptop switching GPUs) and reopening the plugin costs no calibration. Pure functions over the list.
import { MAX_REMEMBERED_RENDERERS, MAX_RENDERER_TEXT, type BackendCalibration } from '../../plugin/messages';

/** The renderer as stored (the settings schema bounds its length). */
export function rendererKey(renderer: string): string {
  return renderer.slice(0, MAX_RENDERER_TEXT);
}

/** What was measured and chosen on this renderer before, if anything. */
export function rememberedCalibration(known: readonly BackendCalibration[], renderer: string): BackendCalibration | undefined {
  const key = rendererKey(renderer);
  return known.find((entry) => entry.renderer === key);
}

/** The list with `entry` first, replacing any older entry for its renderer, the oldest dropped beyond the limit. */
export function rememberCalibration(known: readonly BackendCalibration[], entry: BackendCalibration): BackendCalibration[] {
  const stored = { ...entry, renderer: rendererKey(entry.renderer) };
  return [stored, ...known.filter((other) => other.renderer !== stored.renderer)].slice(0, MAX_REMEMBERED_RENDERERS);
}
