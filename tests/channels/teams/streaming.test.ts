import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { INES, message, personalConversationId } from './activities.js';
import { cardOf, cardText, citationEntity, startHarness, streamInfo, submitData, type Harness } from './harness.js';

/**
 * With a model behind the assistant, a 1:1 answer reaches Teams as it is
 * written: Teams' streaming protocol (typing activities with a growing text,
 * one stream id, increasing sequence numbers), then the final message with
 * the verified answer, Teams' citations and the card with 👍/👎.
 */
let h: Harness;
let model: { url: string; streamed: number; close: () => Promise<void> };

/** A model that writes slowly (a chunk every 40 ms), citing the excerpt that names the pilot. */
async function startDribblingModel(): Promise<typeof model> {
  const state = { streamed: 0 };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: Array<{ content: string }>; stream?: boolean; model: string };
      const user = body.messages[body.messages.length - 1]!.content;
      const line = user.split('\n').find((l) => /^\[\d+\]/.test(l) && l.includes('Caradec')) ?? '[1]';
      const text = `La fiche pair-aidance est pilotée par Mme Inès Caradec, directrice du GEM La Boussole [${line.slice(1, line.indexOf(']'))}].`;
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }));
        return;
      }
      state.streamed += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = text.match(/.{1,10}/gs) ?? [];
      let i = 0;
      const tick = setInterval(() => {
        if (i < pieces.length) { res.write(chunk({ content: pieces[i++] }, null)); return; }
        clearInterval(tick);
        res.write(chunk({}, 'stop'));
        res.end('data: [DONE]\n\n');
      }, 40);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get streamed() { return state.streamed; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

beforeAll(async () => {
  model = await startDribblingModel();
  h = await startHarness({ env: { PTSM_LLM_URL: model.url, PTSM_LLM_MODEL: 'fake-model', PTSM_LLM_API_KEY: 'sk-test', PTSM_LLM_TIMEOUT_MS: '20000' } });
});
afterAll(async () => { await h.close(); await model.close(); });
beforeEach(() => { h.connector.reset(); });

describe('Teams: a streamed 1:1 answer', () => {
  it('sends the growing text as streaming updates of one stream, then the final message with citations and feedback', async () => {
    const activity = message(h.connector.url, INES, 'Qui pilote la fiche pair-aidance ?');
    const res = await h.post(activity);
    expect(res.status).toBe(200);
    expect(model.streamed).toBeGreaterThan(0);

    const sent = h.connector.sent();
    for (const s of sent) expect(s.conversationId).toBe(personalConversationId(INES));
    const infos = sent.map((s) => streamInfo(s.activity)!);
    expect(infos.every((i) => i !== null)).toBe(true);
    expect(infos[0]!.streamType).toBe('informative');
    const streaming = sent.filter((_, i) => infos[i]!.streamType === 'streaming');
    expect(streaming.length).toBeGreaterThan(0);
    for (const s of streaming) expect(s.activity.type).toBe('typing');
    // Each update carries the whole text so far, and it only grows.
    const texts = streaming.map((s) => String(s.activity.text));
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    // One stream: every update after the first names the id Teams gave the first, in sequence.
    const streamId = sent[0]!.responseId;
    for (const i of infos.slice(1)) expect(i.streamId).toBe(streamId);
    const seqs = infos.map((i) => Number(i.streamSequence));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);

    const final = sent.at(-1)!;
    expect(final.activity.type).toBe('message');
    expect(infos.at(-1)!.streamType).toBe('final');
    expect(String(final.activity.text)).toMatch(/Inès Caradec/);
    expect(texts.at(-1)!.length).toBeGreaterThan(10);
    const cites = citationEntity(final.activity);
    expect(cites.length).toBeGreaterThan(0);
    const aiEntity = (final.activity.entities as Array<Record<string, unknown>>).find((e) => e.type === 'https://schema.org/Message')!;
    expect(aiEntity.additionalType).toEqual(['AIGeneratedContent']);
    const card = cardOf(final.activity)!;
    expect(cardText(card)).toMatch(/Fiche action n° 4/);
    expect(submitData(card).map((d) => d.rating)).toEqual(['up', 'down']);
  });

  it('ends the stream with an apology when the question fails, so Teams does not keep « Je cherche… »', async () => {
    const broken = h.assistant.ask;
    h.assistant.ask = async () => { throw new Error('index illisible'); };
    try {
      const res = await h.post(message(h.connector.url, INES, 'Qui pilote la fiche pair-aidance ?'));
      expect(res.status).toBe(200);
    } finally {
      h.assistant.ask = broken;
    }
    const sent = h.connector.sent();
    expect(streamInfo(sent[0]!.activity)!.streamType).toBe('informative');
    const final = sent.at(-1)!;
    expect(streamInfo(final.activity)).toMatchObject({ streamType: 'final', streamId: sent[0]!.responseId });
    expect(String(final.activity.text)).toMatch(/je n'ai pas pu répondre/);
  });
});
