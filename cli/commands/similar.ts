// `pastiche similar QUERY FILE...`: the files most like the query, by cosine similarity of MobileNetV2's features
// (or of raw pixels with --pixels: the lecture's counterpoint, where a mirrored copy is far from its original).
// Lines "score<TAB>file", best first; --json prints [{file, score}]. The query file itself is never a match, so
// `pastiche similar a.png *.png` answers with the others.
import path from 'node:path';
import { rankBySimilarity } from '../../techniques/similar';
import { numberOption, UsageError, type CliCommand } from '../command';
import { progressReporter } from '../progress';
import { cliContext } from '../resources';
import { checkInputFiles, chooseEmbedder, embedFiles, PIXELS_OPTION } from './embed-files';

const DEFAULT_TOP = 5;

function topOption(value: string | boolean | undefined): number {
  const top = numberOption(value, 'top', DEFAULT_TOP);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a whole number of at least 1 (got "${value}").`);
  return top;
}

export const similarCommand: CliCommand = {
  name: 'similar',
  summary: 'the images most like a query image, by what MobileNetV2 sees (or by raw pixels)',
  usage: 'QUERY FILE... [--top 5] [--pixels] [--json]',
  options: {
    top: { type: 'string', description: `how many matches to print (default ${DEFAULT_TOP})`, valueName: 'N' },
    ...PIXELS_OPTION,
    json: { type: 'boolean', description: 'print JSON: [{file, score}], best first (score: cosine similarity, -1..1)' },
  },
  async run(positionals, options, io) {
    if (positionals.length < 2) throw new UsageError(`Expected a query image and at least one image to compare it with, got ${positionals.length} file${positionals.length === 1 ? '' : 's'}.`);
    const top = topOption(options.top);
    const [query, ...candidates] = positionals;
    checkInputFiles(positionals);
    const context = cliContext(progressReporter('Similar', options.quiet === true));
    const embedder = await chooseEmbedder(options.pixels === true, context);
    const [queryVector, ...vectors] = (await embedFiles(positionals, embedder, context)).vectors;
    const queryPath = path.resolve(query);
    const itself = candidates.flatMap((file, i) => (path.resolve(file) === queryPath ? [i] : []));
    const matches = rankBySimilarity(queryVector, vectors, itself)
      .slice(0, top)
      .map(({ index, similarity }) => ({ file: candidates[index], score: similarity }));
    context.onProgress({ fraction: 1, message: 'done' });
    if (options.json) io.out(JSON.stringify(matches));
    else for (const { file, score } of matches) io.out(`${score.toFixed(4)}\t${file}`);
  },
};
