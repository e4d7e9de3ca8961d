// The user's settings, kept per user in figma.clientStorage. Whatever is stored is repaired against today's
// schemas (field by field), so an old or hand-edited value can never break the plugin's start.
import * as v from 'valibot';
import { backendCalibration, COMPUTE_PREFERENCES, DEFAULT_SETTINGS, MAX_REMEMBERED_RENDERERS, type ComputePreference, type Placement, type Settings } from './messages';
import { isTechniqueId, repairStoredParams } from '../techniques/registry';

export const SETTINGS_KEY = 'pastiche-settings';

const windowSchema = v.object({ width: v.number(), height: v.number() });

const isPlacement = (value: unknown): value is Placement => value === 'beside' || value === 'on-top';
const isCompute = (value: unknown): value is ComputePreference => (COMPUTE_PREFERENCES as readonly unknown[]).includes(value);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Keeps what is valid in `stored`, fills the rest from the defaults (per technique, field by field). */
export function normalizeSettings(stored: unknown): Settings {
  const value = isRecord(stored) ? stored : {};
  const params: Record<string, unknown> = {};
  if (isRecord(value.params)) {
    for (const [id, p] of Object.entries(value.params)) {
      if (isTechniqueId(id)) params[id] = repairStoredParams(id, p);
    }
  }
  return {
    placement: isPlacement(value.placement) ? value.placement : DEFAULT_SETTINGS.placement,
    params,
    panel: typeof value.panel === 'string' && value.panel && value.panel.length <= 40 ? value.panel : DEFAULT_SETTINGS.panel,
    revealResult: typeof value.revealResult === 'boolean' ? value.revealResult : DEFAULT_SETTINGS.revealResult,
    window: v.is(windowSchema, value.window) ? value.window : DEFAULT_SETTINGS.window,
    // Optional fields stay absent when they were (absent = automatic, nothing measured yet).
    ...(isCompute(value.compute) ? { compute: value.compute } : {}),
    ...(Array.isArray(value.calibrations)
      ? { calibrations: value.calibrations.filter((entry) => v.is(backendCalibration, entry)).slice(0, MAX_REMEMBERED_RENDERERS) }
      : {}),
  };
}

export async function loadSettings(figma: PluginAPI): Promise<Settings> {
  try {
    return normalizeSettings(await figma.clientStorage.getAsync(SETTINGS_KEY));
  } catch {
    // Storage can fail (quota, corrupt entry): the plugin still opens, with the defaults.
    return normalizeSettings(undefined);
  }
}

export async function saveSettings(figma: PluginAPI, settings: Settings): Promise<void> {
  await figma.clientStorage.setAsync(SETTINGS_KEY, normalizeSettings(settings));
}
