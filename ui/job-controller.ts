// Drives one job from the UI's side: asks the sandbox for the selected layers' pixels, runs the technique on
// each through the job runner, and hands the results back to the sandbox, which writes the new layers.
import type { ExportedLayer, JobRequest, MessageType, Placement, PluginToUi } from '../plugin/messages';
import type { JobProgress } from '../techniques/job';
import type { RgbaImage } from '../techniques/image';
import { PasticheError, toErrorData, type PasticheErrorData } from '../techniques/errors';
import { sendToPlugin } from './plugin-bridge';
import type { JobRunner } from './runner/job-runner';

export type JobState =
  | { phase: 'idle' }
  | {
      phase: 'running';
      id: string;
      label: string;
      progress: Omit<JobProgress, 'preview'>;
      preview?: RgbaImage;
      /** When the job started (performance.now()), for the time-left estimate. */
      startedAt: number;
      /** Cancel was clicked: the job stops at its next checkpoint; nothing will be added. */
      cancelling?: boolean;
    }
  | {
      phase: 'done';
      id: string;
      resultNames: string[];
      /** The layers the job added (or, for find similar, the query): the banner goes when they are deleted. */
      resultIds: string[];
      /** Find similar: every layer read, most similar first, with its cosine similarity (the panel lists them). */
      matches?: Match[];
      /** How many of the matches the sandbox selected (the best ones). */
      selectedCount?: number;
    }
  | { phase: 'failed'; id: string; error: PasticheErrorData };

export interface Match {
  id: string;
  name: string;
  score: number;
}

interface CurrentJob {
  id: string;
  label: string;
  startedAt: number;
  cancelling?: boolean;
  /** The last progress shown, so a cancel can keep it on screen. */
  progress: Omit<JobProgress, 'preview'>;
  abort: AbortController;
  /** "Stop and keep": an optimization returns its best image so far. */
  finish: AbortController;
  /** The latest preview: progress messages between previews keep showing it. */
  preview?: RgbaImage;
  /** How many results the sandbox must confirm; undefined until every result has been sent. */
  expected?: number;
  resultNames: string[];
  resultIds: string[];
  matches?: Match[];
  selectedCount?: number;
}

let nextJobNumber = 1;

export class JobController {
  private current: CurrentJob | null = null;

  constructor(
    private readonly runner: () => Promise<JobRunner>,
    private readonly onState: (state: JobState) => void,
  ) {}

  /** Starts a job on the current selection: the sandbox answers with "job-input" (or "job-error"). */
  start(job: JobRequest, placement: Placement, label: string, reapply = false): void {
    this.cancel();
    const id = `job-${nextJobNumber++}`;
    const progress = { fraction: 0, message: 'Reading the selection…' };
    this.current = { id, label, startedAt: performance.now(), progress, abort: new AbortController(), finish: new AbortController(), resultNames: [], resultIds: [] };
    this.emit(this.current);
    sendToPlugin({ type: 'run-job', id, job, placement, reapply });
  }

  /** Cancels the current job: the panel says so at once, the engine stops at its next checkpoint. */
  cancel(): void {
    const current = this.current;
    if (!current || current.cancelling) return;
    current.cancelling = true;
    current.abort.abort();
    // The sandbox forgets the job too: a result already on its way is then dropped there as well.
    sendToPlugin({ type: 'cancel-job', id: current.id });
    this.emit(current);
  }

  private emit(current: CurrentJob): void {
    const { id, label, startedAt, progress, preview, cancelling } = current;
    this.onState({ phase: 'running', id, label, startedAt, progress, preview, cancelling });
  }

  /** Stops an optimization early and keeps what it has (techniques without steps just finish). */
  finishEarly(): void {
    this.current?.finish.abort();
  }

  /** Routes the sandbox's messages about the current job; anything else is not ours. */
  handle(message: PluginToUi): void {
    const current = this.current;
    if (!current || !('id' in message) || message.id !== current.id) return;
    switch (message.type) {
      case 'job-input':
        void this.runOnSources(current, message.job, message.placement, message.sources, message.reference);
        return;
      case 'collection-input':
        void this.runOnCollection(current, message);
        return;
      case 'job-progress':
        if (current.cancelling) return;
        current.progress = { fraction: message.fraction, message: message.message };
        this.emit(current);
        return;
      case 'job-done':
        current.resultNames.push(message.resultName);
        current.resultIds.push(message.resultId);
        this.finishIfConfirmed(current);
        return;
      case 'job-error':
        this.fail(current, message.error);
        return;
    }
  }

