// Keeps a worker engine alive for the panel: when the worker dies, it is replaced. A worker counts as dead when an
// exception escapes it (its 'error' event: the engine catches every job's errors, so one that escapes means its state
// can no longer be trusted) or when it stops answering the heartbeat (hung, or closed or killed without a word). The
// dead worker is terminated, every job it had fails at once with one line the panel shows, and a new engine starts
// at once, so the next job finds one ready.
import type { EngineToUi, UiToEngine } from '../engine/protocol';
import type { PasticheErrorData } from '../../techniques/errors';
import type { EngineChannel, StartedEngine } from './engine-host';

/** What a job running in an engine that died fails with. */
export const ENGINE_LOST: PasticheErrorData = { code: 'backend', message: 'The engine stopped unexpectedly and was restarted. Run the job again.' };

export interface Supervision {
  /** How often the engine is pinged. */
  heartbeatMs: number;
  /** How long an engine may stay silent (no answer, no progress; counted as silenceMs / heartbeatMs unanswered
   *  pings) before it counts as hung. Long: one synchronous step of a large job on the CPU (WASM, where a job's
   *  awaits never let a message in) can hold the worker for tens of seconds. */
  silenceMs: number;
}

export const DEFAULT_SUPERVISION: Supervision = { heartbeatMs: 5_000, silenceMs: 180_000 };

/** One running engine: a worker (watched and replaceable) or the iframe's own (lives as long as the panel). */
export type EngineConnection = StartedEngine & { worker?: Worker };

type Listener = (event: MessageEvent<EngineToUi>) => void;

export class SupervisedEngine implements StartedEngine {
  readonly channel: EngineChannel;
  private current: EngineConnection | null = null;
  /** The latest engine, still answering `where` and `backend` while its replacement starts. */
  private last!: EngineConnection;
  private replacing = false;
  private readonly waiting: UiToEngine[] = [];
  private readonly listeners = new Set<Listener>();
  /** Pings sent since the engine last said anything. Counted rather than timed: a hidden page's timers are
   *  throttled or frozen, and a clock would call an engine hung that merely had no chance to answer. */
  private unanswered = 0;

  constructor(
    first: EngineConnection,
    private readonly reconnect: () => Promise<EngineConnection>,
    private readonly supervision: Supervision = DEFAULT_SUPERVISION,
  ) {
    this.channel = {
      postMessage: (message) => this.send(message),
      addEventListener: (_type, listener) => this.listeners.add(listener),
    };
    this.attach(first);
    setInterval(() => this.checkHeartbeat(), supervision.heartbeatMs);
  }

  // The engine the panel talks to now (after a restart, possibly elsewhere than the first).
  get where() {
    return this.connection().where;
  }
  get backend() {
    return this.connection().backend;
  }
  get report() {
    return this.connection().report;
  }

  private connection(): EngineConnection {
    return this.current ?? this.last;
  }

  private attach(connection: EngineConnection): void {
    this.current = this.last = connection;
    this.unanswered = 0;
    connection.channel.addEventListener('message', (event) => {
      if (this.current !== connection) return; // a late word from a replaced engine
      this.unanswered = 0;
      if (event.data.type !== 'pong') this.dispatch(event);
    });
    connection.worker?.addEventListener('error', () => {
      if (this.current === connection) this.lose(connection);
    });
    for (const message of this.waiting.splice(0)) connection.channel.postMessage(message);
  }

  private send(message: UiToEngine): void {
    if (this.current) return this.current.channel.postMessage(message);
    this.waiting.push(message);
    this.replace();
  }

  private checkHeartbeat(): void {
    const connection = this.current;
    if (!connection?.worker) return;
    if (this.unanswered * this.supervision.heartbeatMs >= this.supervision.silenceMs) return this.lose(connection);
    this.unanswered++;
    connection.channel.postMessage({ type: 'ping' });
  }

  private lose(connection: EngineConnection): void {
    connection.worker?.terminate();
    this.current = null;
    this.dispatch(new MessageEvent('message', { data: { type: 'engine-lost', error: ENGINE_LOST } }));
    this.replace();
  }

  /** Starts the next engine; messages sent meanwhile wait for it. */
  private replace(): void {
    if (this.replacing) return;
    this.replacing = true;
    this.reconnect().then(
      (connection) => {
        this.replacing = false;
        this.attach(connection);
      },
      (error: unknown) => {
        this.replacing = false;
        // Nothing to run the waiting jobs on: they fail now; the next job tries to start an engine again.
        this.waiting.length = 0;
        const message = `The engine could not restart: ${error instanceof Error ? error.message : String(error)}`;
        this.dispatch(new MessageEvent('message', { data: { type: 'engine-lost', error: { code: 'backend', message } } }));
      },
    );
  }

  private dispatch(event: MessageEvent<EngineToUi>): void {
    for (const listener of this.listeners) listener(event);
  }
}
