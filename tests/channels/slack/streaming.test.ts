import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { TEAM_ID, type RecordedCall } from './fake-slack-api.js';
import { mention, message, sendEvent } from './slack-requests.js';

/**
 * A model that writes slowly (a chunk every 150 ms for ~3 s): the answer is
 * streamed natively (chat.startStream, then chat.appendStream at most once
 * per second), and the stream stops with the citations as Block Kit; a
 * workspace that refuses streaming gets the whole answer in one message.
 */
let h: Harness;
let server: http.Server;

function startDribblingModel(): Promise<string> {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: Array<{ content: string }>; stream?: boolean; model: string };
      const user = body.messages[body.messages.length - 1]!.content;
      const line = user.split('\n').find((l) => /^\[\d+\]/.test(l) && l.includes('80 000')) ?? '[1]';
      const n = line.slice(1, line.indexOf(']'));
      const text = `Lors du COPIL du 10 mars 2026, le budget de la fiche logement a été porté à 80 000 €, et le recrutement d’un second médiateur de santé pair a été validé [${n}].`;
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = text.match(/.{1,8}/gs) ?? [];
      let i = 0;
      const tick = setInterval(() => {
        if (i < pieces.length) {
          res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta: { content: pieces[i++] }, finish_reason: null }] })}\n\n`);
          return;
        }
        clearInterval(tick);
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
        res.end('data: [DONE]\n\n');
      }, 150);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)));
}

beforeAll(async () => {
  const url = await startDribblingModel();
  h = await startHarness({ env: { PTSM_LLM_URL: url, PTSM_LLM_API_KEY: 'sk-test', PTSM_LLM_TIMEOUT_MS: '20000' } });
});
afterAll(async () => {
  await h.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const inThread = (method: string, threadTs: string) => (c: RecordedCall) => c.method === method && c.body['thread_ts'] === threadTs;

describe('Slack: a streamed answer', () => {
  it('streams natively, appends at most once per second, and stops with the citations', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', "Qu'a décidé le COPIL du 10 mars 2026 ?");
    const res = await sendEvent(h.url, ev);
    expect(res.status).toBe(200);
    const start = await h.fake.waitFor(inThread('chat.startStream', ev.ts), 20_000);
    // Outside a DM Slack wants to know who the stream is for.
    expect(start.body).toMatchObject({ channel: 'C01GTLOG', recipient_user_id: 'U01MARIE', recipient_team_id: TEAM_ID });
    const ts = String(start.response!['ts']);
    const stop = await h.fake.waitFor((c) => c.method === 'chat.stopStream' && c.body['ts'] === ts, 20_000);
    const appends = h.fake.callsTo('chat.appendStream').filter((c) => c.body['ts'] === ts);
    // The model wrote for ~3 s: the message grew in between…
    expect(appends.length).toBeGreaterThanOrEqual(1);
    // …but never faster than once per second (small slack for timer jitter).
    const writes = [start, ...appends];
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(950);
    const shown = h.fake.streamText(ts)!;
    expect(shown).toContain('le budget de la fiche logement a été porté à 80 000 €');
    expect(shown).toMatch(/\[1\]\.$/);
    const tail = JSON.stringify(stop.body['blocks']);
    expect(tail).toContain('*[1] Compte rendu du COPIL du 10 mars 2026*');
    expect(tail).toContain('ptsm_feedback_up');
    // One message: no second post, no rewrite.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.body['thread_ts'] === ev.ts)).toHaveLength(0);
    expect(h.fake.callsTo('chat.update').filter((c) => c.body['ts'] === ts)).toHaveLength(0);
  });

  it('posts the whole answer once, with its citations, when the workspace refuses streaming', async () => {
    h.fake.refuse('chat.startStream', 'feature_not_enabled');
    try {
      const ev = mention('C01GTLOG', 'U02PAUL', "Qu'a décidé le COPIL du 10 mars 2026 ?");
      await sendEvent(h.url, ev);
      const post = await h.fake.waitFor(inThread('chat.postMessage', ev.ts), 20_000);
      const blocks = JSON.stringify(post.body['blocks']);
      expect(blocks).toContain('80 000');
      expect(blocks).toContain('*[1] Compte rendu du COPIL du 10 mars 2026*');
      expect(blocks).toContain('ptsm_feedback_up');
      expect(h.fake.calls.filter(inThread('chat.startStream', ev.ts))).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(h.fake.calls.filter(inThread('chat.postMessage', ev.ts))).toHaveLength(1);
      expect(h.fake.calls.some((c) => c.method === 'chat.update' && c.body['ts'] === post.response!['ts'])).toBe(false);
      expect(h.logged('slack streaming refused').at(-1)).toMatchObject({ error: 'feature_not_enabled' });
    } finally {
      h.fake.refuse('chat.startStream', null);
    }
  });

  it('streams in the AI panel too, after the status', async () => {
    const root = '1767000000.000100';
    const ev = message('D01MARIE', 'U01MARIE', "Qu'a décidé le COPIL du 10 mars 2026 ?", { thread_ts: root, channel_type: 'im' });
    await sendEvent(h.url, ev);
    const start = await h.fake.waitFor(inThread('chat.startStream', root), 20_000);
    const status = h.fake.callsTo('assistant.threads.setStatus').find((c) => c.body['thread_ts'] === root)!;
    expect(status.body).toMatchObject({ channel_id: 'D01MARIE', status: 'Je cherche dans les documents du PTSM…' });
    expect(status.at).toBeLessThanOrEqual(start.at);
    const ts = String(start.response!['ts']);
    const stop = await h.fake.waitFor((c) => c.method === 'chat.stopStream' && c.body['ts'] === ts, 20_000);
    expect(h.fake.streamText(ts)).toContain('80 000');
    expect(JSON.stringify(stop.body['blocks'])).toContain('*[1] Compte rendu du COPIL du 10 mars 2026*');
  });
});