  private async runOnSources(
    current: CurrentJob,
    job: JobRequest,
    placement: Placement,
    sources: ExportedLayer[],
    reference: ExportedLayer | undefined,
  ): Promise<void> {
    try {
      const runner = await this.runner();
      for (const [index, source] of sources.entries()) {
        const report = (progress: Omit<JobProgress, 'preview'>, preview?: RgbaImage) => {
          if (this.current !== current || current.cancelling) return;
          if (preview) current.preview = preview;
          current.progress = { ...progress, fraction: (index + progress.fraction) / sources.length };
          this.emit(current);
        };
        report({ fraction: 0, message: sources.length > 1 ? `${source.name} (${index + 1} of ${sources.length})` : source.name });
        const pixelWidth = Math.max(1, Math.round(source.width * source.scale));
        const pixelHeight = Math.max(1, Math.round(source.height * source.scale));
        const outcome = await runner.run(
          { id: `${current.id}:${source.id}`, job, sourcePng: source.png, referencePng: reference?.png, width: pixelWidth, height: pixelHeight },
          { signal: current.abort.signal, finishEarly: current.finish.signal, onProgress: report },
        );
        // A result that was on its way when Cancel was clicked is dropped: nothing is added after a cancel.
        if (current.abort.signal.aborted) throw new PasticheError('cancelled', 'Cancelled.');
        sendToPlugin({ type: 'job-result', id: current.id, sourceId: source.id, job, placement, ...outcome });
      }
      current.expected = sources.length;
      this.finishIfConfirmed(current);
    } catch (error) {
      const data = toErrorData(error);
      sendToPlugin({ type: 'job-failed', id: current.id, error: data });
      this.fail(current, data);
    }
  }

  /** A technique over many layers: the engine ranks or arranges them, the sandbox acts on the answer. */
  private async runOnCollection(current: CurrentJob, input: MessageType<PluginToUi, 'collection-input'>): Promise<void> {
    try {
      const runner = await this.runner();
      const from = current.progress.fraction; // what reading the layers filled
      const result = await runner.runCollection(
        { id: current.id, job: input.job, items: input.items.map(({ id, png }) => ({ id, png })), ...(input.query ? { query: { id: input.query.id, png: input.query.png } } : {}) },
        {
          signal: current.abort.signal,
          onProgress: (progress) => {
            if (this.current !== current || current.cancelling) return;
            current.progress = { ...progress, fraction: from + (1 - from) * progress.fraction };
            this.emit(current);
          },
        },
      );
      if (current.abort.signal.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      if (result.kind === 'ranking') {
        const names = new Map(input.items.map((item) => [item.id, item.name]));
        current.matches = result.ranked.map(({ id, score }) => ({ id, name: names.get(id) ?? id, score }));
        current.selectedCount = Math.min(current.matches.length, (input.job.params as { top?: number }).top ?? 0);
      }
      sendToPlugin({ type: 'collection-result', id: current.id, sourceId: input.anchor, job: input.job, result });
      current.expected = 1;
      this.finishIfConfirmed(current);
    } catch (error) {
      const data = toErrorData(error);
      sendToPlugin({ type: 'job-failed', id: current.id, error: data });
      this.fail(current, data);
    }
  }

  private finishIfConfirmed(current: CurrentJob): void {
    if (current.expected === undefined || current.resultNames.length < current.expected) return;
    if (this.current === current) this.current = null;
    this.onState({ phase: 'done', id: current.id, resultNames: current.resultNames, resultIds: current.resultIds, ...(current.matches ? { matches: current.matches, selectedCount: current.selectedCount } : {}) });
  }

  private fail(current: CurrentJob, error: PasticheErrorData): void {
    if (this.current !== current) return;
    this.current = null;
    this.onState({ phase: 'failed', id: current.id, error });
  }
}
