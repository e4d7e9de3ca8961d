// Modules that the build (esbuild.config.mjs) makes from the verified cache at build time.
declare module 'pastiche:weights' {
  import type { InlineWeights } from '../models/weights/inline-store';
  import type { NetworkName } from '../models/weights/format';
  const weights: Partial<Record<NetworkName, InlineWeights>>;
  export default weights;
}

declare module 'pastiche:images' {
  /** Bundled image kind ("styles", "textures") -> id -> the image file's bytes (JPEG or PNG), base64. */
  const images: Record<string, Record<string, string>>;
  export default images;
}

declare module 'pastiche:thumbnails' {
  /** Bundled image kind -> id -> a small JPEG data URL for the pickers. */
  const thumbnails: Record<string, Record<string, string>>;
  export default thumbnails;
}

declare module '*/theme.css' {
  /** The stylesheet's text (the playground's build loads CSS as text). */
  const css: string;
  export default css;
}

declare module 'pastiche:labels' {
  /** The 1000 ImageNet class names, in the standard order. */
  const labels: string[];
  export default labels;
}
