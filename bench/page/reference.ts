// The reference: the original .tflite files on the official TFLite interpreter for the web (@tensorflow/tfjs-tflite,
// WASM). The bench build aliases the package to its UMD file, which bundles the interpreter client and shares our
// tfjs-core (its ESM entry imports a client file the package does not ship).
import * as tf from '@tensorflow/tfjs';
import * as tflite from '@tensorflow/tfjs-tflite';
import type { ReferenceNetwork } from './protocol';

export const TFLITE_WASM_DIR = '/node_modules/@tensorflow/tfjs-tflite/wasm/';

/** The mirror's files, served by the bench server under /models/. */
export const REFERENCE_FILES: Record<ReferenceNetwork, string> = {
  mobilenet_v2: '/models/mobilenet_v2/mobilenet_v2_1.0_224_quant.tflite',
  magenta_predictor: '/models/magenta/style_predict_quantized_256.tflite',
  magenta_transformer: '/models/magenta/style_transfer_f16_384.tflite',
};

/** The fixed input side of each reference model. */
export const REFERENCE_SIZE: Record<ReferenceNetwork, number> = { mobilenet_v2: 224, magenta_predictor: 256, magenta_transformer: 384 };

const loaded = new Map<ReferenceNetwork, Promise<tflite.TFLiteModel>>();

export function loadReference(name: ReferenceNetwork): Promise<tflite.TFLiteModel> {
  let model = loaded.get(name);
  if (!model) {
    tflite.setWasmPath(TFLITE_WASM_DIR);
    // One thread like our WASM backend, so the ratio compares kernels, not core counts.
    model = tflite.loadTFLiteModel(REFERENCE_FILES[name], { numThreads: 1 });
    loaded.set(name, model);
  }
  return model;
}

// tfjs-tflite builds its output tensors on views of the interpreter's WASM heap: the next allocation that grows
// the heap detaches them (they read as empty). Every output is copied out at once here.

/** MobileNetV2 (quantized): uint8 0..255 input at 224; uint8 probabilities out, dequantized here. */
export async function referenceMobileNet(image224: tf.Tensor4D): Promise<Float32Array> {
  const model = await loadReference('mobilenet_v2');
  const input = tf.tidy(() => tf.cast(tf.round(tf.mul(image224, 255)), model.inputs[0].dtype === 'float32' ? 'float32' : 'int32'));
  const output = model.predict(input) as tf.Tensor;
  input.dispose();
  const values = await output.data();
  output.dispose();
  // Argmax and sets are all we compare, and dequantization is monotonic, so the raw uint8 order is enough.
  return Float32Array.from(values);
}

/** Style bottleneck [1,1,1,100] of a 256x256 image in 0..1. */
export async function referencePredictor(image256: tf.Tensor4D): Promise<Float32Array> {
  const model = await loadReference('magenta_predictor');
  const output = model.predict(image256) as tf.Tensor;
  const values = (await output.data()) as Float32Array;
  output.dispose();
  return values.slice();
}

/** Stylized [1,384,384,3] in 0..1: the transformer's two inputs are matched to the model by shape, not by position. */
export async function referenceTransformer(content384: tf.Tensor4D, bottleneck: tf.Tensor): Promise<tf.Tensor> {
  const model = await loadReference('magenta_transformer');
  const b = tf.reshape(bottleneck, [1, 1, 1, 100]);
  const inputs = model.inputs.map((info) => (info.shape?.[3] === 3 ? content384 : b));
  const output = model.predict(inputs) as tf.Tensor;
  b.dispose();
  const copy = tf.tensor(Float32Array.from(await output.data()), output.shape);
  output.dispose();
  return copy;
}

/** "name [shape] dtype" of every input, for the report (the input order is the model's). */
export async function describeInputs(name: ReferenceNetwork): Promise<string> {
  const model = await loadReference(name);
  return model.inputs.map((i) => `${i.name} [${i.shape}] ${i.dtype}`).join('; ');
}
