// A seeded fuzzer for the engine's message handling (ui/engine/engine-messages.ts, the code the worker runs): a few
// thousand valid and mutated messages (run, run-collection, cancel, finish, memory, ping; fields dropped, wrong types,
// huge and NaN numbers, bad PNG bytes, unknown techniques, parameters out of range, nested junk, other jobs' ids)
// on TF.js's CPU backend, through a fake channel that clones every message as postMessage does. Checked: nothing
// thrown out of the handler, no unhandled rejection; every job the schema accepts is answered exactly once, with its
// result or an error whose data is a PasticheErrorData (known code, message of 1..500 characters); nothing but the
// protocol's message types comes out; results are tiles that cover the image exactly; afterwards the engine still
// runs a valid job right, and TF.js holds as many tensors as before the first message.
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { handleEngineMessages, type ImageCodec, type Region } from '../../ui/engine/engine-messages';
import { fitConvolutionsTo } from '../../ui/engine/backend';
import { parseEngineMessage, type EngineToUi, type UiToEngine } from '../../ui/engine/protocol';
import { MAX_MESSAGE_TEXT } from '../../plugin/messages';
import { PasticheError, type PasticheErrorCode } from '../../techniques/errors';
import type { RgbaImage } from '../../techniques/image';
import type { AssetLoader } from '../../techniques/job';
import type { Networks } from '../../models/registry';
import { defaultParams } from '../../techniques/registry';
import { testAssets } from '../support/assets';
import { png, rgba } from '../../playground/figma-double/node-harness';
import { fuzzRandom, JUNK_VALUES, type Json, type Rng } from '../support/fuzz';

const SEED = 0xe46_1e5;
const ROUNDS = 3000;

jest.setTimeout(300_000);

const JUNK: readonly Json[] = [...JUNK_VALUES, 'run', 'nonexistent-technique'];

/** Bytes that are almost a PNG: truncated, a flipped byte in the header or the data, or noise. */
function badPng(rng: Rng, good: Uint8Array): Uint8Array {
  switch (rng.int(4)) {
    case 0:
      return good.slice(0, rng.int(good.length));
    case 1: {
      const copy = good.slice();
      copy[rng.int(Math.min(copy.length, 33))] ^= 0xff; // signature or IHDR
      return copy;
    }
    case 2: {
      const copy = good.slice();
      copy[33 + rng.int(copy.length - 33)] ^= 1 << rng.int(8);
      return copy;
    }
    default:
      return Uint8Array.from({ length: rng.int(200) }, () => rng.int(256));
  }
}

/** One random change somewhere in `value` (a fresh copy is returned). */
function mutate(rng: Rng, value: Json, ids: string[], pngs: Uint8Array[]): Json {
  const copy = structuredClone(value);
  const holder = { root: copy } as Record<string, Json>;
  let parent: Record<string, Json> | Json[] = holder;
  let key: string | number = 'root';
  for (;;) {
    const current: Json = (parent as Record<string, Json>)[key as string];
    const isContainer = typeof current === 'object' && current !== null && !(current instanceof Uint8Array);
    const keys = isContainer ? Object.keys(current as object) : [];
    if (!isContainer || keys.length === 0 || rng.chance(0.3)) break;
    parent = current as Record<string, Json>;
    key = Array.isArray(current) ? rng.int((current as Json[]).length) : rng.pick(keys);
  }
  const target = parent as Record<string, Json>;
  const old = target[key as string];
  switch (rng.int(8)) {
    case 0:
      if (Array.isArray(target)) target.splice(key as number, 1);
      else delete target[key as string];
      break;
    case 1:
      target[key as string] = rng.pick(JUNK);
      break;
    case 2:
      if (typeof old === 'number') target[key as string] = rng.pick([old + 1, -old, old * 1000, old / 3, 0, Number.NaN, -Infinity, 1 << 20, 1 << 16]);
      else target[key as string] = rng.pick(JUNK);
      break;
    case 3:
      target[key as string] = rng.pick(ids);
      break;
    case 4:
      if (Array.isArray(old) && old.length) old.push(structuredClone(old[0]));
      else if (old instanceof Uint8Array) target[key as string] = badPng(rng, old);
      else target[key as string] = [old, old];
      break;
    case 5:
      if (typeof old === 'object' && old !== null && !Array.isArray(old) && !(old instanceof Uint8Array)) {
        (old as Record<string, Json>)[rng.pick(['extra', '__proto__x', 'type', 'technique'])] = rng.pick(JUNK);
      } else target[key as string] = { value: old };
      break;
    case 6:
      // Another image where one was: bad bytes, or a valid PNG of another size.
      target[key as string] = old instanceof Uint8Array && rng.chance(0.5) ? badPng(rng, old) : rng.pick(pngs);
      break;
    default:
      if (typeof old === 'string') target[key as string] = old + rng.pick(['x', ' ', '\u0000', 'x'.repeat(300)]);
      else target[key as string] = String(old);
  }
  return holder.root;
}

