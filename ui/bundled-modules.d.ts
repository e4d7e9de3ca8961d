// Modules that the build (esbuild.config.mjs) makes from the verified cache at build time.
declare module 'pastiche:weights' {
  import type { InlineWeights } from '../models/weights/inline-store';
  import type { NetworkName } from '../models/weights/format';
  const weights: Partial<Record<NetworkName, InlineWeights>>;
  export default weights;
}

declare module 'pastiche:style-presets' {
  /** Style preset id -> the painting's JPEG bytes, base64. */
  const presets: Record<string, string>;
  export default presets;
}

declare module 'pastiche:style-thumbnails' {
  /** Style preset id -> a small JPEG data URL for the preset picker. */
  const thumbnails: Record<string, string>;
  export default thumbnails;
}
