// Image files to embedding vectors, for the commands over many images (similar, tsne). Files are read, embedded
// and let go one embedder batch at a time, so a folder of large photos never sits in memory at once: only the
// vectors (and, when the caller asks, a small copy of each image) are kept. Every file is checked before any work,
// so a typo in the 200th name fails at once, not after minutes of embedding.
import { statSync } from 'node:fs';
import { mobileNetEmbedder, pixelEmbedder, embedImages, type Embedder } from '../../techniques/similar';
import type { RgbaImage } from '../../techniques/image';
import type { JobContext } from '../../techniques/job';
import type { OptionSpec } from '../command';
import { loadImageFile, readImageBytes } from '../image-files';

/** The --pixels switch both commands share: the lecture's counterpoint to the network's view. */
export const PIXELS_OPTION: Record<string, OptionSpec> = {
  pixels: { type: 'boolean', description: 'compare raw pixels (32 px, colour means removed) instead of MobileNetV2 features' },
};

/** MobileNetV2's 1280-d features, or raw pixels with --pixels (no network loaded then). */
export async function chooseEmbedder(pixels: boolean, context: Pick<JobContext, 'networks'>): Promise<Embedder> {
  return pixels ? pixelEmbedder() : mobileNetEmbedder(await context.networks.get('mobilenet_v2'));
}

/** Throws the one-line error of loadImageFile for the first file that is missing, a folder or unreadable. */
export function checkInputFiles(files: readonly string[]): void {
  for (const file of files) {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      // readImageBytes below words the reason (no such file, permission denied ...).
    }
    if (!isFile) readImageBytes(file); // fails with the same message a later read would give
  }
}

export interface EmbeddedFiles {
  /** One L2-normalised vector per file, in order. */
  vectors: Float32Array[];
  /** `keep(image)` of each file, in order (empty without `keep`). */
  kept: RgbaImage[];
}

export interface EmbedFilesOptions {
  /** The part of the job's progress bar this fills. */
  progressRange?: readonly [number, number];
  /** What to keep of each image once embedded (e.g. a thumbnail); the full image is dropped. */
  keep?: (image: RgbaImage) => RgbaImage;
}

export async function embedFiles(files: readonly string[], embedder: Embedder, context: Pick<JobContext, 'signal' | 'onProgress'>, options: EmbedFilesOptions = {}): Promise<EmbeddedFiles> {
  const [from, to] = options.progressRange ?? [0, 1];
  const vectors: Float32Array[] = [];
  const kept: RgbaImage[] = [];
  const batchSize = Math.max(1, embedder.batchSize);
  const report = (done: number) => context.onProgress({ fraction: from + ((to - from) * done) / files.length, message: `embedding ${done} of ${files.length}` });
  report(0);
  for (let start = 0; start < files.length; start += batchSize) {
    const images: RgbaImage[] = [];
    for (const file of files.slice(start, start + batchSize)) images.push(await loadImageFile(file));
    // embedImages' own progress counts this batch only: the whole run's is reported here.
    vectors.push(...(await embedImages(embedder, images, { signal: context.signal, onProgress: () => undefined })));
    if (options.keep) kept.push(...images.map(options.keep));
    report(start + images.length);
  }
  return { vectors, kept };
}
