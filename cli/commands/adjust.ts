// invert, grayscale, blur: the basic techniques on image files. One shape, three settings.
import { runTechnique } from '../../techniques';
import type { TechniqueParams } from '../../techniques/catalog';
import { silentContext } from '../../techniques/job';
import { readImageFile, writePngFile } from '../image-files';
import { numberOption, OUTPUT_OPTION, requireOne, UsageError, type CliCommand } from '../command';

type BasicId = 'invert' | 'grayscale' | 'blur';

/** A command `NAME IMAGE -o OUT.png [--SETTING X]` whose one numeric setting is the technique's one parameter. */
function basicCommand<Id extends BasicId>(id: Id, summary: string, setting: keyof TechniqueParams[Id] & string, help: string, fallback: number): CliCommand {
  return {
    name: id,
    summary,
    usage: `IMAGE -o OUT.png [--${setting} X]`,
    options: { ...OUTPUT_OPTION, [setting]: { type: 'string', description: help, valueName: 'X' } },
    async run(positionals, options) {
      const source = readImageFile(requireOne(positionals, 'image'));
      if (typeof options.output !== 'string') throw new UsageError('Missing -o OUT.png.');
      const params = { [setting]: numberOption(options[setting], setting, fallback) } as unknown as TechniqueParams[Id];
      writePngFile(options.output, await runTechnique(id, { source }, params, silentContext()));
    },
  };
}

export const invertCommand = basicCommand('invert', 'invert the colours of an image', 'amount', 'how much to invert, 0..1 (default 1)', 1);
export const grayscaleCommand = basicCommand('grayscale', 'turn an image to grayscale (BT.601 luma)', 'amount', 'how much to desaturate, 0..1 (default 1)', 1);
export const blurCommand = basicCommand('blur', 'blur an image (Gaussian-like, transparent edges kept clean)', 'radius', 'radius in pixels, 1..256 (default 8)', 8);
