// Progress, preview, cancel and errors of the current job, in Figma's own look. The bar never looks stuck: a sheen
// moves over it between progress reports (one network pass reports none); a time-left estimate appears once a job
// has run for a few seconds; Cancel answers at once ("Cancelling…") while the job reaches its next checkpoint.
import { Banner, Button, IconCheck16, IconWarning16, Text, Muted, VerticalSpace } from '@create-figma-plugin/ui';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JobState } from '../job-controller';
import { MatchList } from './MatchList';
import type { RgbaImage } from '../../techniques/image';

/** Show "about N s left" only on jobs that have run this long (shorter jobs are over before it helps). */
const TIME_LEFT_AFTER_MS = 5000;

export function JobStatus({ state, onCancel, onFinishEarly, onFocus }: { state: JobState; onCancel: () => void; onFinishEarly: () => void; onFocus(layerId: string): void }) {
  if (state.phase === 'idle') return null;
  if (state.phase === 'failed') {
    if (state.error.code === 'cancelled') return <Text data-testid="job-status">Cancelled.</Text>;
    return (
      <Banner icon={<IconWarning16 />} variant="warning" data-testid="job-error">
        {state.error.message}
      </Banner>
    );
  }
  if (state.phase === 'done') {
    if (state.matches) return <MatchList matches={state.matches} selected={state.selectedCount ?? 0} onFocus={onFocus} />;
    return (
      <Banner icon={<IconCheck16 />} variant="success" data-testid="job-done">
        {state.resultNames.length === 1 ? `Added “${state.resultNames[0]}”` : `Added ${state.resultNames.length} layers`}
      </Banner>
    );
  }
  return <Running state={state} onCancel={onCancel} onFinishEarly={onFinishEarly} />;
}

function Running({ state, onCancel, onFinishEarly }: { state: Extract<JobState, { phase: 'running' }>; onCancel: () => void; onFinishEarly: () => void }) {
  const now = useNow(500);
  const elapsed = now - state.startedAt;
  const fraction = state.progress.fraction;
  const percent = Math.round(fraction * 100);
  const left = fraction > 0.02 && elapsed > TIME_LEFT_AFTER_MS ? (elapsed * (1 - fraction)) / fraction : null;
  return (
    <div data-testid="job-running">
      <Text>
        {state.cancelling ? 'Cancelling…' : `${state.label}: ${percent}%${state.progress.message ? ` · ${state.progress.message}` : ''}`}
      </Text>
      <VerticalSpace space="extraSmall" />
      <div class={`pastiche-bar${state.cancelling ? ' cancelling' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div class="pastiche-bar-fill" style={{ width: `${Math.max(2, percent)}%` }} />
        {/* A moving sheen says "working" between progress reports (a single network pass reports none). */}
        <div class="pastiche-bar-sheen" />
      </div>
      {left !== null && !state.cancelling && (
        <Text data-testid="time-left">
          <Muted>{formatTimeLeft(left)}</Muted>
        </Text>
      )}
      {state.preview && <Preview image={state.preview} />}
      <VerticalSpace space="small" />
      <div class="pastiche-row">
        <Button secondary fullWidth onClick={onCancel} disabled={state.cancelling} data-testid="cancel">
          {state.cancelling ? 'Cancelling…' : 'Cancel'}
        </Button>
        {/* Only optimizations have previews, and only they have a "best so far" worth keeping. */}
        {state.preview && !state.cancelling && (
          <Button fullWidth onClick={onFinishEarly} data-testid="finish-early">
            Stop and keep
          </Button>
        )}
      </div>
    </div>
  );
}

function formatTimeLeft(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `about ${seconds} s left`;
  return `about ${Math.ceil(seconds / 60)} min left`;
}

/** The current time, refreshed every `intervalMs` while mounted. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function Preview({ image }: { image: RgbaImage }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    context?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  }, [image]);
  return <canvas ref={canvas} class="pastiche-preview" width={image.width} height={image.height} />;
}
