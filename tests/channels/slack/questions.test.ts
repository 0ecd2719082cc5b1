import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFeedback } from '../../../src/app/feedback.js';
import { BOT_ID, BOT_USER_ID, type RecordedCall } from './fake-slack-api.js';
import { startHarness, type Harness } from './harness.js';
import { blockAction, mention, message, nextTs, post, sendEvent, sendPayload } from './slack-requests.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

type Block = { type: string; text?: { text: string }; elements?: Array<{ text?: string | { text: string }; action_id?: string; value?: string }> };
const blocksOf = (c: RecordedCall): Block[] => c.body['blocks'] as Block[];
const answerIn = (channel: string, threadTs: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' && c.status === 200 && c.body['channel'] === channel && c.body['thread_ts'] === threadTs;

describe('Slack Events API: questions', () => {
  it('answers the url_verification challenge', async () => {
    const res = await post(h.url, JSON.stringify({ token: 't', challenge: 'defi-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'defi-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('answers a mention in the thread, with citations and feedback buttons, after a 👀 reaction', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', 'Qui pilote la fiche pair-aidance ?');
    const res = await sendEvent(h.url, ev);
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts));
    const reaction = h.fake.callsTo('reactions.add').find((c) => c.body['timestamp'] === ev.ts)!;
    expect(reaction.body).toMatchObject({ channel: 'C01GTLOG', name: 'eyes' });
    expect(reaction.at).toBeLessThanOrEqual(reply.at);
    expect(String(reply.body['text'])).toContain('Inès Caradec');
    const blocks = blocksOf(reply);
    expect(blocks[0]!.type).toBe('section');
    expect(blocks[0]!.text!.text).toContain('Inès Caradec');
    const citation = blocks.find((b) => b.type === 'context')!;
    const citationText = String((citation.elements![0]!.text as string));
    expect(citationText).toContain('*[1] Fiche action n° 4 — Développer la pair-aidance*');
    expect(citationText).toMatch(/_« .*Inès Caradec.* »_/);
    expect(citationText).toContain('docs/fiches/fa04-pair-aidance.md');
    const buttons = blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual(['ptsm_feedback_up', 'ptsm_feedback_down']);
    // The question reached the core without the bot's mention.
    expect(String(reply.body['text'])).not.toContain(BOT_USER_ID);
  });

  it('answers a follow-up in its thread without a new mention, passing the thread as history', async () => {
    const first = mention('C01GTLOG', 'U02PAUL', 'Qui pilote la fiche logement accompagné ?');
    h.fake.setThread('C01GTLOG', [{ ts: first.ts, user: 'U02PAUL', text: first.text }]);
    await sendEvent(h.url, first);
    await h.fake.waitFor(answerIn('C01GTLOG', first.ts));
    const follow = message('C01GTLOG', 'U02PAUL', 'Et quel est son budget ?', { thread_ts: first.ts });
    h.fake.threadOf('C01GTLOG', first.ts).push({ ts: follow.ts, user: 'U02PAUL', text: follow.text, thread_ts: first.ts });
    const before = h.fake.callsTo('conversations.replies').length;
    await sendEvent(h.url, follow);
    const reply = await h.fake.waitFor((c) => answerIn('C01GTLOG', first.ts)(c) && h.fake.callsTo('chat.postMessage').filter(answerIn('C01GTLOG', first.ts)).length === 2);
    expect(h.fake.callsTo('conversations.replies').length).toBeGreaterThan(before);
    // "son budget" only makes sense with the earlier turn about the logement fiche.
    expect(String(reply.body['text'])).toContain('80 000');
  });

  it('ignores a thread message addressed to a colleague, and threads it never answered in', async () => {
    const root = mention('C01GTLOG', 'U01MARIE', 'Quand est le prochain COPIL ?');
    await sendEvent(h.url, root);
    await h.fake.waitFor(answerIn('C01GTLOG', root.ts));
    const posted = h.fake.callsTo('chat.postMessage').length;
    await sendEvent(h.url, message('C01GTLOG', 'U02PAUL', '<@U01MARIE> tu peux vérifier la salle ?', { thread_ts: root.ts }));
    await sendEvent(h.url, message('C01GTLOG', 'U02PAUL', 'On se voit demain ?', { thread_ts: nextTs() }));
    await sendEvent(h.url, message('C01GTLOG', 'U02PAUL', 'Bonjour à tous'));
    // Bot's own message echoed back by Slack: never answered.
    await sendEvent(h.url, message('C01GTLOG', BOT_USER_ID, 'ma propre réponse', { thread_ts: root.ts, bot_id: BOT_ID }));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsTo('chat.postMessage').slice(posted).map((c) => c.body)).toEqual([]);
  });

  it('answers a direct message, once even when Slack retries the event', async () => {
    const dm = message('D01MARIE', 'U01MARIE', 'Que veut dire CLSM ?');
    await sendEvent(h.url, dm);
    await sendEvent(h.url, dm, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    const reply = await h.fake.waitFor(answerIn('D01MARIE', dm.ts));
    expect(String(reply.body['text']).toLowerCase()).toContain('conseil local de santé mentale');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.callsTo('chat.postMessage').filter(answerIn('D01MARIE', dm.ts))).toHaveLength(1);
  });

  it('records 👍/👎 through the assistant and thanks the user privately', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', 'Quels sont les partenaires de la fiche pair-aidance ?');
    await sendEvent(h.url, ev);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts));
    const answerId = blocksOf(reply).find((b) => b.type === 'actions')!.elements![1]!.value!;
    const res = await sendPayload(h.url, blockAction({
      actionId: 'ptsm_feedback_down', value: answerId, user: 'U01MARIE', channel: 'C01GTLOG', messageTs: '1800000000.000001', threadTs: ev.ts, responseUrl: h.fake.responseUrl('fb1'),
    }));
    expect(res.status).toBe(200);
    const thanks = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('/fb1'));
    expect(thanks.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(thanks.body['text'])).toContain('Merci');
    const fb = listFeedback(h.runtime.db).filter((f) => f.user_id === 'U01MARIE');
    expect(fb.at(-1)).toMatchObject({ platform: 'slack', rating: 'down', question: 'Quels sont les partenaires de la fiche pair-aidance ?' });
  });

  it('warns, under the answer, when the question looks like it names a patient', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', 'Le patient M. Durand est hospitalisé au CMP : qui pilote la fiche pair-aidance ?');
    await sendEvent(h.url, ev);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts));
    expect(JSON.stringify(reply.body['blocks'])).toContain('données personnelles de santé');
    const plain = mention('C01GTLOG', 'U01MARIE', 'Qui pilote la fiche logement accompagné ?');
    await sendEvent(h.url, plain);
    expect(JSON.stringify((await h.fake.waitFor(answerIn('C01GTLOG', plain.ts))).body['blocks'])).not.toContain('données personnelles');
  });

  it('answers an empty mention with a short French help', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', '');
    await sendEvent(h.url, ev);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts));
    expect(String(reply.body['text'])).toContain('Posez-moi votre question');
  });
});
