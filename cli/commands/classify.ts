// `pastiche classify IMAGE`: what an ImageNet network sees: five lines "label<TAB>probability", best first.
import { classify, type Classifier } from '../../techniques/classify';
import { loadImageFile } from '../image-files';
import { cachedNetworks } from '../resources';
import { requireOne, UsageError, type CliCommand } from '../command';

const MODELS: Record<string, Classifier> = { mobilenet: 'mobilenet_v2', darknet: 'darknet_tiny' };

export const classifyCommand: CliCommand = {
  name: 'classify',
  summary: 'the five ImageNet classes a network sees in an image',
  usage: 'IMAGE [--model mobilenet|darknet] [--json]',
  options: {
    model: { type: 'string', description: 'mobilenet (MobileNetV2, default) or darknet (Darknet-tiny)', valueName: 'NAME' },
    json: { type: 'boolean', description: 'print JSON: [{label, probability, index}]' },
  },
  async run(positionals, options, io) {
    const image = await loadImageFile(requireOne(positionals, 'image'));
    const modelName = typeof options.model === 'string' ? options.model : 'mobilenet';
    const model = MODELS[modelName];
    if (!model) throw new UsageError(`Unknown model "${modelName}": use mobilenet or darknet.`);
    const top = await classify(image, cachedNetworks, model, 5);
    if (options.json) io.out(JSON.stringify(top.map(({ label, probability, index }) => ({ label, probability, index }))));
    else for (const { label, probability } of top) io.out(`${label}\t${probability.toFixed(4)}`);
  },
};
