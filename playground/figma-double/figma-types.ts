// The Figma plugin typings, for the double and for the sandbox code that the unit tests import.
// Only plugin-api.d.ts is referenced: it declares types (SceneNode, PluginAPI ...) and no values. index.d.ts is
// left out on purpose: it declares the `figma` global and its own console/setTimeout, which would clash with the
// DOM and Node types of the root tsconfig and let UI code call `figma` by mistake.
/// <reference path="../../node_modules/@figma/plugin-typings/plugin-api.d.ts" />

import type { RgbaImage } from '../../techniques/image';

export type { RgbaImage };

/** Turns a node into PNG bytes at `scale`: pngjs in Node (tests), a canvas in the browser (playground). */
export interface Rasterizer {
  exportPng(node: import('./nodes').DoubleSceneNode, scale: number): Promise<Uint8Array>;
}

/** A message that went through the double's UI channel, as recorded for tests. */
export interface RecordedNotification {
  message: string;
  options?: NotificationOptions;
}
