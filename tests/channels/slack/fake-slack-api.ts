import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import querystring from 'node:querystring';

/**
 * A local fake of Slack's Web API on 127.0.0.1: answers the methods the app
 * uses, keeps threads (paginated `conversations.replies`, the bot's own posts
 * appended as Slack does), records every call with its parsed body, and can
 * make any method answer 429 (with Retry-After) or 500 a number of times.
 * Native streams (`chat.startStream` / `appendStream` / `stopStream`) build
 * their message as Slack does: `streamText(ts)` is what a reader sees.
 * The AI panel's `assistant.threads.*` calls are recorded and answered ok.
 */
export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
  /** What the fake answered (JSON methods). */
  response?: Record<string, unknown>;
  /** Raw bytes for file uploads. */
  bytes?: number;
  raw?: Buffer;
}

export interface FakeMessage {
  ts: string;
  user?: string;
  bot_id?: string;
  text: string;
  thread_ts?: string;
  subtype?: string;
}

export interface FakeUser { name: string; realName?: string; displayName?: string; email?: string; isBot?: boolean }

export const BOT_USER_ID = 'UBOTPTSM';
export const BOT_ID = 'BBOTPTSM';
export const TEAM_ID = 'T0PTSM';

let lastUs = 0;
/** A Slack message ts ("seconds.microseconds") from the clock, strictly increasing: order matters to threads. */
export function slackTs(): string {
  let us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  if (us <= lastUs) us = lastUs + 1;
  lastUs = us;
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'prompts', 'chunks', 'loading_messages']);

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  private readonly events = new EventEmitter();
  private readonly threads = new Map<string, FakeMessage[]>();
  private readonly users = new Map<string, FakeUser>();
  private readonly failures = new Map<string, Array<{ status: number; retryAfter: number }>>();
  private readonly refusals = new Map<string, string>();
  private readonly streams = new Map<string, { channel: string; text: string; stopped: boolean; blocks: unknown[] }>();
  private fileSeq = 0;
  pageSize = 200;
  /** What apps.connections.open hands out (Socket Mode). */
  socketUrl = '';
  origin = '';

  private constructor(private readonly server: http.Server) {
    this.events.setMaxListeners(1000);
  }

  static async start(): Promise<FakeSlackApi> {
    const server = http.createServer();
    const fake = new FakeSlackApi(server);
    server.on('request', (req, res) => fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake.origin = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** Base URL to give the app as SLACK_API_URL. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.origin}/response/${id}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => { this.server.closeAllConnections(); this.server.close(() => resolve()); });
  }

  setUser(id: string, u: FakeUser): void {
    this.users.set(id, u);
  }

  setThread(channel: string, messages: FakeMessage[]): void {
    const root = messages[0]!.ts;
    this.threads.set(`${channel}:${root}`, messages.map((m) => ({ ...m, thread_ts: root })));
  }

  threadOf(channel: string, rootTs: string): FakeMessage[] {
    return this.threads.get(`${channel}:${rootTs}`) ?? [];
  }

  /** The next `times` calls to `method` answer `status` (429 carries Retry-After). */
  fail(method: string, status: 429 | 500, times: number, retryAfter = 1): void {
    const q = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) q.push({ status, retryAfter });
    this.failures.set(method, q);
  }

  /** `method` answers `{ ok: false, error }` (a Slack-level refusal) until cleared with null. */
  refuse(method: string, error: string | null): void {
    if (error === null) this.refusals.delete(method); else this.refusals.set(method, error);
  }

  /** The text a native stream shows so far (start + appends + stop), or undefined for an unknown ts. */
  streamText(ts: string): string | undefined {
    return this.streams.get(ts)?.text;
  }

  /** Whether the stream at `ts` was stopped, and the blocks it ended with. */
  streamEnd(ts: string): { stopped: boolean; blocks: unknown[] } | undefined {
    const s = this.streams.get(ts);
    return s && { stopped: s.stopped, blocks: s.blocks };
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  /** Resolves with the first recorded call (past or future) matching `pred`. */
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const found = this.calls.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.events.off('call', on); reject(new Error(`fake Slack API: no matching call within ${timeoutMs} ms`)); }, timeoutMs);
      const on = (c: RecordedCall): void => {
        if (!pred(c)) return;
        clearTimeout(timer);
        this.events.off('call', on);
        resolve(c);
      };
      this.events.on('call', on);
    });
  }

  private nextTs(): string {
    return slackTs();
  }

  private parse(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
    const text = raw.toString('utf8');
    if (contentType?.startsWith('application/json')) return text ? JSON.parse(text) as Record<string, unknown> : {};
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = querystring.parse(text) as Record<string, unknown>;
      for (const [k, v] of Object.entries(form)) {
        if (JSON_FIELDS.has(k) && typeof v === 'string') { try { form[k] = JSON.parse(v); } catch { /* keep the string */ } }
      }
      return form;
    }
    return {};
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = req.url ?? '/';
      let method: string;
      if (url.startsWith('/api/')) method = url.slice(5).split('?')[0]!;
      else if (url.startsWith('/upload/')) method = 'upload';
      else if (url.startsWith('/response/')) method = 'response_url';
      else { res.writeHead(404).end(); return; }
      let body: Record<string, unknown>;
      try { body = this.parse(raw, req.headers['content-type']); } catch { body = {}; }
      if (method === 'upload' || method === 'response_url') body = { ...body, path: url };
      const call: RecordedCall = { method, body, headers: req.headers, at: Date.now(), status: 200, ...(method === 'upload' ? { bytes: raw.length, raw } : {}) };

      const failure = this.failures.get(method)?.shift();
      if (failure) {
        call.status = failure.status;
        this.record(call);
        if (failure.status === 429) {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfter) });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        } else {
          res.writeHead(failure.status, { 'content-type': 'text/plain' });
          res.end('Internal Server Error');
        }
        return;
      }
      const refusal = this.refusals.get(method);
      const answer = refusal ? { ok: false, error: refusal } : this.answer(method, body, raw);
      call.response = answer;
      this.record(call);
      if (method === 'upload' || method === 'response_url') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.events.emit('call', call);
  }

  private answer(method: string, b: Record<string, unknown>, raw: Buffer): Record<string, unknown> {
    const s = (k: string): string => String(b[k] ?? '');
    switch (method) {
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'invalid_auth' };
      case 'auth.test':
        return { ok: true, url: 'https://ptsm-test.slack.com/', team: 'PTSM test', user: 'assistant-ptsm', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const msg: FakeMessage = { ts, user: BOT_USER_ID, bot_id: BOT_ID, text: s('text') };
        const thread = b['thread_ts'] ? this.threads.get(`${s('channel')}:${s('thread_ts')}`) : undefined;
        if (thread) thread.push({ ...msg, thread_ts: s('thread_ts') });
        return { ok: true, channel: s('channel').startsWith('U') ? `D${s('channel').slice(1)}` : s('channel'), ts, message: { ...msg, type: 'message' } };
      }
      case 'chat.update': {
        for (const t of this.threads.values()) for (const m of t) if (m.ts === s('ts')) m.text = s('text');
        return { ok: true, channel: s('channel'), ts: s('ts'), text: s('text') };
      }
      case 'chat.startStream': {
        if (!b['thread_ts']) return { ok: false, error: 'invalid_arguments' };
        // Slack wants the recipient outside DMs.
        if (!s('channel').startsWith('D') && (!b['recipient_user_id'] || !b['recipient_team_id'])) return { ok: false, error: 'missing_recipient_user_id' };
        const ts = this.nextTs();
        this.streams.set(ts, { channel: s('channel'), text: s('markdown_text'), stopped: false, blocks: [] });
        const thread = this.threads.get(`${s('channel')}:${s('thread_ts')}`);
        if (thread) thread.push({ ts, user: BOT_USER_ID, bot_id: BOT_ID, text: s('markdown_text'), thread_ts: s('thread_ts') });
        return { ok: true, channel: s('channel'), ts };
      }
      case 'chat.appendStream':
      case 'chat.stopStream': {
        const stream = this.streams.get(s('ts'));
        if (!stream || stream.channel !== s('channel')) return { ok: false, error: 'message_not_found' };
        if (stream.stopped) return { ok: false, error: 'message_not_in_streaming_state' };
        stream.text += s('markdown_text');
        if (method === 'chat.stopStream') { stream.stopped = true; stream.blocks = (b['blocks'] as unknown[] | undefined) ?? []; }
        for (const t of this.threads.values()) for (const m of t) if (m.ts === s('ts')) m.text = stream.text;
        return { ok: true, channel: s('channel'), ts: s('ts') };
      }
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle':
        return b['channel_id'] && (method === 'assistant.threads.setSuggestedPrompts' || b['thread_ts']) ? { ok: true } : { ok: false, error: 'invalid_arguments' };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.delete':
        return { ok: true, channel: s('channel'), ts: s('ts') };
      case 'reactions.add':
        return { ok: true };
      case 'conversations.replies': {
        const thread = this.threads.get(`${s('channel')}:${s('ts')}`);
        if (!thread) return { ok: false, error: 'thread_not_found' };
        const size = Math.min(Number(b['limit'] ?? 1000) || 1000, this.pageSize);
        const start = b['cursor'] ? Number(Buffer.from(s('cursor'), 'base64').toString('utf8').replace('offset:', '')) : 0;
        const page = thread.slice(start, start + size);
        const next = start + size < thread.length ? Buffer.from(`offset:${start + size}`).toString('base64') : '';
        return { ok: true, messages: page.map((m) => ({ type: 'message', ...m })), has_more: Boolean(next), response_metadata: { next_cursor: next } };
      }
      case 'users.info': {
        const u = this.users.get(s('user'));
        if (!u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: s('user'), name: u.name, real_name: u.realName ?? u.name, is_bot: Boolean(u.isBot),
            profile: { display_name: u.displayName ?? '', real_name: u.realName ?? u.name, ...(u.email ? { email: u.email } : {}) },
          },
        };
      }
      case 'views.open':
        return { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, ...(b['view'] as object) } };
      case 'views.publish':
        return { ok: true, view: { id: 'VHOME', ...(b['view'] as object) } };
      case 'files.getUploadURLExternal': {
        const id = `F${++this.fileSeq}`;
        return { ok: true, upload_url: `${this.origin}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (b['files'] as Array<{ id: string; title?: string }> | undefined) ?? [];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) };
      }
      default:
        void raw;
        return { ok: false, error: 'unknown_method' };
    }
  }
}
