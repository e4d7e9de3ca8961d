// Parity of our networks (converted weights, TF.js) against the original .tflite files on the reference interpreter:
// both are fed the very same tensors, so any difference is the conversion's or the kernels'.
import * as tf from '@tensorflow/tfjs';
import { pageNetworks } from './backend';
import { parseLabels } from '../../models/networks/labels';
import { cosineSimilarity } from '../../techniques/similar/vectors';
import { loadImageTensor, squareResize } from './images';
import type { MagentaParity, MobileNetParity } from './protocol';
import { describeInputs, referenceMobileNet, referencePredictor, referenceTransformer } from './reference';

const topIndices = (values: ArrayLike<number>, k: number) =>
  Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => values[b] - values[a] || a - b)
    .slice(0, k);

export async function mobileNetParity(imageUrls: string[]): Promise<MobileNetParity[]> {
  const labels = parseLabels(await (await fetch('/models/mobilenet_v2/imagenet_labels.txt')).text());
  const net = await pageNetworks().get('mobilenet_v2');
  const results: MobileNetParity[] = [];
  for (const url of imageUrls) {
    const photo = await loadImageTensor(url);
    // Rounded to whole 0..255 steps: the quantized reference takes uint8, so both see exactly the same pixels.
    const x = tf.tidy(() => tf.div(tf.round(tf.mul(squareResize(photo, 224), 255)), 255) as tf.Tensor4D);
    photo.dispose();
    // Emulating the graph's uint8 activations: the reference computes in quantized arithmetic, and float
    // computation flips close calls (astronaut.png: ski vs football helmet).
    const probabilities = net.probabilities(x, { emulateQuantization: true });
    const ours = await probabilities.data();
    probabilities.dispose();
    const reference = await referenceMobileNet(x);
    x.dispose();
    const ourTop5 = topIndices(ours, 5);
    const referenceTop5 = topIndices(reference, 5);
    results.push({
      image: url,
      ourTop5,
      referenceTop5,
      ourLabels: ourTop5.map((i) => labels[i] ?? String(i)),
      referenceLabels: referenceTop5.map((i) => labels[i] ?? String(i)),
      ourTop5Probabilities: ourTop5.map((i) => ours[i]),
      referenceTop5Probabilities: referenceTop5.map((i) => reference[i] / 256),
    });
  }
  return results;
}

/**
 * Bottlenecks of every style image; then each content image stylized at 384 by both transformers with the same
 * (reference) bottleneck, so the transformer comparison does not inherit the predictor's small differences.
 */
export async function magentaParity(styleUrls: string[], contentUrls: string[]): Promise<MagentaParity> {
  const predictor = await pageNetworks().get('magenta_predictor');
  const transformer = await pageNetworks().get('magenta_transformer');
  const bottlenecks: MagentaParity['bottlenecks'] = [];
  const referenceBottlenecks: Float32Array[] = [];
  for (const url of styleUrls) {
    const painting = await loadImageTensor(url);
    const x = squareResize(painting, 256);
    painting.dispose();
    const ours = predictor.predictStyle(x, { resize: false });
    const ourValues = await ours.data();
    ours.dispose();
    const reference = await referencePredictor(x);
    x.dispose();
    referenceBottlenecks.push(reference);
    bottlenecks.push({ style: url, cosine: cosineSimilarity(ourValues, reference) });
  }
  const transforms: MagentaParity['transforms'] = [];
  for (const [i, url] of contentUrls.entries()) {
    const styleIndex = i % styleUrls.length;
    const photo = await loadImageTensor(url);
    const x = squareResize(photo, 384);
    photo.dispose();
    const bottleneck = tf.tensor4d(referenceBottlenecks[styleIndex], [1, 1, 1, 100]);
    let started = performance.now();
    const ours = transformer.transform(x, bottleneck);
    await ours.data();
    const ourMs = performance.now() - started;
    started = performance.now();
    const reference = await referenceTransformer(x, bottleneck);
    const referenceMs = performance.now() - started;
    const meanAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.mean(tf.abs(tf.sub(a, tf.reshape(b, a.shape)))).mul(255));
    const mad = meanAbs(ours, reference);
    const maxAbs = tf.tidy(() => tf.max(tf.abs(tf.sub(ours, tf.reshape(reference, ours.shape)))).mul(255));
    // Sanity: how far the stylized image is from its content (a MAD of 0 above must not mean "nothing ran").
    const fromContent = meanAbs(reference, x);
    transforms.push({
      content: url,
      style: styleUrls[styleIndex],
      madOver255: (await mad.data())[0],
      maxAbsOver255: (await maxAbs.data())[0],
      referenceFromContentOver255: (await fromContent.data())[0],
      ourMs,
      referenceMs,
    });
    tf.dispose([x, bottleneck, ours, reference, mad, maxAbs, fromContent]);
  }
  return { bottlenecks, transforms, transformerInputs: await describeInputs('magenta_transformer') };
}
