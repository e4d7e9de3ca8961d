// VGG19 (Keras, TF.js layers format) -> our format. The mirror only has the block1..block3 shards (the
// model.json still lists block4/5 and the classifier), which is all that style transfer and feature inversion
// at relu3_x need. Stored as float16: measured error on relu3_4 features is far below what the techniques notice.
import type { ConvertedWeights } from '../weights/format';
import { parseLayersModel, readLayersWeights } from './layers-model';
import { packWeights } from './weight-pack';

export const VGG19_CONVERTER_VERSION = 1;
const KEPT_BLOCKS = /^block[123]_conv\d\/(kernel|bias)$/;

export function convertVgg19(
  modelJson: Uint8Array,
  readShard: (relativePath: string) => Uint8Array,
  sourceSha256: string[],
): ConvertedWeights {
  const tensors = readLayersWeights(parseLayersModel(modelJson), readShard, (name) => KEPT_BLOCKS.test(name));
  if (tensors.length !== 16) throw new Error(`vgg19: expected 8 conv layers (16 tensors) in blocks 1-3, got ${tensors.length}`);
  const packed = packWeights(tensors, 'float16');
  return {
    manifest: {
      format: 'pastiche-weights-1',
      network: 'vgg19',
      sourceSha256,
      weights: packed.weights,
      extras: { converterVersion: VGG19_CONVERTER_VERSION, blocks: [1, 2, 3], preprocessing: 'caffe', storage: 'float16' },
    },
    data: packed.data,
  };
}
