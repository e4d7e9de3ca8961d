// Node-only helpers for the unit tests: the real sandbox (plugin/app) started against the double with the pngjs
// rasterizer, plus image makers. Not for the browser (pngjs).
import { PNG } from 'pngjs';
import { startPlugin } from '../../plugin/app';
import type { MessageType, PluginToUi } from '../../plugin/messages';
import { createFigmaDouble, type FigmaDouble } from './create-figma-double';
import type { FigmaDoubleOptions } from './figma-api';
import type { RgbaImage } from './figma-types';
import { createPngjsRasterizer, encodePng } from './pngjs-rasterizer';

export const TEST_HTML = '<html><body>pastiche ui</body></html>';

/** Starts the plugin like Figma does, and (unless `ready: false`) sends `ui-ready` as the UI would on load. */
export async function startPastiche(options: FigmaDoubleOptions & { ready?: boolean } = {}): Promise<FigmaDouble> {
  const double = createFigmaDouble({ rasterizer: createPngjsRasterizer(), ...options });
  startPlugin(double.figma, TEST_HTML);
  if (options.ready !== false) await double.deliverToPlugin({ type: 'ui-ready' });
  return double;
}

/** An RGBA image whose pixel (x, y) is `color(x, y)`; a fixed colour by default. */
export function rgba(width: number, height: number, color?: (x: number, y: number) => [number, number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  if (!color) {
    // One colour: fill 32-bit words at once (test images reach 2500 x 3000).
    const [r, g, b, a] = [200, 40, 90, 255];
    new Uint32Array(data.buffer).fill(new Uint32Array(new Uint8Array([r, g, b, a]).buffer)[0]);
    return { width, height, data };
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(color(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

export function png(width: number, height: number, color?: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  return encodePng(rgba(width, height, color));
}

export function decodePng(bytes: Uint8Array): RgbaImage {
  const decoded = PNG.sync.read(Buffer.from(bytes));
  return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
}

/** The messages of one type the plugin sent to the UI. */
export function sent<T extends PluginToUi['type']>(double: FigmaDouble, type: T): Array<MessageType<PluginToUi, T>> {
  return double.uiMessages.filter((m): m is MessageType<PluginToUi, T> => m.type === type);
}

export function last<T extends PluginToUi['type']>(double: FigmaDouble, type: T): MessageType<PluginToUi, T> {
  const all = sent(double, type);
  if (!all.length) throw new Error(`no "${type}" message was sent (got: ${double.uiMessages.map((m) => m.type).join(', ')})`);
  return all[all.length - 1];
}
