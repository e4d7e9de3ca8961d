// The `pastiche` command as a user runs it: the built bin, real files, real networks (WASM backend).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
  expect(unreadable.stderr).toMatch(/fake\.png is not an image pastiche reads \(PNG, JPEG, WebP, GIF, TIFF, AVIF\)/);

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
  expect(styled.code).toBe(0);
  // Not a terminal: one summary line, no progress.
  expect(styled.stderr).toMatch(/^Style: wrote styled\.png \(200×\d+ px\) in \d+\.\d s\n$/);
  expect((await pastiche('invert', chelsea, '-o', 'quiet.png', '--quiet')).stderr).toBe('');
  const result = readImageFile(path.join(out, 'styled.png'));
  expect([result.width, result.height]).toEqual([200, Math.round((200 * source.height) / source.width)]);
});

test('the new techniques on files: dream --list-layers, texture, reconstruct, and clear errors', async () => {
  const layers = await pastiche('dream', '--list-layers');
  expect(layers.code).toBe(0);
  expect(layers.stdout).toMatch(/^block_6\t64 channels\tstride 16$/m);
  expect(layers.stdout).toMatch(/^preset Patterns\tblock_6$/m);

  const gravel = path.join(images, 'textures', 'gravel.png');
  const texture = await pastiche('texture', gravel, '-o', 'texture.png', '--size', '96x64', '--method', 'patch', '--seamless', '--quiet');
  expect(texture).toMatchObject({ code: 0, stderr: '' });
  const made = readImageFile(path.join(out, 'texture.png'));
  expect([made.width, made.height]).toEqual([96, 64]);
  const badSize = await pastiche('texture', gravel, '-o', 'x.png', '--size', '96by64');
  expect(badSize.stderr.trim()).toBe('pastiche: --size must be WxH, e.g. 1024x768 (got "96by64").');

  const badLayer = await pastiche('reconstruct', chelsea, '-o', 'x.png', '--layer', 'relu9_9');
  expect(badLayer.code).not.toBe(0);
  expect(badLayer.stderr).toMatch(/vgg19 offers the layers relu1_2, relu2_2, relu3_2, relu3_4 \(got "relu9_9"\)/);

  const typo = await pastiche('style', chelsea, '--style', 'starry', '-o', 'x.png');
  expect(typo.stderr.trim()).toMatch(/^pastiche: Unknown style "starry" \(did you mean starry_night\?\)\. Presets: starry_night, great_wave, the_scream, shipwreck; or give an image file\.$/);

  const range = await pastiche('dream', chelsea, '-o', 'x.png', '--octaves', '0x1');
  expect(range.stderr.trim()).toBe('pastiche: --octaves must be a number (got "0x1"). See: pastiche dream --help');

  // A setting the chosen method does not use is refused, not silently ignored.
  const unused = await pastiche('style', chelsea, '--style', 'starry_night', '-o', 'x.png', '--steps', '10');
  expect(unused.code).not.toBe(0);
  expect(unused.stderr.trim()).toBe('pastiche: --steps is a setting of the detailed method: it needs --method gatys. See: pastiche style --help');
});

test('outputs: checked before any work, JPEG by extension, written whole or not at all', async () => {
  const missing = await pastiche('invert', chelsea, '-o', 'no-such-folder/out.png');
  expect(missing.stderr.trim()).toBe('pastiche: Cannot write no-such-folder/out.png: the folder no-such-folder does not exist.');
  const gif = await pastiche('dream', chelsea, '-o', 'out.gif');
  expect(gif.stderr.trim()).toBe('pastiche: Cannot write out.gif: the output must end in .png, .jpg, .jpeg or .webp.');

  expect((await pastiche('invert', chelsea, '-o', 'inverted.jpg', '--quiet')).code).toBe(0);
  const bytes = readFileSync(path.join(out, 'inverted.jpg'));
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]); // a JPEG, not PNG bytes in a .jpg
  expect(readImageFile(path.join(out, 'inverted.jpg')).width).toBe(readImageFile(chelsea).width);

  // A failing job leaves an existing output as it was, and no temporary file behind.
  writeFileSync(path.join(out, 'keep.png'), 'old');
  expect((await pastiche('invert', 'nope.png', '-o', 'keep.png')).code).not.toBe(0);
  expect(readFileSync(path.join(out, 'keep.png'), 'utf8')).toBe('old');
  expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
