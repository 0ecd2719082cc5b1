import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { partialMessage } from './blocks/answer.js';
import type { SlackPayload } from './blocks/kit.js';

/**
 * One reply in a thread that may grow while the model writes: the first
 * partial text posts the message, later ones update it at most once per
 * `intervalMs` (Slack's chat.update is rate-limited around 1/s per message),
 * and `finish` writes the final answer in place, or posts it when nothing
 * streamed.
 */
export interface ReplySender {
  post(p: SlackPayload): Promise<string | undefined>;
  update(ts: string, p: SlackPayload): Promise<void>;
}

export class StreamingReply {
  private ts: string | undefined;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = -Infinity;
  private chain: Promise<void> = Promise.resolve();
  private done = false;
  /** Number of writes made while streaming (tests and logs). */
  writes = 0;

  constructor(
    private readonly send: ReplySender,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  push(partial: string): void {
    if (this.done || !partial.trim()) return;
    this.pending = partial;
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    const text = this.pending;
    this.pending = null;
    if (text === null || this.done) return;
    this.lastWrite = this.now();
    this.chain = this.chain.then(async () => {
      if (this.done) return;
      this.writes++;
      const payload = partialMessage(text);
      if (this.ts) await this.send.update(this.ts, payload);
      else this.ts = await this.send.post(payload);
    }).catch((e) => {
      // A lost intermediate update is harmless: the final answer follows.
      this.logger.warn('slack streaming update failed', { error: describeError(e) });
    });
  }

  /** Writes the final message; returns its ts. Throws when Slack refuses it. */
  async finish(final: SlackPayload): Promise<string | undefined> {
    this.done = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    await this.chain;
    if (this.ts) {
      await this.send.update(this.ts, final);
      return this.ts;
    }
    return this.send.post(final);
  }
}

/**
 * Hands out "turns", one per turn of the event loop: work resumed this way
 * never runs in a long batch, so requests still arriving (whose answer to
 * Slack is due within 3 s) are read and acknowledged between two pieces of work.
 */
export class Turns {
  private readonly waiting: Array<() => void> = [];
  private pumping = false;

  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.pumping) { this.pumping = true; setImmediate(() => this.pump()); }
    });
  }

  private pump(): void {
    this.waiting.shift()?.();
    if (this.waiting.length) setImmediate(() => this.pump());
    else this.pumping = false;
  }
}

/**
 * Runs jobs with bounded concurrency, each started on its own turn of the
 * event loop (see Turns): a burst of questions never starves the
 * acknowledgements of the requests still arriving.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number, private readonly turns: Turns = new Turns()) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      await this.turns.next();
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); else this.running--;
    }
  }
}
