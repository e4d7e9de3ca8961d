// `pastiche style CONTENT --style STYLE_OR_PRESET -o OUT.png`: style transfer on files, fast or Gatys.
import { STYLE_PRESETS, TECHNIQUES, type StyleChoice, type StyleParams } from '../../techniques/catalog';
import { runTechnique } from '../../techniques';
import type { RgbaImage } from '../../techniques/image';
import { readImageFile, writePngFile } from '../image-files';
import { cachedAssets, isPresetFile, useCachedWeights } from '../resources';
import { numberOption, OUTPUT_OPTION, requireOne, UsageError, type CliCommand } from '../command';

const presetIds = STYLE_PRESETS.map((p) => p.id).join(', ');

/** "starry_night", "my-painting.jpg" or either with "@0.3" for its weight in a blend. */
function parseStyle(spec: string): { name: string; weight: number } {
  const at = spec.lastIndexOf('@');
  if (at > 0 && /^\d*\.?\d+$/.test(spec.slice(at + 1))) return { name: spec.slice(0, at), weight: Number(spec.slice(at + 1)) };
  return { name: spec, weight: 1 };
}

export const styleCommand: CliCommand = {
  name: 'style',
  summary: 'apply a painting preset or any image as a style',
  usage: `CONTENT --style STYLE_OR_PRESET -o OUT.png [options]`,
  options: {
    ...OUTPUT_OPTION,
    style: { type: 'string', multiple: true, description: `a preset (${presetIds}) or an image file; repeat to blend, NAME@WEIGHT`, valueName: 'STYLE' },
    strength: { type: 'string', description: 'style strength 0..1 (default 1)', valueName: 'S' },
    'preserve-colors': { type: 'boolean', description: "keep the content's colours, take only the texture" },
    'style-scale': { type: 'string', description: 'size at which the style is seen, 0.25..2 (default 1; smaller = finer strokes)', valueName: 'X' },
    size: { type: 'string', description: 'longest side of the result in px, up to 4096 (default: the content size)', valueName: 'PX' },
    method: { type: 'string', description: 'fast (one network pass, default) or gatys (optimization on VGG19)', valueName: 'M' },
    steps: { type: 'string', description: 'Gatys optimization steps (default 60; quality levels off after ~20 at 256 px)', valueName: 'N' },
  },
  async run(positionals, options) {
    if (typeof options.output !== 'string') throw new UsageError('Missing -o OUT.png.');
    const content = readImageFile(requireOne(positionals, 'content image'));
    const specs = (options.style as unknown as string[] | undefined) ?? [];
    if (specs.length === 0) throw new UsageError(`Missing --style (a preset: ${presetIds}; or an image file).`);
    if (specs.length > 3) throw new UsageError('At most three styles can be blended.');

    let reference: RgbaImage | undefined;
    const styles: StyleChoice[] = specs.map((spec) => {
      const { name, weight } = parseStyle(spec);
      if (isPresetFile(name) && STYLE_PRESETS.some((p) => p.id === name)) return { source: name as StyleChoice['source'], weight };
      if (reference) throw new UsageError('Only one style can be an image file; the others must be presets.');
      reference = readImageFile(name);
      return { source: 'layer', weight };
    });
    const defaults = TECHNIQUES.style.defaults;
    const method = typeof options.method === 'string' ? options.method : 'fast';
    if (method !== 'fast' && method !== 'gatys') throw new UsageError(`--method must be fast or gatys (got "${method}").`);
    const params: StyleParams = {
      ...defaults,
      method,
      styles,
      strength: numberOption(options.strength, 'strength', defaults.strength),
      preserveColors: options['preserve-colors'] === true,
      styleScale: numberOption(options['style-scale'], 'style-scale', defaults.styleScale),
      size: numberOption(options.size, 'size', defaults.size),
      gatys: { ...defaults.gatys, steps: numberOption(options.steps, 'steps', defaults.gatys.steps) },
    };
    useCachedWeights();
    const showProgress = process.stderr.isTTY === true;
    const result = await runTechnique('style', { source: content, reference }, params, {
      signal: new AbortController().signal,
      assets: cachedAssets,
      onProgress: ({ fraction, message }) => {
        if (showProgress) process.stderr.write(`\r${Math.round(fraction * 100)}% ${message ?? ''}`.padEnd(40));
      },
    });
    if (showProgress) process.stderr.write('\n');
    writePngFile(options.output, result);
  },
};
