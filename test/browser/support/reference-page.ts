// The parity test's view of the bench page: which verified images to feed it, as URLs the page can fetch.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const images = path.resolve(__dirname, '..', '..', '..', '.cache', 'images');

/** `/images/<folder>/<file>` for every file of the verified image cache with one of `extensions`. */
export function imageUrls(folder: 'content' | 'styles', extensions: string[]): string[] {
  return readdirSync(path.join(images, folder))
    .filter((file) => extensions.some((ext) => file.endsWith(ext)))
    .sort()
    .map((file) => `/images/${folder}/${file}`);
}

export { BenchSession, BenchPage } from '../../../bench/session';
