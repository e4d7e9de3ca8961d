// The parity test's view of the bench page: which verified images to feed it, as URLs the page can fetch.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { IMAGES_DIR as images } from '../../support/assets';

/** `/images/<folder>/<file>` for every file of the verified image cache with one of `extensions`; never empty (a
 *  parity test that found no image would assert nothing). */
export function imageUrls(folder: 'content' | 'styles', extensions: string[]): string[] {
  const urls = readdirSync(path.join(images, folder))
    .filter((file) => extensions.some((ext) => file.endsWith(ext)))
    .sort()
    .map((file) => `/images/${folder}/${file}`);
  if (urls.length === 0) throw new Error(`No ${extensions.join('/')} images in ${path.join(images, folder)}: run "npm run models".`);
  return urls;
}

export { BenchSession, BenchPage } from '../../../bench/session';
