import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import type { Block, SlackPayload } from './blocks/kit.js';
import { slackErrorCode } from './deps.js';

/**
 * One answer written into a thread while the model writes it, with Slack's
 * native text streaming: the first text starts the stream
 * (`chat.startStream`), later text is appended (`chat.appendStream`, at most
 * once per `intervalMs`: each call is rate-limited per message), and `finish`
 * stops it with the citations as Block Kit at the end (`chat.stopStream`).
 *
 * Streaming is a nicety, never a condition for answering: when a workspace
 * refuses it (older plan, app without the AI feature, any API error), the
 * whole answer is posted once at the end; when the final answer is not the
 * streamed text continued (the core renumbers citations or replaces a bad
 * model answer), the message is rewritten with it.
 */
export interface StreamTarget {
  channel: string;
  threadTs: string;
  /** Who asked: Slack requires the recipient when streaming outside a DM. */
  userId: string;
  teamId: string | undefined;
}

/** The finished answer: `markdown` continues the stream, `tail` ends it, `whole` is the message when nothing streamed. */
export interface FinalAnswer {
  markdown: string;
  tail: Block[];
  whole: SlackPayload;
}

/** Streamed text stays well under Slack's 12 000 characters per markdown_text. */
const MAX_STREAMED_CHARS = 9000;

type State = 'idle' | 'streaming' | 'stalled' | 'refused';

/** Slack's own tokens (`<!channel>`, `<@U…>`, `<#C…>`) written by a model or quoted from a document never ping anyone. */
export function streamSafe(text: string): string {
  return text.replace(/<([!@#])/g, '<\u200B$1');
}

export class AnswerStream {
  private state: State = 'idle';
  private ts: string | undefined;
  /** Text Slack already has. */
  private sent = '';
  private pending: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the last stream call ended: the next one starts `intervalMs` later at the earliest. */
  private lastWrite = -Infinity;
  private writing: Promise<void> | null = null;
  private done = false;
  /** Stream calls made while the model wrote (logs and tests). */
  writes = 0;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly target: StreamTarget,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The answer so far (the whole text, not a delta). */
  push(partial: string): void {
    if (this.done || this.state === 'refused' || this.state === 'stalled' || !partial.trim()) return;
    this.pending = partial;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.writing || this.pending === null || this.done) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - this.now());
    this.timer = setTimeout(() => { this.timer = null; this.flush(); }, wait);
  }

  private flush(): void {
    // Trimmed as the final answer is, so the final text still continues what was streamed.
    const text = streamSafe((this.pending ?? '').trimStart()).slice(0, MAX_STREAMED_CHARS);
    this.pending = null;
    this.writing = this.write(text).finally(() => {
      this.writing = null;
      this.lastWrite = this.now();
      this.schedule();
    });
  }

  private async write(text: string): Promise<void> {
    if (this.done || this.state === 'refused' || this.state === 'stalled') return;
    // A model never takes text back; if the partial text is not a continuation, wait for the final answer.
    if (!text.startsWith(this.sent)) { this.state = 'stalled'; return; }
    const delta = text.slice(this.sent.length);
    if (!delta) return;
    const { channel, threadTs } = this.target;
    try {
      this.writes++;
      if (this.state === 'idle') {
        const res = await this.client.chat.startStream({ channel, thread_ts: threadTs, markdown_text: delta, ...this.recipient() });
        if (!res.ts) throw new Error('chat.startStream without ts');
        this.ts = res.ts;
        this.state = 'streaming';
      } else {
        await this.client.chat.appendStream({ channel, ts: this.ts!, markdown_text: delta });
      }
      this.sent = text;
    } catch (e) {
      const refused = this.state === 'idle';
      this.state = refused ? 'refused' : 'stalled';
      // Not an error for the user: the answer is still written whole at the end.
      this.logger.warn(refused ? 'slack streaming refused: the answer will be posted whole' : 'slack streaming interrupted: the answer will be completed at the end', { call: refused ? 'chat.startStream' : 'chat.appendStream', error: slackErrorCode(e) });
    }
  }

  private recipient(): { recipient_user_id: string; recipient_team_id?: string } {
    return { recipient_user_id: this.target.userId, ...(this.target.teamId ? { recipient_team_id: this.target.teamId } : {}) };
  }

  /** Writes the final answer; returns its message ts. Throws when Slack refuses it. */
  async finish(final: FinalAnswer): Promise<string | undefined> {
    this.done = true;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    await this.writing;
    const { channel, threadTs } = this.target;
    if (!this.ts) {
      const res = await this.client.chat.postMessage({ channel, thread_ts: threadTs, text: final.whole.text, blocks: final.whole.blocks as never });
      return res.ts;
    }
    const markdown = streamSafe(final.markdown);
    const continues = markdown.startsWith(this.sent);
    const rest = continues ? markdown.slice(this.sent.length) : '';
    try {
      await this.client.chat.stopStream({ channel, ts: this.ts, ...(rest ? { markdown_text: rest } : {}), ...(continues ? { blocks: final.tail as never } : {}) });
      if (continues) return this.ts;
    } catch (e) {
      this.logger.warn('slack stream could not be stopped: the message is rewritten whole', { call: 'chat.stopStream', error: slackErrorCode(e) });
    }
    await this.client.chat.update({ channel, ts: this.ts, text: final.whole.text, blocks: final.whole.blocks as never });
    return this.ts;
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
