// Progress of a long CLI job on stderr: a live line on a terminal, nothing but errors otherwise (pipes and logs
// stay clean; the result file is the output). --quiet silences the live line too.
import type { JobProgress } from '../techniques/job';

export function progressReporter(label: string, quiet: boolean): (progress: JobProgress) => void {
  const live = process.stderr.isTTY === true && !quiet;
  let last = '';
  return ({ fraction, message }) => {
    if (!live) return;
    const line = `\r${label}: ${Math.round(fraction * 100)}% ${message ?? ''}`.padEnd(60);
    if (line === last) return;
    last = line;
    process.stderr.write(fraction >= 1 ? `${line}\n` : line);
  };
}
