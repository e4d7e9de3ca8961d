// The table of techniques: what each one is called, what it takes and how its result layer is named.
// Pure data and tiny functions (no TF.js), so the Figma sandbox, the UI and the CLI share one source of truth.

export interface AdjustParams {
  /** 0..1: how much of the effect to apply (1 = full). */
  amount: number;
}

export interface BlurParams {
  /** Radius in pixels of the source's own size. */
  radius: number;
}

/** The public-domain paintings bundled as style presets (files under images/styles/ in the manifest). */
export const STYLE_PRESETS = [
  { id: 'starry_night', label: 'The Starry Night (van Gogh)' },
  { id: 'great_wave', label: 'The Great Wave (Hokusai)' },
  { id: 'the_scream', label: 'The Scream (Munch)' },
  { id: 'shipwreck', label: 'The Shipwreck of the Minotaur (Turner)' },
] as const;
export type StylePresetId = (typeof STYLE_PRESETS)[number]['id'];

/** One style of a blend: a bundled preset, or "layer" = the other selected layer (the job's reference image). */
export interface StyleChoice {
  source: StylePresetId | 'layer';
  /** Relative weight in a blend; weights are normalized to sum to 1. */
  weight: number;
}

export interface StyleParams {
  /** fast = one pass of the arbitrary-style network; gatys = optimization on VGG19 features. */
  method: 'fast' | 'gatys';
  /** 1 to 3 styles, blended by weight. */
  styles: StyleChoice[];
  /** 0..1: 0 = the content's own style, 1 = full style (fast path: bottleneck interpolation). */
  strength: number;
  /** Keep the content's colours, take only the style's texture. */
  preserveColors: boolean;
  /** The size at which the style image is seen, relative to the default (1): smaller = finer strokes. 0.25..2. */
  styleScale: number;
  /** Longest side of the result in pixels (the source is resampled to it); 0 = the source's own size. */
  size: number;
  /** Gatys path only. */
  gatys: GatysParams;
}

export interface GatysParams {
  steps: number;
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
  init: 'content' | 'noise';
  optimizer: 'lbfgs' | 'adam';
  /** Scales of the image pyramid (1 = one scale). */
  pyramidLevels: number;
  /** Send a preview every this many steps. */
  previewEvery: number;
}

/** Parameters of every technique, by id. A technique issue adds its entry here. */
export interface TechniqueParams {
  invert: AdjustParams;
  grayscale: AdjustParams;
  blur: BlurParams;
  style: StyleParams;
}

export type TechniqueId = keyof TechniqueParams;

export interface TechniqueSpec<Id extends TechniqueId = TechniqueId> {
  id: Id;
  label: string;
  /** The longest side, in pixels, that the job accepts: the sandbox exports at a scale that respects it. */
  maxInputSide: number;
  defaults: TechniqueParams[Id];
  /** The short settings summary that goes into the result layer's name, e.g. "amount 50%". */
  describe(params: TechniqueParams[Id]): string;
  /** A one-line reason when the parameters are out of range, else null. */
  validate(params: TechniqueParams[Id]): string | null;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const inUnitRange = (name: string, value: number) =>
  Number.isFinite(value) && value >= 0 && value <= 1 ? null : `${name} must be between 0 and 1 (got ${value}).`;

const styleName = (choice: StyleChoice) =>
  choice.source === 'layer' ? 'layer style' : STYLE_PRESETS.find((p) => p.id === choice.source)?.label.replace(/ \(.*\)$/, '') ?? choice.source;

export const TECHNIQUES: { [Id in TechniqueId]: TechniqueSpec<Id> } = {
  invert: {
    id: 'invert',
    label: 'Invert',
    maxInputSide: 8192,
    defaults: { amount: 1 },
    describe: (p) => (p.amount === 1 ? '' : `amount ${percent(p.amount)}`),
    validate: (p) => inUnitRange('Amount', p.amount),
  },
  grayscale: {
    id: 'grayscale',
    label: 'Grayscale',
    maxInputSide: 8192,
    defaults: { amount: 1 },
    describe: (p) => (p.amount === 1 ? '' : `amount ${percent(p.amount)}`),
    validate: (p) => inUnitRange('Amount', p.amount),
  },
  blur: {
    id: 'blur',
    label: 'Blur',
    maxInputSide: 4096,
    defaults: { radius: 8 },
    describe: (p) => `radius ${p.radius}px`,
    validate: (p) =>
      Number.isFinite(p.radius) && p.radius >= 1 && p.radius <= 256 ? null : `Radius must be 1 to 256 px (got ${p.radius}).`,
  },
  style: {
    id: 'style',
    label: 'Style',
    maxInputSide: 4096,
    defaults: {
      method: 'fast',
      styles: [{ source: 'starry_night', weight: 1 }],
      strength: 1,
      preserveColors: false,
      styleScale: 1,
      size: 0,
      gatys: { steps: 60, contentWeight: 1, styleWeight: 1e3, tvWeight: 1e-3, init: 'content', optimizer: 'lbfgs', pyramidLevels: 2, previewEvery: 10 },
    },
    describe: (p) =>
      [
        p.styles.map((s) => (p.styles.length > 1 ? `${styleName(s)} ${percent(s.weight / p.styles.reduce((t, c) => t + c.weight, 0))}` : styleName(s))).join(' + '),
        p.method === 'gatys' ? `Gatys ${p.gatys.steps} steps` : '',
        p.strength < 1 ? `strength ${percent(p.strength)}` : '',
        p.preserveColors ? 'colours kept' : '',
        p.styleScale !== 1 ? `scale ${p.styleScale}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    validate: (p) => {
      if (p.method !== 'fast' && p.method !== 'gatys') return `Method must be fast or gatys (got ${p.method}).`;
      if (!Array.isArray(p.styles) || p.styles.length < 1 || p.styles.length > 3) return 'Choose one to three styles.';
      for (const s of p.styles) {
        if (s.source !== 'layer' && !STYLE_PRESETS.some((preset) => preset.id === s.source)) return `Unknown style "${s.source}".`;
        if (!(s.weight > 0) || !Number.isFinite(s.weight)) return 'Style weights must be positive numbers.';
      }
      if (!(p.styleScale >= 0.25 && p.styleScale <= 2)) return `Style scale must be 0.25 to 2 (got ${p.styleScale}).`;
      if (!(Number.isInteger(p.size) && p.size >= 0 && p.size <= 4096)) return `Size must be 0 (source size) to 4096 px (got ${p.size}).`;
      if (p.method === 'gatys' && !(Number.isInteger(p.gatys.steps) && p.gatys.steps >= 1 && p.gatys.steps <= 5000)) return 'Steps must be 1 to 5000.';
      return inUnitRange('Strength', p.strength);
    },
  },
};

export function techniqueSpec<Id extends TechniqueId>(id: Id): TechniqueSpec<Id> {
  const spec = TECHNIQUES[id];
  if (!spec) throw new Error(`Unknown technique "${id}"`);
  return spec;
}

export function isTechniqueId(value: unknown): value is TechniqueId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TECHNIQUES, value);
}

/** "Photo — Invert" or "Photo — Blur (radius 8px)": the name of a result layer. */
export function resultLayerName<Id extends TechniqueId>(sourceName: string, id: Id, params: TechniqueParams[Id]): string {
  const spec = techniqueSpec(id);
  const settings = spec.describe(params);
  return `${sourceName} — ${spec.label}${settings ? ` (${settings})` : ''}`;
}
