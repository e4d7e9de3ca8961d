// A seeded fuzzer for the sandbox's message handling: a few thousand valid and mutated UI messages (run-job,
// job-result, save-settings, cancel-job, job-failed; fields dropped, wrong types, huge strings, NaN, negative
// numbers, nested junk, ids of other layers and jobs) against the real plugin on the figma double. After every
// message: nothing thrown, nothing left as an unhandled rejection; no layer added unless the message was a
// legitimate result (of a job the sandbox started and still waits on, for a layer it exported, matching that job);
// no existing node changed; every toast at most 500 characters; every message to the UI valid.
import { MAX_MESSAGE_TEXT, parsePluginMessage, parseUiMessage, type JobRequest } from '../../plugin/messages';
import { readPngSize } from '../../plugin/png-header';
import { MAX_RESULT_SIDE } from '../../plugin/result-tiles';
import { defaultParams, parseParams, techniqueSpec } from '../../techniques/registry';
import type { TechniqueSpec } from '../../techniques/technique-spec';
import type { DoubleBaseNode, DoubleSceneNode, FigmaDouble } from '../../playground/figma-double';
import { png, resultFor, resultTiles, rgba, startPastiche, type JobInput } from '../../playground/figma-double/node-harness';
import { fuzzRandom, JUNK_VALUES, type Json, type Rng } from '../support/fuzz';

const SEED = 0x5eed_1234;
const ROUNDS = 3000;

jest.setTimeout(120_000);


/** One random change somewhere in `value` (a fresh copy is returned). */
function mutate(rng: Rng, value: Json, ids: string[]): Json {
  const copy = structuredClone(value);
  const holder = { root: copy } as Record<string, Json>;
  // Walk down a random path, stopping at a random depth.
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
  switch (rng.int(7)) {
    case 0:
      if (Array.isArray(target)) target.splice(key as number, 1);
      else delete target[key as string];
      break;
    case 1:
      target[key as string] = rng.pick(JUNK_VALUES);
      break;
    case 2:
      if (typeof old === 'number') target[key as string] = rng.pick([old + 1, -old, old * 1000, old / 3, 0, Number.NaN, -Infinity, 1 << 20]);
      else target[key as string] = rng.pick(JUNK_VALUES);
      break;
    case 3:
      target[key as string] = rng.pick(ids); // another layer's or job's id
      break;
    case 4:
      if (Array.isArray(old) && old.length) old.push(structuredClone(old[0]));
      else if (old instanceof Uint8Array) target[key as string] = old.slice(0, rng.int(old.length));
      else target[key as string] = [old, old];
      break;
    case 5:
      if (typeof old === 'object' && old !== null && !Array.isArray(old)) (old as Record<string, Json>)[rng.pick(['extra', '__proto__x', 'type'])] = rng.pick(JUNK_VALUES);
      else target[key as string] = { value: old };
      break;
    default:
      if (typeof old === 'string') target[key as string] = old + rng.pick(['x', ' ', '\u0000', 'x'.repeat(300)]);
      else target[key as string] = String(old);
  }
  return holder.root;
}

/** Every scene node in the document, depth first. */
function allNodes(d: FigmaDouble): DoubleSceneNode[] {
  const out: DoubleSceneNode[] = [];
  const walk = (node: DoubleBaseNode) => {
    for (const kid of node.kids) {
      out.push(kid as DoubleSceneNode);
      walk(kid);
    }
  };
  for (const page of d.api.root.children) walk(page);
  return out;
}

interface Snapshot {
  text: string;
  fills: unknown;
}

function snapshot(node: DoubleSceneNode, known: Set<string>): Snapshot {
  const order = node.kids.filter((k) => known.has(k.id)).map((k) => k.id);
  const fields = [
    node.name,
    node.relativeTransform.flat().join(','),
    node.width,
    node.height,
    node.visible,
    node.removed,
    node.parent?.id,
    order.join(','),
    node.getPluginDataKeys().map((k) => `${k}=${node.getPluginData(k)}`).join(';'),
    JSON.stringify(node.getRelaunchData()),
  ];
  return { text: fields.join('|'), fills: 'fills' in node ? (node as { fills: unknown }).fills : undefined };
}

