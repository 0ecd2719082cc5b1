import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ID, BOT_USER_ID, TEAM_ID, type RecordedCall } from './fake-slack-api.js';
import { startHarness, type Harness } from './harness.js';
import { message, nextTs, sendEvent } from './slack-requests.js';

/**
 * Slack's AI app panel through signed HTTP: the thread opens with suggested
 * prompts, each question gets the assistant status then a cited answer in
 * the thread, with the thread as history; prompts the channel knows how to
 * answer get their reply directly.
 */
let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

const DM = 'D01MARIE';
const answerIn = (channel: string, threadTs: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' && c.status === 200 && c.body['channel'] === channel && c.body['thread_ts'] === threadTs;
const postsIn = (channel: string, threadTs: string) => h.fake.callsTo('chat.postMessage').filter(answerIn(channel, threadTs));

function threadStarted(user: string, channel: string, threadTs: string, viewing = 'C01GTLOG') {
  return {
    type: 'assistant_thread_started', event_ts: nextTs(),
    assistant_thread: { user_id: user, context: { channel_id: viewing, team_id: TEAM_ID, enterprise_id: null }, channel_id: channel, thread_ts: threadTs },
  };
}

/** A message in the panel: a DM, inside the assistant thread. */
const panelMessage = (threadTs: string, text: string, user = 'U01MARIE', channel = DM) => message(channel, user, text, { thread_ts: threadTs, channel_type: 'im' });

describe('Slack AI panel', () => {
  it('opens a thread with the suggested prompts', async () => {
    const thread = nextTs();
    const res = await sendEvent(h.url, threadStarted('U01MARIE', DM, thread));
    expect(res.status).toBe(200);
    const call = await h.fake.waitFor((c) => c.method === 'assistant.threads.setSuggestedPrompts' && c.body['thread_ts'] === thread);
    expect(call.body['channel_id']).toBe(DM);
    const prompts = call.body['prompts'] as Array<{ title: string; message: string }>;
    expect(prompts.map((p) => p.title)).toEqual(['Qui pilote… ?', 'Prochaines échéances', "Qu'a-t-on décidé au dernier COPIL ?", "Rédiger une fiche à partir d'un fil"]);
    for (const p of prompts) expect(p.message.length).toBeGreaterThan(5);
    // Nothing posted: the prompts are the welcome.
    expect(postsIn(DM, thread)).toHaveLength(0);
  });

  it('answers a question with the status first, then a cited answer in the thread, titled after it', async () => {
    const thread = nextTs();
    const q = panelMessage(thread, 'Qui pilote la fiche pair-aidance ?');
    expect((await sendEvent(h.url, q)).status).toBe(200);
    const reply = await h.fake.waitFor(answerIn(DM, thread));
    const status = h.fake.callsTo('assistant.threads.setStatus').find((c) => c.body['thread_ts'] === thread)!;
    expect(status.body).toMatchObject({ channel_id: DM, status: 'Je cherche dans les documents du PTSM…' });
    expect(status.at).toBeLessThanOrEqual(reply.at);
    const title = h.fake.callsTo('assistant.threads.setTitle').find((c) => c.body['thread_ts'] === thread)!;
    expect(title.body['title']).toBe('Qui pilote la fiche pair-aidance ?');
    const blocks = JSON.stringify(reply.body['blocks']);
    expect(String(reply.body['text'])).toContain('Inès Caradec');
    expect(blocks).toContain('*[1] Fiche action n° 4 — Développer la pair-aidance*');
    expect(blocks).toContain('ptsm_feedback_up');
    // The panel shows the status, not 👀 on the question.
    expect(h.fake.callsTo('reactions.add').some((c) => c.body['timestamp'] === q.ts)).toBe(false);
  });

  it('reads the panel thread as the conversation history of a follow-up', async () => {
    const thread = nextTs();
    const first = panelMessage(thread, 'Qui pilote la fiche logement accompagné ?', 'U02PAUL', 'D02PAUL');
    h.fake.setThread('D02PAUL', [{ ts: thread, user: BOT_USER_ID, bot_id: BOT_ID, text: 'Bonjour !' }, { ts: first.ts, user: 'U02PAUL', text: first.text }]);
    await sendEvent(h.url, first);
    const firstReply = await h.fake.waitFor(answerIn('D02PAUL', thread));
    expect(String(firstReply.body['text'])).toContain('Hugo Lemaire');
    const follow = panelMessage(thread, 'Et quel est son budget ?', 'U02PAUL', 'D02PAUL');
    h.fake.threadOf('D02PAUL', thread).push({ ts: follow.ts, user: 'U02PAUL', text: follow.text, thread_ts: thread });
    await sendEvent(h.url, follow);
    const reply = await h.fake.waitFor((c) => answerIn('D02PAUL', thread)(c) && c !== firstReply);
    expect(h.fake.callsTo('conversations.replies').some((c) => c.body['channel'] === 'D02PAUL' && c.body['ts'] === thread)).toBe(true);
    // "son budget" only makes sense with the earlier turn about the logement fiche.
    expect(String(reply.body['text'])).toContain('80 000');
    // Only the first question titles the thread.
    expect(h.fake.callsTo('assistant.threads.setTitle').filter((c) => c.body['thread_ts'] === thread)).toHaveLength(1);
  });

  it('answers the clicked prompts: my milestones, which fiche, how to draft, the last COPIL', async () => {
    const thread = nextTs();
    const ask = async (text: string, user = 'U03INES', channel = 'D03INES'): Promise<string> => {
      const before = postsIn(channel, thread).length;
      await sendEvent(h.url, panelMessage(thread, text, user, channel));
      const reply = await h.fake.waitFor((c) => answerIn(channel, thread)(c) && postsIn(channel, thread).length > before);
      return JSON.stringify(reply.body['blocks']);
    };
    const mine = await ask('Quelles sont mes prochaines échéances ?');
    expect(mine).toContain('Recrutement de deux médiateurs');
    expect(mine).toContain('30/06/2026');
    expect(mine).not.toContain('Logement accompagné');
    expect(await ask('Qui pilote une fiche action ?')).toContain('Qui pilote la fiche 4 ?');
    const howTo = await ask("Comment rédiger une fiche action à partir d'un fil ?");
    expect(howTo).toContain('Rédiger une fiche action à partir de ce fil');
    const copil = await ask("Qu'a-t-on décidé au dernier COPIL ?");
    expect(copil).toContain('*[1] Compte rendu du COPIL du 10 mars 2026*');
    expect(copil).toContain('80 000');
  });

  it('never answers the bot’s own messages in the panel, and ignores context changes without rewriting anything', async () => {
    const thread = nextTs();
    const posted = h.fake.calls.length;
    await sendEvent(h.url, message(DM, BOT_USER_ID, 'ma propre réponse', { thread_ts: thread, channel_type: 'im', bot_id: BOT_ID }));
    const changed = await sendEvent(h.url, { ...threadStarted('U01MARIE', DM, thread, 'C02AUTRE'), type: 'assistant_thread_context_changed' });
    expect(changed.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    // Bolt's default context store would read the thread and rewrite its first message.
    const aboutThisDm = h.fake.calls.slice(posted).filter((c) => c.body['channel'] === DM || c.body['channel_id'] === DM);
    expect(aboutThisDm.map((c) => c.method)).toEqual([]);
  });

  it('clears the status when the answer cannot be posted', async () => {
    const thread = nextTs();
    h.fake.fail('chat.postMessage', 500, 3);
    await sendEvent(h.url, panelMessage(thread, 'Quand est le prochain COPIL ?'));
    const cleared = await h.fake.waitFor((c) => c.method === 'assistant.threads.setStatus' && c.body['thread_ts'] === thread && c.body['status'] === '');
    expect(cleared.body['channel_id']).toBe(DM);
    expect(h.logged('slack answer could not be posted').at(-1)).toMatchObject({ error: 'HTTP 500' });
  });
});
