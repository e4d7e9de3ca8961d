// Job contexts for the "Explore the network" tests: the project's silent context plus what a test wants to watch
// (progress, cancel, stop-and-keep), and a reference image resampled exactly as the techniques resample sources.
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { type JobContext, type JobProgress, silentContext } from '../../techniques/job';
import { resampleToPlanes, sizeForLongestSide } from '../../techniques/style/fast-resample';

export function exploreContext(parts: { signal?: AbortSignal; finishEarly?: AbortSignal; onProgress?: (p: JobProgress) => void } = {}): JobContext {
  const context = silentContext();
  return { ...context, signal: parts.signal ?? context.signal, finishEarly: parts.finishEarly, onProgress: parts.onProgress ?? (() => undefined) };
}

/** `image` at `longest` px on its longest side, opaque, resampled like invertFeatures resamples its source. */
export function resampledReference(image: RgbaImage, longest: number): RgbaImage {
  const size = sizeForLongestSide(image.width, image.height, longest);
  const planes = resampleToPlanes(image, size.width, size.height);
  const data = new Uint8ClampedArray(size.width * size.height * 4);
  for (let p = 0; p < size.width * size.height; p++) {
    data.set(planes.rgb.subarray(p * 3, p * 3 + 3), p * 4);
    data[p * 4 + 3] = planes.alpha[p];
  }
  return createRgbaImage(size.width, size.height, data);
}
