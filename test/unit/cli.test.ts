// The `pastiche` command as a user runs it: the built bin, real files, real networks (WASM backend).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readImageFile } from '../../cli/image-files';
import { IMAGES_DIR } from '../support/assets';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'pastiche.cjs');
const images = IMAGES_DIR;
const chelsea = path.join(images, 'content', 'chelsea.png');
const coffee = path.join(images, 'content', 'coffee.png');
const out = mkdtempSync(path.join(tmpdir(), 'pastiche-cli-'));

jest.setTimeout(120_000);

async function pastiche(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [bin, ...args], { cwd: out });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('--help lists every command and the backend option', async () => {
  const { code, stdout } = await pastiche('--help');
  expect(code).toBe(0);
  for (const command of ['style', 'classify', 'invert', 'grayscale', 'blur']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  expect(stdout).toContain('--backend');
  const styleHelp = await pastiche('style', '--help');
  for (const option of ['--style', '--strength', '--preserve-colors', '--style-scale', '--size', '--method', '--steps']) expect(styleHelp.stdout).toContain(option);
});

test('a missing or unreadable file is one clear line and a non-zero exit', async () => {
  const missing = await pastiche('invert', 'nope.png', '-o', 'x.png');
  expect(missing.code).not.toBe(0);
  expect(missing.stderr.trim().split('\n')).toEqual(['pastiche: Cannot read nope.png: no such file.']);

  writeFileSync(path.join(out, 'fake.png'), 'not an image');
  const unreadable = await pastiche('classify', 'fake.png');
  expect(unreadable.code).not.toBe(0);
  expect(unreadable.stderr.trim().split('\n')).toHaveLength(1);
  expect(unreadable.stderr).toMatch(/fake\.png is neither a PNG nor a JPEG/);

  const unknown = await pastiche('style', chelsea, '--style', 'no_such_painting.jpg', '-o', 'x.png');
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
});

test('classify: five lines "label<TAB>probability", best first; --json; --model darknet', async () => {
  const { code, stdout } = await pastiche('classify', chelsea);
  expect(code).toBe(0);
  const lines = stdout.trim().split('\n').map((line) => line.split('\t'));
  expect(lines).toHaveLength(5);
  expect(['Egyptian cat', 'tabby, tabby cat']).toContain(lines[0][0]);
  const probabilities = lines.map(([, p]) => Number(p));
  expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);

  const json = JSON.parse((await pastiche('classify', coffee, '--model', 'darknet', '--json')).stdout);
  expect(json).toHaveLength(5);
  expect(json[0]).toMatchObject({ label: 'espresso' });
});

test('invert and style write PNGs of the expected size', async () => {
  expect((await pastiche('invert', chelsea, '-o', 'inverted.png')).code).toBe(0);
  const source = readImageFile(chelsea);
  const inverted = readImageFile(path.join(out, 'inverted.png'));
  expect(inverted.data[0]).toBe(255 - source.data[0]);

  const styled = await pastiche('style', chelsea, '--style', 'starry_night', '--size', '200', '--preserve-colors', '-o', 'styled.png');
  expect(styled).toMatchObject({ code: 0, stderr: '' });
  const result = readImageFile(path.join(out, 'styled.png'));
  expect([result.width, result.height]).toEqual([200, Math.round((200 * source.height) / source.width)]);
});
