import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { mention, sendEvent } from './slack-requests.js';

/**
 * A model that writes slowly (a chunk every 150 ms for ~3 s): the answer is
 * posted once, then updated at most once per second, and ends with the
 * cited answer in the same message.
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

describe('Slack: a streamed answer', () => {
  it('is posted once, updated at most once per second, and ends with the citations', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', "Qu'a décidé le COPIL du 10 mars 2026 ?");
    const res = await sendEvent(h.url, ev);
    expect(res.status).toBe(200);
    const post = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] === ev.ts, 20_000);
    const ts = String(post.response!['ts']);
    expect(JSON.stringify(post.body['blocks'])).toContain('Rédaction en cours');
    const final = await h.fake.waitFor((c) => c.method === 'chat.update' && c.body['ts'] === ts && JSON.stringify(c.body['blocks']).includes('ptsm_feedback_up'), 20_000);
    expect(JSON.stringify(final.body['blocks'])).toContain('80 000');
    expect(JSON.stringify(final.body['blocks'])).toContain('*[1] Compte rendu du COPIL du 10 mars 2026*');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.body['thread_ts'] === ev.ts)).toHaveLength(1);
    const writes = [post, ...h.fake.callsTo('chat.update').filter((c) => c.body['ts'] === ts && c !== final)];
    // The model wrote for ~3 s: the message grew in between…
    expect(writes.length).toBeGreaterThanOrEqual(2);
    // …but never faster than once per second (small slack for timer jitter).
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(950);
  });
});
