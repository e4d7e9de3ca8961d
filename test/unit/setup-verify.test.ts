// The setup step stops on a wrong or missing source file with one line naming the file, the expected sha256 and
// where it looked; an up-to-date cache is left alone.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readModelsManifest } from '../../models/setup/manifest';
import { runSetup } from '../../models/setup/run-setup';
import { SetupError } from '../../models/setup/errors';

import { CACHE_DIR, IMAGES_DIR } from '../support/assets';

const ROOT = path.resolve(__dirname, '..', '..');
/** The verified sources the setup keeps in the cache have the mirror's layout: they serve as a mirror here. */
const SHARED_MODELS = path.join(CACHE_DIR, 'sources');
const manifest = readModelsManifest(ROOT);
const vggFiles = manifest.files.filter((f) => f.network === 'vgg19');

let temp: string;
/** A mirror holding copies of VGG19's files only. */
function makeVggMirror(): string {
  const mirror = path.join(temp, `mirror-${Math.random().toString(36).slice(2)}`);
  for (const f of vggFiles) {
    mkdirSync(path.dirname(path.join(mirror, f.path)), { recursive: true });
    copyFileSync(path.join(SHARED_MODELS, f.path), path.join(mirror, f.path));
  }
  return mirror;
}

beforeAll(() => {
  temp = mkdtempSync(path.join(tmpdir(), 'pastiche-setup-'));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const vggOnly = (modelsDir: string, cacheDir: string) =>
  runSetup({ projectRoot: ROOT, modelsDir, cacheDir, networks: ['vgg19'], images: false, allowDownload: false });

test('a corrupted mirror file stops setup with one line naming file, expected sha256 and place', async () => {
  const mirror = makeVggMirror();
  const shard = vggFiles.find((f) => f.path.endsWith('group3-shard1of1'))!;
  const bytes = readFileSync(path.join(mirror, shard.path));
  bytes[100] ^= 0xff; // same size, different content
  writeFileSync(path.join(mirror, shard.path), bytes);
  const error = await vggOnly(mirror, path.join(temp, 'cache-a')).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SetupError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toContain('vgg19/group3-shard1of1');
  expect(message).toContain(shard.sha256);
  expect(message).toContain(path.join(mirror, shard.path));
});

test('a missing file with downloads off names the file, expected sha256 and where it looked', async () => {
  const mirror = makeVggMirror();
  const modelJson = vggFiles.find((f) => f.path.endsWith('model.json'))!;
  unlinkSync(path.join(mirror, modelJson.path));
  const message = ((await vggOnly(mirror, path.join(temp, 'cache-b')).catch((e: unknown) => e)) as Error).message;
  expect(message).toMatch(/^setup: missing model file vgg19\/model\.json /);
  expect(message).toContain(modelJson.sha256);
  expect(message).toContain(path.join(mirror, modelJson.path));
  expect(message).not.toContain('\n');
});

test('the CLI prints that one line and exits 1', () => {
  // A mirror with a wrong first file: the CLI's fixed network order meets it first.
  const mirror = path.join(temp, 'mirror-cli');
  const first = manifest.files[0];
  mkdirSync(path.dirname(path.join(mirror, first.path)), { recursive: true });
  writeFileSync(path.join(mirror, first.path), 'not the model');
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'models/setup/setup.ts'], {
    cwd: ROOT,
    env: { ...process.env, PASTICHE_MODELS_DIR: mirror, PASTICHE_CACHE_DIR: path.join(temp, 'cache-cli'), PASTICHE_OFFLINE: '1' },
    encoding: 'utf8',
  });
  expect(run.status).toBe(1);
  const errorLines = run.stderr.trim().split('\n');
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toBe(
    `setup: wrong model file ${first.path} at ${path.join(mirror, first.path)}: size 13 (expected sha256 ${first.sha256}, ${first.size} bytes)`,
  );
}, 60_000);

test('an up-to-date cache is skipped without touching its files', async () => {
  const cache = path.join(temp, 'cache-c');
  const first = await vggOnly(SHARED_MODELS, cache);
  expect(first.networks.vgg19).toBe('converted');
  const shardFile = path.join(cache, 'models', 'vgg19', 'weights.bin');
  const before = statSync(shardFile).mtimeMs;
  // No mirror at all the second time: a fresh cache must not need the sources.
  const second = await vggOnly(path.join(temp, 'no-such-mirror'), cache);
  expect(second.networks.vgg19).toBe('up-to-date');
  expect(statSync(shardFile).mtimeMs).toBe(before);
});

test('images are verified into .cache/images and skipped when present', async () => {
  const cache = path.join(temp, 'cache-d');
  const run = () => runSetup({ projectRoot: ROOT, cacheDir: cache, imagesDir: IMAGES_DIR, networks: [], allowDownload: false });
  const first = await run();
  expect(first.images.copied).toBe(manifest.images.length);
  const second = await run();
  expect(second.images).toEqual({ copied: 0, upToDate: manifest.images.length });
  expect(statSync(path.join(cache, 'images', 'content', 'chelsea.png')).size).toBe(manifest.images.find((i) => i.path === 'content/chelsea.png')!.size);
});

test('the manifest pins every file to a commit, with sha256, size and licence', () => {
  expect(manifest.files).toHaveLength(45);
  for (const f of manifest.files) {
    expect(f.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.size).toBeGreaterThan(0);
    expect(f.licence).toBeTruthy();
    expect(f.attribution).toBeTruthy();
  }
  for (const i of manifest.images) expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
});
