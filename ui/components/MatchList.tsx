// The answer of "Find similar": every image layer of the page, most similar first, with its score (cosine
// similarity of the network's features, or of the pixels). The best ones are already selected on the canvas; a
// click on a row selects that layer and zooms to it.
import { Text, Muted } from '@create-figma-plugin/ui';
import type { Match } from '../job-controller';

/** Rows shown; the rest are rarely what anyone looks for, and hundreds of rows would only slow the panel. */
const MAX_ROWS = 50;

export function MatchList({ matches, selected, onFocus }: { matches: Match[]; selected: number; onFocus(id: string): void }) {
  return (
    <div data-testid="matches">
      <Text>
        <Muted>
          {matches.length === 0 ? 'No other image layer on this page.' : `Selected the ${Math.min(selected, matches.length)} most similar of ${matches.length}. Click one to show it.`}
        </Muted>
      </Text>
      <ol class="pastiche-matches">
        {matches.slice(0, MAX_ROWS).map((match, i) => (
          <li key={match.id}>
            <button class={i < selected ? 'selected' : ''} onClick={() => onFocus(match.id)} title={match.name} data-testid="match">
              <span class="pastiche-match-name">{match.name}</span>
              <span class="pastiche-match-score">{match.score.toFixed(2)}</span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