/** The engine's channel, from the UI's side: messages are structured-cloned both ways, as postMessage does. */
class FakeChannel {
  readonly out: EngineToUi[] = [];
  private listener: ((event: MessageEvent<UiToEngine>) => void) | null = null;
  cloneFailures: string[] = [];

  postMessage(message: EngineToUi): void {
    try {
      this.out.push(structuredClone(message));
    } catch (error) {
      this.cloneFailures.push(`${message.type}: ${String(error)}`);
    }
  }

  addEventListener(_type: 'message', listener: (event: MessageEvent<UiToEngine>) => void): void {
    this.listener = listener;
  }

  deliver(data: unknown): void {
    this.listener!({ data: structuredClone(data) } as MessageEvent<UiToEngine>);
  }
}

/** pngjs in place of the browser's codecs; undecodable bytes are a typed error, as in ui/engine/png.ts. */
const pngCodec: ImageCodec = {
  async decode(bytes) {
    try {
      const decoded = PNG.sync.read(Buffer.from(bytes));
      return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
    } catch {
      throw new PasticheError('bad-input', 'The layer could not be read as an image.');
    }
  },
  async encode(image: RgbaImage, region: Region) {
    const out = new PNG({ width: region.width, height: region.height });
    for (let y = 0; y < region.height; y++) {
      const from = ((region.y + y) * image.width + region.x) * 4;
      out.data.set(image.data.subarray(from, from + region.width * 4), y * region.width * 4);
    }
    return new Uint8Array(PNG.sync.write(out));
  },
};

/** No networks: techniques that need one fail fast with a typed error (on the CPU backend they would take minutes).
 *  The cheap techniques and the collection techniques "by pixels" run for real. */
const noNetworks: Networks = {
  get: () => Promise.reject(new PasticheError('model-unavailable', 'No networks in the fuzz test.')),
  dispose: async () => {},
  disposeAll: async () => {},
  loaded: () => [],
};

/** Bundled images from the cache, decoded once. */
const decodedAssets = new Map<string, Promise<RgbaImage>>();
const cachedAssets: AssetLoader = {
  image(kind, id) {
    const key = `${kind}/${id}`;
    if (!decodedAssets.has(key)) decodedAssets.set(key, testAssets.image(kind, id));
    return decodedAssets.get(key)!;
  },
};

const ERROR_CODES: PasticheErrorCode[] = ['no-selection', 'bad-selection', 'bad-input', 'bad-params', 'too-large', 'cancelled', 'model-unavailable', 'backend', 'internal'];
const OUT_TYPES = new Set(['progress', 'result', 'collection-result', 'error', 'memory', 'pong']);

/** The tiles cover the result exactly once, each a PNG of its own size. */
function tilesCover(width: number, height: number, tiles: Array<{ x: number; y: number; width: number; height: number; png: Uint8Array }>): boolean {
  let area = 0;
  for (const [i, t] of tiles.entries()) {
    const size = PNG.sync.read(Buffer.from(t.png));
    if (size.width !== t.width || size.height !== t.height) return false;
    if (t.x < 0 || t.y < 0 || t.x + t.width > width || t.y + t.height > height) return false;
    for (const u of tiles.slice(i + 1)) if (t.x < u.x + u.width && u.x < t.x + t.width && t.y < u.y + u.height && u.y < t.y + t.height) return false;
    area += t.width * t.height;
  }
  return area === width * height;
}

