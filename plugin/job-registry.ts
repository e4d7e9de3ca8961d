// The jobs the sandbox started, so that it writes only results it asked for. A `run-job` opens a ticket at once
// (a `cancel-job` may come while the layers are exported); once the pixels are sent (`job-input`) the ticket holds
// the job as the sandbox checked it: its page, technique and validated parameters, placement, and the sources it
// exported with their pixel sizes. A `job-result` must name an open job and one of its sources not yet answered;
// anything else is not ours. A job is dropped when each of its sources has been answered, when the UI reports it
// failed, or when it is cancelled; at most MAX_OPEN_JOBS stay open (the oldest goes first), so the registry
// cannot grow without bound. One registry per run of the plugin (startPlugin makes it).
import { PasticheError } from '../techniques/errors';
import type { JobRequest, Placement } from './messages';

/** Jobs kept open at once; a UI runs one at a time, so this only bounds a misbehaving one. */
export const MAX_OPEN_JOBS = 64;

export interface PixelSize {
  width: number;
  height: number;
}

/** A source as it was exported for the job. */
export interface ExportedSource {
  id: string;
  /** The pixel sizes a result of the same size as its input may have: the PNG's, and round(size × scale). */
  pixelSizes: PixelSize[];
}

/** A job whose pixels were sent to the UI. */
export interface OpenJob {
  readonly id: string;
  /** The page the job's layers are on (the current page when it started). */
  readonly pageId: string;
  /** Technique and parameters as validated by parseParams; `referenceId` only when the reference was read. */
  readonly job: JobRequest;
  readonly placement: Placement;
  readonly sources: ReadonlyMap<string, ExportedSource>;
  readonly answered: Set<string>;
  /** A technique over many layers: every layer it read (its one answer may name only these). */
  readonly items?: ReadonlySet<string>;
}

/** A `run-job` being handled or done. `cancelled` turns true when the job is cancelled, evicted or replaced. */
export interface JobTicket {
  readonly id: string;
  cancelled: boolean;
  open?: OpenJob;
  /** Results claimed and still being written (a cancel must still reach them). */
  writing: number;
}

/** What the registry says about a result for (id, sourceId). */
export type ResultClaim =
  | { kind: 'ignore' } // unknown, finished or cancelled job, or a source already answered: not ours, say nothing
  | { kind: 'not-a-source'; job: OpenJob } // the job did not export that layer
  | { kind: 'claimed'; job: OpenJob; ticket: JobTicket }; // the source's one answer: write it or report why not

export class JobRegistry {
  private readonly tickets = new Map<string, JobTicket>();

  constructor(private readonly capacity = MAX_OPEN_JOBS) {}

  /** Jobs started and not finished (including those still exporting). */
  get size(): number {
    return this.tickets.size;
  }

  /** A `run-job` arrives. An id that is still in use is refused: its results would be ambiguous. */
  begin(id: string): JobTicket {
    if (this.tickets.has(id)) throw new PasticheError('bad-input', 'A job with this id is already running.');
    while (this.tickets.size >= this.capacity) {
      const oldest = this.tickets.keys().next().value as string;
      this.cancel(oldest);
    }
    const ticket: JobTicket = { id, cancelled: false, writing: 0 };
    this.tickets.set(id, ticket);
    return ticket;
  }

  /** The job's pixels were sent: from now on its results are accepted. False when it was cancelled meanwhile. */
  publish(ticket: JobTicket, open: OpenJob): boolean {
    if (ticket.cancelled || this.tickets.get(ticket.id) !== ticket) return false;
    ticket.open = open;
    return true;
  }

  /** The `run-job` failed: forget it (if it is still this ticket). */
  drop(ticket: JobTicket): void {
    if (this.tickets.get(ticket.id) === ticket) this.tickets.delete(ticket.id);
  }

  /** `cancel-job`, eviction: results still on their way are dropped. */
  cancel(id: string): void {
    const ticket = this.tickets.get(id);
    if (!ticket) return;
    ticket.cancelled = true;
    this.tickets.delete(id);
  }

  /** `job-failed`: the UI gave up on the job; results already being written finish, later ones are ignored. */
  finish(id: string): void {
    this.tickets.delete(id);
  }

  /** The open job with this id, if any. */
  get(id: string): OpenJob | undefined {
    return this.tickets.get(id)?.open;
  }

  /**
   * A result arrives: claims its source (synchronously, so two copies of one result can never both be written).
   * Call `release` when the claimed result is written or refused.
   */
  claim(id: string, sourceId: string): ResultClaim {
    const ticket = this.tickets.get(id);
    const job = ticket?.open;
    if (!ticket || !job) return { kind: 'ignore' };
    if (!job.sources.has(sourceId)) return { kind: 'not-a-source', job };
    if (job.answered.has(sourceId)) return { kind: 'ignore' };
    job.answered.add(sourceId);
    ticket.writing++;
    return { kind: 'claimed', job, ticket };
  }

  /** A claimed result is done with: the job finishes when every source is answered and nothing is being written. */
  release(ticket: JobTicket): void {
    ticket.writing = Math.max(0, ticket.writing - 1);
    const job = ticket.open;
    if (job && ticket.writing === 0 && job.answered.size >= job.sources.size) this.drop(ticket);
  }
}
