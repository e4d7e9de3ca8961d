// Leaks, in Debian Chromium on WebGL (SwiftShader): jobs of every technique in a row, through the real engine host and
// JobRunner in the plugin's iframe (support/engine-harness.ts), each on a fresh seeded image. After the first job of a
// technique (which loads its networks), every later job must leave TF.js's memory exactly where the first left it,
// tensors and bytes; and the worker's JS heap, after a full garbage collection, must level off (measured: it grows by
// a few hundred KB over a technique's first jobs, V8's compiled code and caches, then by a few KB a job at most).
// Inputs are tiny and settings minimal (SwiftShader is slow): 20 jobs of each technique, about 6 minutes in all here.
// The figures are written to test-results/leaks.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PlaygroundSession } from './support/playground-page';
import { EngineHarnessPage, WorkerHeap, type HarnessOutcome } from './support/engine-harness';
import type { JobRequest } from '../../plugin/messages';

jest.setTimeout(900_000);

const RUNS = 20;
/** Heap growth allowed from after a technique's first job to after its last (measured at most 0.65 MB, Dream). */
const HEAP_GROWTH_LIMIT = 1_000_000;
/** ... and over the second half of its jobs, where the heap has levelled off (measured at most 0.24 MB, Dream;
 *  60 Dream jobs in a row grow it by ~6 KB a job after the first 15). A 64 px RGBA float image leaked per job
 *  (64 KB, 640 KB over 10 jobs) goes over it. */
const LATE_HEAP_GROWTH_LIMIT = 500_000;

interface LeakCase {
  name: string;
  runs: number;
  run(harness: EngineHarnessPage, index: number): Promise<HarnessOutcome>;
}

const image = (name: string, job: JobRequest, size: number): LeakCase => ({
  name,
  runs: RUNS,
  run: (harness, index) => harness.run({ job, size, seed: index }),
});

const collection = (name: string, job: JobRequest, withQuery: boolean, seedOffset: number): LeakCase => ({
  name,
  runs: RUNS,
  // Fresh images every job (seeded apart from the other collection case): the embedding cache misses, the network runs.
  run: (harness, index) => harness.runCollection({ job, size: 32, items: 3, withQuery, seed: seedOffset + index }),
});

const CASES: LeakCase[] = [
  image('invert', { technique: 'invert', params: { amount: 1 } }, 32),
  image('grayscale', { technique: 'grayscale', params: { amount: 1 } }, 32),
  image('blur', { technique: 'blur', params: { radius: 2 } }, 32),
  image('filters (VGG19)', { technique: 'filters', params: { pixelSize: 2, responses: true } }, 32),
  image('texture quick (patch)', { technique: 'texture', params: { make: 'extend', method: 'patch', width: 32, height: 32 } }, 32),
  image('style fast (Magenta)', { technique: 'style', params: { method: 'fast' } }, 32),
  // MobileNetV2 at 32 px fails on WebGL ("Reverse of rank-5 tensor is not yet supported"): 64 px for these two.
  image('dream (1 octave, 1 step)', { technique: 'dream', params: { octaves: 1, stepsPerOctave: 1, previewEvery: 0 } }, 64),
  image('channels', { technique: 'channels', params: { count: 2, size: 32 } }, 64),
  collection('similar (3 layers + query)', { technique: 'similar', params: { compare: 'features', top: 2 } }, true, 0),
  collection('arrange (3 layers)', { technique: 'arrange', params: { compare: 'features', seed: 1 } }, false, 10_000),
  image('style Gatys (1 step)', { technique: 'style', params: { method: 'gatys', gatys: { steps: 1, pyramidLevels: 1, previewEvery: 0 } } }, 32),
  image('texture neural (1 step)', { technique: 'texture', params: { make: 'extend', method: 'neural', width: 32, height: 32, steps: 1, previewEvery: 0 } }, 32),
  image('reconstruct (1 step)', { technique: 'reconstruct', params: { size: 32, steps: 1, previewEvery: 0 } }, 32),
];

interface Figures {
  technique: string;
  jobs: number;
  tensorsBefore: number;
  bytesBefore: number;
  tensorsAfterFirst: number;
  bytesAfterFirst: number;
  tensorsAfterLast: number;
  bytesAfterLast: number;
  heapAfterFirst: number;
  heapHalfway: number;
  heapAfterLast: number;
  firstJobMs: number;
  laterJobMsMedian: number;
}

let session: PlaygroundSession;
let harness: EngineHarnessPage;
let heap: WorkerHeap;
const figures: Figures[] = [];

beforeAll(async () => {
  session = await PlaygroundSession.open();
  harness = await EngineHarnessPage.start(session, { compute: 'gpu' });
  expect(await harness.whereabouts()).toEqual({ where: 'worker', backend: 'webgl' });
  heap = await WorkerHeap.attach(session, harness.worker!.url());
});

afterAll(async () => {
  if (figures.length) {
    mkdirSync('test-results', { recursive: true });
    writeFileSync(path.join('test-results', 'leaks.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(
      figures
        .map((f) => `${f.technique}: ${f.jobs} jobs; tensors ${f.tensorsBefore} -> ${f.tensorsAfterFirst} (first) -> ${f.tensorsAfterLast} (last); bytes ${f.bytesBefore} -> ${f.bytesAfterFirst} -> ${f.bytesAfterLast}; heap ${(f.heapAfterFirst / 1e6).toFixed(2)} -> ${(f.heapHalfway / 1e6).toFixed(2)} -> ${(f.heapAfterLast / 1e6).toFixed(2)} MB; first job ${f.firstJobMs} ms, later ${f.laterJobMsMedian} ms`)
        .join('\n'),
    );
  }
  await heap?.detach();
  await session?.close();
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

for (const leakCase of CASES) {
  test(`${leakCase.name}: ${leakCase.runs} jobs in a row end where the first left TF.js's memory`, async () => {
    const before = await harness.memory();
    const first = await leakCase.run(harness, 0);
    expect(first).toMatchObject({ ok: true });
    const afterFirst = await harness.memory();
    const heapAfterFirst = await heap.usedAfterGc();
    const later: number[] = [];
    const memory: Array<[number, number]> = [];
    let heapHalfway = heapAfterFirst;
    for (let index = 1; index < leakCase.runs; index++) {
      if (index === leakCase.runs / 2) heapHalfway = await heap.usedAfterGc();
      const outcome = await leakCase.run(harness, index);
      expect(outcome).toMatchObject({ ok: true });
      later.push(outcome.ms);
      const now = await harness.memory();
      expect(now.backend).toBe('webgl');
      memory.push([now.numTensors, now.numBytes]);
    }
    const afterLast = await harness.memory();
    const heapAfterLast = await heap.usedAfterGc();
    figures.push({
      technique: leakCase.name,
      jobs: leakCase.runs,
      tensorsBefore: before.numTensors,
      bytesBefore: before.numBytes,
      tensorsAfterFirst: afterFirst.numTensors,
      bytesAfterFirst: afterFirst.numBytes,
      tensorsAfterLast: afterLast.numTensors,
      bytesAfterLast: afterLast.numBytes,
      heapAfterFirst,
      heapHalfway,
      heapAfterLast,
      firstJobMs: first.ms,
      laterJobMsMedian: median(later),
    });
    expect(memory).toEqual(memory.map(() => [afterFirst.numTensors, afterFirst.numBytes]));
    expect(heapAfterLast - heapAfterFirst).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(heapAfterLast - heapHalfway).toBeLessThan(LATE_HEAP_GROWTH_LIMIT);
  });
}
