// Progress, preview, cancel and errors of the current job, in Figma's own look.
import { Banner, Button, IconCheck16, IconWarning16, Text, VerticalSpace } from '@create-figma-plugin/ui';
import { useEffect, useRef } from 'preact/hooks';
import type { JobState } from '../job-controller';
import type { RgbaImage } from '../../techniques/image';

export function JobStatus({ state, onCancel, onFinishEarly }: { state: JobState; onCancel: () => void; onFinishEarly: () => void }) {
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
    return (
      <Banner icon={<IconCheck16 />} variant="success" data-testid="job-done">
        {state.resultNames.length === 1 ? `Added “${state.resultNames[0]}”` : `Added ${state.resultNames.length} layers`}
      </Banner>
    );
  }
  const percent = Math.round(state.progress.fraction * 100);
  return (
    <div data-testid="job-running">
      <Text>
        {state.label}: {percent}%{state.progress.message ? ` · ${state.progress.message}` : ''}
      </Text>
      <VerticalSpace space="extraSmall" />
      <progress class="pastiche-progress" max={100} value={percent} />
      {state.preview && <Preview image={state.preview} />}
      <VerticalSpace space="small" />
      <div class="pastiche-row">
        <Button secondary fullWidth onClick={onCancel} data-testid="cancel">
          Cancel
        </Button>
        {/* Only optimizations have previews, and only they have a "best so far" worth keeping. */}
        {state.preview && (
          <Button fullWidth onClick={onFinishEarly} data-testid="finish-early">
            Stop and keep
          </Button>
        )}
      </div>
    </div>
  );
}

function Preview({ image }: { image: RgbaImage }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    context?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  }, [image]);
  return <canvas ref={canvas} class="pastiche-preview" width={image.width} height={image.height} />;
}