describe('fuzzing the engine with UI messages', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it(`survives ${ROUNDS} random and mutated messages (seed ${SEED.toString(16)}) and answers every job once`, async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const rng = fuzzRandom(SEED);
      const channel = new FakeChannel();
      const tensorsBefore = tf.memory().numTensors;
      handleEngineMessages(channel as never, { networks: () => noNetworks, assets: cachedAssets, codec: pngCodec, fitConvolutionsTo });

      const pngs = [png(4, 4), png(8, 6), png(16, 16), png(1, 1), png(12, 3)];
      // Cheap techniques run for real; the others reach their network and fail fast (noNetworks).
      const cheapJobs = () => [
        { technique: 'invert', params: { amount: rng.pick([0, 0.25, 1]) } },
        { technique: 'grayscale', params: { amount: rng.next() } },
        { technique: 'blur', params: { radius: rng.pick([1, 2, 3]) } },
      ];
      const jobs = (): Array<{ technique: string; params: unknown; referenceId?: string }> => [
        { technique: 'invert', params: { amount: rng.pick([0, 0.25, 1]) } },
        { technique: 'grayscale', params: { amount: rng.next() } },
        { technique: 'blur', params: { radius: rng.pick([1, 2, 3]) } },
        { technique: 'texture', params: { make: 'extend', method: 'patch', width: 16, height: 16, seed: rng.int(10) } },
        { technique: 'texture', params: { make: 'seamless', method: 'patch', tileSize: 64 } },
        { technique: 'style', params: defaultParams('style') },
        { technique: 'style', params: { method: 'gatys', gatys: { steps: 1 } } },
        { technique: 'dream', params: { octaves: 1, stepsPerOctave: 1 } },
        { technique: 'reconstruct', params: { size: 32, steps: 1 } },
        { technique: 'filters', params: { pixelSize: 2 } },
        { technique: 'channels', params: { count: 2, size: 32 } },
        { technique: 'texture', params: { make: 'fill', method: 'neural', steps: 1 }, referenceId: 'sample' },
        { technique: 'similar', params: { compare: 'pixels', top: 2 } },
        { technique: 'arrange', params: { compare: 'pixels', seed: 3 } },
        { technique: 'nonexistent', params: {} },
      ];
      const collectionJobs = () => [
        { technique: 'similar', params: { compare: 'pixels', top: 1 + rng.int(3) } },
        { technique: 'arrange', params: { compare: 'pixels', seed: rng.int(5) } },
        { technique: 'similar', params: { compare: 'features', top: 2 } },
        { technique: 'invert', params: { amount: 1 } },
      ];

      let serial = 0;
      const sentIds: string[] = [];
      const idPool = () => [...sentIds.slice(-6), 'job-x', '', 'memory-1'];
      const template = (): Json => {
        const roll = rng.next();
        if (roll < 0.45) {
          const id = rng.chance(0.9) || sentIds.length === 0 ? `job-${++serial}` : rng.pick(sentIds);
          sentIds.push(id);
          const source = rng.pick(pngs);
          const job = rng.pick(rng.chance(0.4) ? cheapJobs() : jobs());
          // Sometimes only the parameters are wrong: the envelope passes the schema, the technique's check refuses.
          if (rng.chance(0.2)) job.params = mutate(rng, job.params, idPool(), pngs);
          return {
            type: 'run',
            job: { id, job, sourcePng: source, ...(rng.chance(0.3) ? { referencePng: rng.pick(pngs) } : {}), width: 1 + rng.int(64), height: 1 + rng.int(64) },
          };
        }
        if (roll < 0.6) {
          const id = `collection-${++serial}`;
          sentIds.push(id);
          const items = Array.from({ length: rng.int(5) }, (_, i) => ({ id: `layer-${i}`, png: rng.pick(pngs) }));
          return { type: 'run-collection', job: { id, job: rng.pick(collectionJobs()), items, ...(rng.chance(0.7) ? { query: { id: 'query', png: rng.pick(pngs) } } : {}) } };
        }
        if (roll < 0.72) return { type: 'cancel', id: sentIds.length && rng.chance(0.8) ? rng.pick(sentIds.slice(-4)) : 'nobody' };
        if (roll < 0.8) return { type: 'finish', id: sentIds.length ? rng.pick(sentIds.slice(-4)) : 'nobody' };
        if (roll < 0.85) return { type: 'memory', id: `memory-${++serial}` };
        if (roll < 0.9) return { type: 'ping' };
        return rng.pick<Json>([{ type: 'engine-lost' }, { type: 'result', id: 'job-1' }, { type: 'ready' }, 'run', 42, null, [{ type: 'run' }], { type: 'RUN', job: {} }, { job: { id: 'x' } }]);
      };

      /** Per id: the jobs the schema accepted under it, by kind. */
      const accepted = new Map<string, { run: number; collection: number }>();
      const failures: string[] = [];
      let kinds = { results: 0, errors: 0, collections: 0, cancelled: 0, badInput: 0, badParams: 0 };

      const drain = async () => {
        // Memory requests queue behind every job: their answer means the engine is idle.
        const id = `drain-${++serial}`;
        channel.deliver({ type: 'memory', id });
        const deadline = Date.now() + 120_000;
        while (!channel.out.some((m) => m.type === 'memory' && m.id === id)) {
          if (Date.now() > deadline) throw new Error('the engine did not drain within 2 minutes');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };

      for (let round = 0; round < ROUNDS; round++) {
        let message = template();
        const mutations = rng.chance(0.55) ? 1 + rng.int(3) : 0;
        for (let i = 0; i < mutations; i++) message = mutate(rng, message, idPool(), pngs);

        const parsed = parseEngineMessage(structuredClone(message));
        if (parsed && (parsed.type === 'run' || parsed.type === 'run-collection')) {
          const entry = accepted.get(parsed.job.id) ?? { run: 0, collection: 0 };
          if (parsed.type === 'run') entry.run++;
          else entry.collection++;
          accepted.set(parsed.job.id, entry);
        }
        try {
          channel.deliver(message);
        } catch (error) {
          failures.push(`round ${round}: the handler threw ${String(error)}`);
        }
        // Let jobs run between messages now and then, and wait for them all at times, so cancels meet queued,
        // running and finished jobs alike.
        if (rng.chance(0.3)) await new Promise((resolve) => setImmediate(resolve));
        if (round % 250 === 249) await drain();
      }
      await drain();

      // What came out.
      const answers = new Map<string, EngineToUi[]>();
      for (const out of channel.out) {
        if (!OUT_TYPES.has(out.type)) failures.push(`unknown message type out: ${out.type}`);
        if (out.type === 'progress') {
          if (!accepted.has(out.id)) failures.push(`progress for a job never accepted: ${out.id}`);
          if (!(out.progress.fraction >= 0 && out.progress.fraction <= 1)) failures.push(`progress fraction ${out.progress.fraction}`);
        }
        if (out.type === 'result' || out.type === 'collection-result' || out.type === 'error') answers.set(out.id, [...(answers.get(out.id) ?? []), out]);
        if (out.type === 'error') {
          const { code, message } = out.error;
          if (!ERROR_CODES.includes(code)) failures.push(`unknown error code ${code}`);
          if (typeof message !== 'string' || message.length === 0 || message.length > MAX_MESSAGE_TEXT) failures.push(`error message of ${message?.length} characters: ${String(message).slice(0, 80)}`);
          kinds.errors++;
          if (code === 'cancelled') kinds.cancelled++;
          if (code === 'bad-input') kinds.badInput++;
          if (code === 'bad-params') kinds.badParams++;
        }
        if (out.type === 'result') {
          kinds.results++;
          if (!(out.width > 0 && out.height > 0) || !tilesCover(out.width, out.height, out.tiles)) failures.push(`result ${out.id}: tiles do not cover ${out.width}x${out.height}`);
        }
        if (out.type === 'collection-result') kinds.collections++;
      }
      for (const [id, { run, collection }] of accepted) {
        const got = answers.get(id) ?? [];
        if (got.length !== run + collection) failures.push(`${id}: ${run + collection} job(s) accepted, ${got.length} answer(s)`);
        for (const answer of got) {
          if (answer.type === 'result' && run === 0) failures.push(`${id}: a result for a collection job`);
          if (answer.type === 'collection-result' && collection === 0) failures.push(`${id}: a collection result for an image job`);
        }
      }
      for (const id of answers.keys()) if (!accepted.has(id)) failures.push(`an answer for ${id}, which was never accepted`);

      expect(failures.slice(0, 10)).toEqual([]);
      expect(channel.cloneFailures).toEqual([]);
      expect(rejections).toEqual([]);
      // The fuzzer reached the interesting paths.
      expect(kinds.results).toBeGreaterThan(100);
      expect(kinds.collections).toBeGreaterThan(20);
      expect(kinds.cancelled).toBeGreaterThan(20);
      expect(kinds.badInput).toBeGreaterThan(20);
      expect(kinds.badParams).toBeGreaterThan(20);
      expect(kinds.errors - kinds.cancelled - kinds.badInput - kinds.badParams).toBeGreaterThan(20); // model-unavailable and the like

      // No tensor left behind by thousands of jobs, failed, cancelled and finished.
      expect(tf.memory().numTensors).toBe(tensorsBefore);

      // Still a working engine.
      const before = channel.out.length;
      const source = rgba(3, 2, (x, y) => [x * 80, y * 100, 30, 255]);
      channel.deliver({ type: 'run', job: { id: 'final', job: { technique: 'invert', params: { amount: 1 } }, sourcePng: png(3, 2, (x, y) => [x * 80, y * 100, 30, 255]), width: 3, height: 2 } });
      await drain();
      const final = channel.out.slice(before).find((m) => m.type === 'result' || m.type === 'error');
      expect(final).toMatchObject({ type: 'result', id: 'final', width: 3, height: 2 });
      const pixels = (await pngCodec.decode((final as Extract<EngineToUi, { type: 'result' }>).tiles[0].png)).data;
      for (let i = 0; i < pixels.length; i += 4) {
        for (let c = 0; c < 3; c++) expect(Math.abs(pixels[i + c] - (255 - source.data[i + c]))).toBeLessThanOrEqual(1);
      }
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
