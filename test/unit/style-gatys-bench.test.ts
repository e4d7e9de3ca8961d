// Exploration (not part of the suite): a look at a result and its figures.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readImageFile, writePngFile } from '../../cli/image-files';
import { TECHNIQUES } from '../../techniques/catalog';
import { gatysStyleTransfer } from '../../techniques/style/gatys';
import { contentDistance, loadVgg19OnWasm, styleDistance } from '../support/style-quality';

const IMAGES = path.resolve(__dirname, '..', '..', '..', 'shared', 'images');
test('explore', async () => {
  const vgg = await loadVgg19OnWasm();
  const chelsea = readImageFile(path.join(IMAGES, 'content', 'chelsea.png'));
  const starry = readImageFile(path.join(IMAGES, 'styles', 'starry_night.jpg'));
  const size = Number(process.env.GSIZE ?? 128), steps = Number(process.env.GSTEPS ?? 20);
  const sw = Number(process.env.GSW ?? 1e3), tv = Number(process.env.GTV ?? 1e-3), levels = Number(process.env.GLEV ?? 2);
  const params = { ...TECHNIQUES.style.defaults, method: 'gatys' as const, styles: [{ source: 'layer' as const, weight: 1 }], size,
    gatys: { ...TECHNIQUES.style.defaults.gatys, steps, styleWeight: sw, tvWeight: tv, pyramidLevels: levels, optimizer: (process.env.GOPT ?? 'lbfgs') as 'lbfgs' } };
  const t0 = Date.now(); let last = t0; const times: number[] = [];
  const out = await gatysStyleTransfer({ source: chelsea, reference: starry }, params, { signal: new AbortController().signal, onProgress: () => { const n = Date.now(); times.push(n - last); last = n; } });
  const total = Date.now() - t0;
  writePngFile(`/tmp/gatys-${size}-${steps}-${sw}-${tv}-${levels}.png`, out);
  const base = await styleDistance(vgg, chelsea, starry);
  const sd = await styleDistance(vgg, out, starry);
  const cd = await contentDistance(vgg, out, chelsea);
  const cs = await contentDistance(vgg, starry, chelsea);
  console.log(`size ${size} steps ${steps} sw ${sw} tv ${tv} L${levels}: total ${total} ms, steps ms ${times.join(',')}\n style content→style ${base.toFixed(4)} out→style ${sd.toFixed(4)} ratio ${(sd / base).toFixed(3)}; content out ${cd.toFixed(4)} style ${cs.toFixed(4)}; tensors ${tf.memory().numTensors}`);
}, 900_000);