const sameParams = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

/** The oracle's own check that tiles are PNGs of their size covering the result exactly once. */
function tilesCover(width: number, height: number, tiles: Array<{ x: number; y: number; width: number; height: number; png: Uint8Array }>): boolean {
  let area = 0;
  for (const [i, t] of tiles.entries()) {
    const size = t.png instanceof Uint8Array ? readPngSize(t.png) : null;
    if (!size || size.width !== t.width || size.height !== t.height || t.width > 4096 || t.height > 4096) return false;
    if (t.x < 0 || t.y < 0 || t.x + t.width > width || t.y + t.height > height) return false;
    for (const u of tiles.slice(i + 1)) if (t.x < u.x + u.width && u.x < t.x + t.width && t.y < u.y + u.height && u.y < t.y + t.height) return false;
    area += t.width * t.height;
  }
  return area === width * height;
}

interface Issued {
  serial: number;
  input: JobInput;
  closed: boolean;
}

describe('fuzzing the sandbox with UI messages', () => {
  it(`survives ${ROUNDS} random and mutated messages (seed ${SEED.toString(16)}) and writes only legitimate results`, async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const rng = fuzzRandom(SEED);
      const d = await startPastiche();
      const a = d.addImageLayer({ name: 'A', x: 0, y: 0, width: 24, height: 12, rgba: rgba(6, 3) });
      const b = d.addImageLayer({ name: 'B'.repeat(300), x: 0, y: 40, width: 16, height: 16, rgba: rgba(4, 4) });
      const frame = d.addFrame({ name: 'F', x: 0, y: 100, width: 80, height: 60 });
      const c = d.addEllipse({ name: 'C', x: 5, y: 5, width: 10, height: 10, parent: frame, rotation: 20 });
      const s = d.addImageLayer({ name: 'S', x: 0, y: 200, width: 20, height: 10, rgba: rgba(2, 1) });
      const hidden = d.addRectangle({ name: 'H', x: 0, y: 300, width: 5, height: 5, visible: false });
      const elsewhere = d.addPage('Other');
      const p = d.addImageLayer({ name: 'P', x: 0, y: 0, width: 10, height: 10, rgba: rgba(1, 1), parent: elsewhere });
      const originals: DoubleSceneNode[] = [a, b, c, s, frame, hidden];

      const layerStyle = { ...defaultParams('style'), styles: [{ source: 'layer' as const, weight: 1 }] };
      const jobs = (): JobRequest[] => [
        { technique: 'invert', params: { amount: rng.pick([0, 0.25, 1]) } },
        { technique: 'blur', params: { radius: rng.pick([1, 4]) } },
        { technique: 'style', params: defaultParams('style') },
        { technique: 'style', params: layerStyle, referenceId: s.id },
      ];
      const issued = new Map<string, Issued>();
      const layered = new Set<string>();
      let serial = 0;
      let seen = 0;
      let written = 0;
      let refused = 0;
      const failures: string[] = [];
      const idPool = () => [a.id, b.id, c.id, s.id, p.id, frame.id, hidden.id, ...[...issued.keys()].slice(-5), 'job-x', ''];

      /** A change that keeps the message well-formed (the schema lets it through) but makes it wrong for its job. */
      const plausible = (result: ReturnType<typeof resultFor>): Json => {
        switch (rng.int(7)) {
          case 0:
            return { ...result, width: result.width + 1 }; // tiles no longer cover it (or not the exported size)
          case 1:
            return { ...result, width: result.width * 2, height: result.height * 2, tiles: resultTiles(result.width * 2, result.height * 2) };
          case 2:
            return { ...result, placement: result.placement === 'beside' ? 'on-top' : 'beside' };
          case 3:
            return { ...result, sourceId: rng.pick([a.id, b.id, c.id, s.id, p.id, hidden.id]) };
          case 4:
            return { ...result, job: rng.pick(jobs()) };
          case 5:
            return { ...result, tiles: result.tiles.map((t) => ({ ...t, png: png(t.width + 1, t.height) })) };
          default:
            return { ...result, id: rng.pick([...issued.keys()]) };
        }
      };

      const template = (): Json => {
        const roll = rng.next();
        const open = [...issued.values()].filter((i) => !i.closed);
        if (roll < 0.25) {
          const results = allNodes(d).filter((n) => n.getPluginDataKeys().length > 0);
          const pool = [...originals, ...results.slice(-3)];
          d.select(...pool.filter(() => rng.chance(0.4)));
          const fresh = rng.chance(0.85) || issued.size === 0;
          return {
            type: 'run-job',
            id: fresh ? `f${serial + rng.int(1000) * 10000}` : rng.pick([...issued.keys()]),
            job: rng.pick(jobs()),
            placement: rng.pick(['beside', 'on-top'] as const),
            ...(rng.chance(0.2) ? { reapply: true } : {}),
          };
        }
        const closed = [...issued.values()].filter((i) => i.closed);
        if (roll < 0.65 && (open.length || closed.length)) {
          // Mostly the job running now; sometimes a late result of a cancelled or failed one.
          const late = closed.length > 0 && (open.length === 0 || rng.chance(0.15));
          const job = late ? rng.pick(closed) : rng.chance(0.8) ? open[open.length - 1] : rng.pick(open);
          const source = rng.pick(job.input.sources);
          const sized = job.input.job.technique === 'style' && rng.chance(0.3);
          const result = resultFor(job.input, source.id, sized ? { width: rng.pick([7, 300, 5000]), height: rng.pick([3, 41]) } : {});
          return rng.chance(0.3) ? plausible(result) : result;
        }
        if (roll < 0.75 && open.length) return { type: 'cancel-job', id: rng.pick(open).input.id };
        if (roll < 0.82) {
          const id = open.length && rng.chance(0.7) ? rng.pick(open).input.id : 'nobody';
          return { type: 'job-failed', id, error: { code: rng.pick(['backend', 'cancelled', 'internal']), message: 'Something failed.' } };
        }
        if (roll < 0.92) {
          return {
            type: 'save-settings',
            settings: { placement: rng.pick(['beside', 'on-top']), params: { invert: { amount: rng.next() } }, panel: 'basics', revealResult: rng.chance(0.5) },
          };
        }
        return rng.chance(0.5) ? { type: 'ui-ready' } : { type: 'job-result', id: 'ghost', sourceId: a.id, job: jobs()[0], placement: 'beside', width: 24, height: 12, tiles: resultTiles(24, 12) };
      };

      for (let round = 0; round < ROUNDS; round++) {
        let message = template();
        const mutations = rng.chance(0.55) ? 1 + rng.int(3) : 0;
        for (let i = 0; i < mutations; i++) message = mutate(rng, message, idPool());

        const before = allNodes(d);
        const known = new Set(before.map((n) => n.id));
        const snapshots = new Map(before.map((n) => [n.id, snapshot(n, known)]));
        const notes = d.api.notifications.length;
        const sentBefore = d.uiMessages.length;
        const m = message as Record<string, Json>;
        const job = typeof m?.id === 'string' ? issued.get(m.id) : undefined;

        try {
          await d.api.ui.deliver(message as never);
        } catch (error) {
          failures.push(`round ${round}: deliver threw ${String(error)}`);
        }

        // What the sandbox said.
        for (const out of d.uiMessages.slice(sentBefore)) {
          if (!parsePluginMessage(out)) failures.push(`round ${round}: invalid message to the UI: ${JSON.stringify(out).slice(0, 200)}`);
          if (out.type === 'job-input') issued.set(out.id, { serial: ++serial, input: out, closed: false });
          if (out.type === 'job-error' && m?.type === 'job-result') refused++;
        }
        for (const note of d.api.notifications.slice(notes)) {
          if (note.message.length > MAX_MESSAGE_TEXT) failures.push(`round ${round}: a toast of ${note.message.length} characters`);
        }
        const parsed = parseUiMessage(message);
        if (parsed && (parsed.type === 'cancel-job' || parsed.type === 'job-failed')) {
          const closed = issued.get(parsed.id);
          if (closed) closed.closed = true;
        }

        // Nothing that existed changed.
        const after = allNodes(d);
        for (const node of before) {
          const was = snapshots.get(node.id)!;
          const now = snapshot(node, known);
          if (now.text !== was.text || now.fills !== was.fills) failures.push(`round ${round}: ${node.name.slice(0, 20)} changed: ${was.text.slice(0, 120)} -> ${now.text.slice(0, 120)}`);
        }

        // New layers: at most one, and only for a legitimate result.
        const added = after.filter((n) => !known.has(n.id) && (!n.parent || known.has(n.parent.id) || n.parent.type === 'PAGE'));
        if (added.length === 0) continue;
        const key = job ? `${job.serial}\u0000${String(m.sourceId)}` : '';
        const spec = job ? (techniqueSpec(job.input.job.technique) as unknown as TechniqueSpec) : undefined;
        const exported = job?.input.sources.find((src) => src.id === m.sourceId);
        const size = exported ? readPngSize(exported.png) : null;
        let params: unknown = undefined;
        try {
          params = job && typeof m.job === 'object' && m.job ? parseParams((m.job as { technique: never }).technique, (m.job as { params: unknown }).params) : undefined;
        } catch {
          params = undefined;
        }
        const mj = (m.job ?? {}) as Record<string, unknown>;
        const legitimate =
          added.length === 1 &&
          m.type === 'job-result' &&
          !!job &&
          !job.closed &&
          !!exported &&
          !layered.has(key) &&
          mj.technique === job.input.job.technique &&
          params !== undefined &&
          sameParams(params, job.input.job.params) &&
          (mj.referenceId ?? '') === (job.input.job.referenceId ?? '') &&
          m.placement === job.input.placement &&
          Number.isInteger(m.width) &&
          Number.isInteger(m.height) &&
          (m.width as number) <= MAX_RESULT_SIDE &&
          (m.height as number) <= MAX_RESULT_SIDE &&
          (spec?.resultPixels ? true : !!size && size.width === m.width && size.height === m.height) &&
          Array.isArray(m.tiles) &&
          tilesCover(m.width as number, m.height as number, m.tiles as never);
        if (!legitimate) failures.push(`round ${round}: ${added.length} layer(s) added for ${JSON.stringify(message, (_k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : typeof v === 'string' && v.length > 50 ? `${v.slice(0, 50)}…` : v)).slice(0, 400)}`);
        layered.add(key);
        written++;
        seen = round;
      }

      expect(failures.slice(0, 10)).toEqual([]);
      expect(rejections).toEqual([]);
      // The fuzzer did reach the interesting paths: results written, results refused, jobs started.
      expect(written).toBeGreaterThan(50);
      expect(refused).toBeGreaterThan(20);
      expect(serial).toBeGreaterThan(100);
      expect(seen).toBeGreaterThan(ROUNDS / 2);
      // Still a working plugin afterwards.
      d.select(a);
      await d.deliverToPlugin({ type: 'run-job', id: 'final', job: { technique: 'invert', params: { amount: 1 } }, placement: 'beside' });
      const input = d.uiMessages.filter((x): x is JobInput => x.type === 'job-input').at(-1)!;
      expect(input.id).toBe('final');
      await d.deliverToPlugin({ ...resultFor(input, a.id), tiles: [{ x: 0, y: 0, width: 24, height: 12, png: png(24, 12) }] });
      expect(d.uiMessages.at(-1)).toMatchObject({ type: 'job-done', id: 'final' });
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
