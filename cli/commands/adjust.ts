// invert, grayscale, blur: the basic techniques on image files.
import { runTechnique } from '../../techniques';
import { silentContext } from '../../techniques/job';
import { readImageFile, writePngFile } from '../image-files';
import { numberOption, OUTPUT_OPTION, requireOne, UsageError, type CliCommand } from '../command';

function outputPath(options: Record<string, string | boolean | undefined>): string {
  if (typeof options.output !== 'string') throw new UsageError('Missing -o OUT.png.');
  return options.output;
}

export const invertCommand: CliCommand = {
  name: 'invert',
  summary: 'invert the colours of an image',
  usage: 'IMAGE -o OUT.png [--amount 0..1]',
  options: { ...OUTPUT_OPTION, amount: { type: 'string', description: 'how much to invert, 0..1 (default 1)', valueName: 'A' } },
  async run(positionals, options) {
    const source = readImageFile(requireOne(positionals, 'image'));
    const amount = numberOption(options.amount, 'amount', 1);
    writePngFile(outputPath(options), await runTechnique('invert', { source }, { amount }, silentContext()));
  },
};

export const grayscaleCommand: CliCommand = {
  name: 'grayscale',
  summary: 'turn an image to grayscale (BT.601 luma)',
  usage: 'IMAGE -o OUT.png [--amount 0..1]',
  options: { ...OUTPUT_OPTION, amount: { type: 'string', description: 'how much to desaturate, 0..1 (default 1)', valueName: 'A' } },
  async run(positionals, options) {
    const source = readImageFile(requireOne(positionals, 'image'));
    const amount = numberOption(options.amount, 'amount', 1);
    writePngFile(outputPath(options), await runTechnique('grayscale', { source }, { amount }, silentContext()));
  },
};

export const blurCommand: CliCommand = {
  name: 'blur',
  summary: 'blur an image (Gaussian-like, transparent edges kept clean)',
  usage: 'IMAGE -o OUT.png [--radius PX]',
  options: { ...OUTPUT_OPTION, radius: { type: 'string', description: 'radius in pixels, 1..256 (default 8)', valueName: 'PX' } },
  async run(positionals, options) {
    const source = readImageFile(requireOne(positionals, 'image'));
    const radius = numberOption(options.radius, 'radius', 8);
    writePngFile(outputPath(options), await runTechnique('blur', { source }, { radius }, silentContext()));
  },
};
