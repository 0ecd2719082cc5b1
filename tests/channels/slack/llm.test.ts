import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASKED_NOTICE, looksLikePatientData } from '../../../src/privacy/index.js';
import { startFakeOpenAi, type ChatReply, type ChatRequest } from '../../helpers/fake-openai.js';
import { startHarness, type Harness } from './harness.js';
import { mention, message, sendCommand, sendEvent } from './slack-requests.js';

/**
 * With a model behind the assistant: Slack is acknowledged long before a slow
 * model answers, streamed answers stay one message, and a follow-up sends
 * the thread's earlier turns to the model.
 */
let h: Harness;
let llm: Awaited<ReturnType<typeof startFakeOpenAi>>;
let reply: (req: ChatRequest) => ChatReply = () => ({ content: '' });

const last = (req: ChatRequest): string => req.messages[req.messages.length - 1]!.content;
/** Cites the first excerpt that mentions `needle`, as the answer prompt asks. */
function citing(req: ChatRequest, needle: string, text: (n: string) => string): ChatReply {
  const line = last(req).split('\n').find((l) => /^\[\d+\]/.test(l) && l.includes(needle));
  return { content: text(line ? line.slice(1, line.indexOf(']')) : '1') };
}

beforeAll(async () => {
  llm = await startFakeOpenAi((req) => reply(req));
  h = await startHarness({ env: { PTSM_LLM_URL: llm.url, PTSM_LLM_MODEL: 'fake-model', PTSM_LLM_API_KEY: 'sk-test', PTSM_LLM_TIMEOUT_MS: '20000' } });
});
afterAll(async () => { await h.close(); await llm.close(); });

const answerIn = (channel: string, threadTs: string) => (c: { method: string; status: number; body: Record<string, unknown> }) =>
  (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.status === 200 && c.body['channel'] === channel
  && (c.body['thread_ts'] === threadTs || c.method === 'chat.update') && JSON.stringify(c.body['blocks'] ?? '').includes('ptsm_feedback_up');

describe('Slack with a slow or streaming model', () => {
  it('acknowledges a mention at once even when the model takes 4 s; the answer comes later', async () => {
    reply = (req) => {
      const r = citing(req, 'Caradec', (n) => `La fiche pair-aidance est pilotée par Mme Inès Caradec [${n}].`);
      return { delayMs: 4000, content: 'content' in r ? r.content : '' };
    };
    const ev = mention('C01GTLOG', 'U01MARIE', 'Qui pilote la fiche pair-aidance ?');
    const res = await sendEvent(h.url, ev);
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2500);
    const answer = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts), 20_000);
    expect(answer.at).toBeGreaterThan(res.at);
    expect(answer.at - res.at).toBeGreaterThan(3000);
    expect(JSON.stringify(answer.body['blocks'])).toContain('Inès Caradec');
  });

  it('acknowledges /ptsm question at once and answers through the response_url afterwards', async () => {
    reply = (req) => {
      const r = citing(req, 'Lemaire', (n) => `M. Hugo Lemaire, du CCAS de Port-Orme [${n}].`);
      return { delayMs: 4000, content: 'content' in r ? r.content : '' };
    };
    const res = await sendCommand(h.url, { text: 'question Qui pilote la fiche logement accompagné ?', user_id: 'U01MARIE', channel_id: 'C01GTLOG', response_url: h.fake.responseUrl('slow-q') });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2500);
    expect(JSON.parse(res.text).text).toBe('Je cherche…');
    const answer = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('slow-q'), 20_000);
    expect(answer.at).toBeGreaterThan(res.at + 3000);
    expect(JSON.stringify(answer.body)).toContain('Hugo Lemaire');
  });

  it('sends the thread’s earlier turns to the model for a follow-up without mention', async () => {
    reply = (req) => {
      if (!last(req).includes('<extraits>')) return { content: 'Quel est le budget de la fiche logement accompagné ?' };
      if (last(req).includes('Question : Qui pilote')) return citing(req, 'Lemaire', (n) => `M. Hugo Lemaire, du CCAS de Port-Orme [${n}].`);
      return citing(req, '80 000', (n) => `Le budget de la fiche logement est porté à 80 000 € [${n}].`);
    };
    const first = mention('C01GTLOG', 'U02PAUL', 'Qui pilote la fiche logement accompagné ?');
    h.fake.setThread('C01GTLOG', [{ ts: first.ts, user: 'U02PAUL', text: first.text }]);
    await sendEvent(h.url, first);
    await h.fake.waitFor(answerIn('C01GTLOG', first.ts), 20_000);
    const before = llm.requests.length;
    const follow = message('C01GTLOG', 'U02PAUL', 'Et son budget ?', { thread_ts: first.ts });
    h.fake.threadOf('C01GTLOG', first.ts).push({ ts: follow.ts, user: 'U02PAUL', text: follow.text, thread_ts: first.ts });
    await sendEvent(h.url, follow);
    const followed = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] === first.ts && JSON.stringify(c.body['blocks']).includes('80 000'), 20_000);
    expect(String(followed.body['text'])).toContain('80 000');
    const sent = llm.requests.slice(before).flatMap((r) => r.messages.map((m) => `${m.role}: ${m.content}`)).join('\n');
    expect(sent).toContain('Qui pilote la fiche logement accompagné ?');
    expect(sent).not.toContain('<@UBOTPTSM>');
    // The bot's earlier answer came back as the assistant's turn.
    expect(sent).toMatch(/(assistant: |Assistant : )M\. Hugo Lemaire/);
  });

  it('masks a patient named in the question before it reaches the model, and the answer says so', async () => {
    reply = (req) => citing(req, 'Caradec', (n) => `La fiche pair-aidance est pilotée par Mme Inès Caradec [${n}].`);
    const before = llm.requests.length;
    const ev = mention('C01GTLOG', 'U01MARIE', 'Mme Sophie Durand, 45 ans, bipolaire, hospitalisée en HDT : qui pilote la fiche pair-aidance ?');
    await sendEvent(h.url, ev);
    const answer = await h.fake.waitFor((c) => answerIn('C01GTLOG', ev.ts)(c) && JSON.stringify(c.body['blocks']).includes('Caradec'), 20_000);
    const sent = llm.requests.slice(before).flatMap((r) => r.messages.map((m) => m.content));
    expect(sent.join('\n')).toContain('qui pilote la fiche pair-aidance ?');
    for (const text of sent) {
      expect(text).not.toContain('Durand');
      expect(looksLikePatientData(text)).toBe(false);
    }
    expect(JSON.stringify(answer.body['blocks'])).toContain(MASKED_NOTICE);
  });
});
