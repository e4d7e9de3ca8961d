// Node-only helpers for the unit tests: the real sandbox (plugin/app) started against the double with the pngjs
// rasterizer, plus image makers. Not for the browser (pngjs).
import { PNG } from 'pngjs';
import { startPlugin } from '../../plugin/app';
import type { JobRequest, MessageType, Placement, PluginToUi, ResultTile, UiToPlugin } from '../../plugin/messages';
import { readPngSize } from '../../plugin/png-header';
import { MAX_IMAGE_SIDE, splitIntoTiles } from '../../techniques/geometry';
import { createFigmaDouble, type FigmaDouble } from './create-figma-double';
import type { FigmaDoubleOptions } from './figma-api';
import type { RgbaImage } from './figma-types';
import type { DoubleSceneNode } from './nodes';
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

export type JobInput = MessageType<PluginToUi, 'job-input'>;
export type JobResultMessage = MessageType<UiToPlugin, 'job-result'>;

export interface RunOptions {
  id?: string;
  job?: JobRequest;
  placement?: Placement;
  reapply?: boolean;
}

let runs = 0;

/**
 * What the UI does when the user clicks Run: selects `sources` (unless none are given: the selection stays), sends
 * `run-job` and returns the plugin's `job-input` for it (throws with the error when it answered `job-error`).
 */
export async function runJob(double: FigmaDouble, sources: DoubleSceneNode[], options: RunOptions = {}): Promise<JobInput> {
  const id = options.id ?? `job-${++runs}`;
  if (sources.length) double.select(...sources);
  const before = double.uiMessages.length;
  await double.deliverToPlugin({
    type: 'run-job',
    id,
    job: options.job ?? { technique: 'invert', params: { amount: 1 } },
    placement: options.placement ?? 'beside',
    ...(options.reapply ? { reapply: true } : {}),
  });
  const answer = double.uiMessages.slice(before).find((m) => 'id' in m && m.id === id && (m.type === 'job-input' || m.type === 'job-error'));
  if (!answer) throw new Error(`the plugin did not answer run-job ${id}`);
  if (answer.type !== 'job-input') throw new Error(`run-job ${id} failed: ${JSON.stringify(answer)}`);
  return answer;
}

/** Tiles of at most 4096 px covering a width x height result, as the engine makes them (one colour). */
export function resultTiles(width: number, height: number): ResultTile[] {
  return splitIntoTiles(width, height, MAX_IMAGE_SIDE).map((r) => ({ ...r, png: png(r.width, r.height) }));
}

/**
 * The `job-result` the UI sends for one source of `input`: the job and placement as they came, the size the source
 * was exported at (or `width` x `height`), tiled like the engine does (or `tiles`).
 */
export function resultFor(input: JobInput, sourceId: string, options: { width?: number; height?: number; tiles?: ResultTile[] } = {}): JobResultMessage {
  const source = input.sources.find((s) => s.id === sourceId);
  const exported = source ? readPngSize(source.png) : null;
  const width = options.width ?? exported?.width ?? 1;
  const height = options.height ?? exported?.height ?? 1;
  return { type: 'job-result', id: input.id, sourceId, job: input.job, placement: input.placement, width, height, tiles: options.tiles ?? resultTiles(width, height) };
}

/** Runs a job on `source` and delivers its result: the whole round trip of one result. Returns the job-input. */
export async function runAndDeliver(
  double: FigmaDouble,
  source: DoubleSceneNode,
  options: RunOptions & { width?: number; height?: number; tiles?: ResultTile[] } = {},
): Promise<JobInput> {
  const input = await runJob(double, [source], options);
  await double.deliverToPlugin(resultFor(input, source.id, options));
  return input;
}
