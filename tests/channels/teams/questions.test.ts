import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listFeedback } from '../../../src/app/feedback.js';
import { MASKED_NOTICE, looksLikePatientData } from '../../../src/privacy/index.js';
import { startFakeOpenAi } from '../../helpers/fake-openai.js';
import { BOT, CHANNEL, CLAIRE, GROUP_CHAT, INES, TEAM, botAdded, cardSubmit, message, personalConversationId } from './activities.js';
import { cardOf, cardText, citationEntity, startHarness, streamInfo, submitData, type Harness } from './harness.js';

describe('Teams questions', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.connector.reset(); h.asked.length = 0; });

  it('streams a 1:1 answer: an informative update, then the final message with the text, citations and a card with sources and 👍/👎', async () => {
    const activity = message(h.connector.url, INES, 'Qui pilote la fiche action n° 4 ?');
    const res = await h.post(activity);
    expect(res.status).toBe(200);

    const sent = h.connector.sent();
    // Offline answers come whole: one informative update, then the final message of the same stream.
    expect(sent.map((s) => s.activity.type)).toEqual(['typing', 'message']);
    const [informative, final] = sent;
    for (const s of sent) {
      expect(s.conversationId).toBe(personalConversationId(INES));
      expect(s.activityId).toBe(activity.id);
      expect(s.activity.replyToId).toBe(activity.id);
      expect((s.activity.from as { id: string }).id).toBe(BOT.id);
    }
    const info = streamInfo(informative!.activity);
    expect(informative!.activity.text).toBe('Je cherche dans les documents du PTSM…');
    expect(info).toMatchObject({ streamType: 'informative', streamSequence: 1 });
    const end = streamInfo(final!.activity);
    // The final message closes the stream Teams opened with the first update.
    expect(end).toMatchObject({ streamType: 'final', streamId: informative!.responseId });

    expect(String(final!.activity.text)).toMatch(/Caradec/);
    const citations = citationEntity(final!.activity);
    expect(citations.length).toBeGreaterThan(0);
    expect(citations[0]).toMatchObject({ '@type': 'Claim', position: 1, appearance: { '@type': 'DigitalDocument' } });
    expect(String((citations[0]!.appearance as { name: string }).name)).toMatch(/Fiche action n° 4/);

    const card = cardOf(final!.activity)!;
    expect(card.version).toBe('1.5');
    const t = cardText(card);
    expect(t).toMatch(/Fiche action n° 4/);
    expect(t).toMatch(/« .+ »/);
    // The answer's text is the message's: the card does not repeat it.
    expect(t).not.toContain(String(final!.activity.text));
    const buttons = submitData(card);
    expect(buttons.map((b) => [b.ptsm, b.rating])).toEqual([['feedback', 'up'], ['feedback', 'down']]);
    expect(h.asked[0]!.question).toBe('Qui pilote la fiche action n° 4 ?');
  });

  it('passes the conversation\'s previous exchanges to the assistant for a follow-up', async () => {
    await h.post(message(h.connector.url, CLAIRE, 'Que veut dire CLSM ?'));
    await h.post(message(h.connector.url, CLAIRE, 'Et CPTS ?'));
    expect(h.asked).toHaveLength(2);
    expect(h.asked[0]!.history).toEqual([]);
    const history = h.asked[1]!.history!;
    expect(history[0]).toEqual({ role: 'user', content: 'Que veut dire CLSM ?' });
    expect(history[1]!.role).toBe('assistant');
    expect(history[1]!.content).toMatch(/conseil local de santé mentale/i);
    const last = cardOf(h.connector.sent().at(-1)!.activity)!;
    expect(cardText(last)).toMatch(/communauté professionnelle territoriale de santé/i);
  });

  it('answers an @mention in a channel inside the thread, with the mention stripped from the question', async () => {
    const root = message(h.connector.url, INES, 'Que veut dire CLSM ?', { kind: 'channel' });
    const res = await h.post(root);
    expect(res.status).toBe(200);
    expect(h.asked.at(-1)!.question).toBe('Que veut dire CLSM ?');
    expect(h.asked.at(-1)!.channel).toEqual({ platform: 'teams', id: CHANNEL.id });
    // Teams shows no typing indicator in channels: none is sent there.
    expect(h.connector.sent().map((s) => s.activity.type)).toEqual(['message']);
    const reply = h.connector.sent()[0]!;
    expect(reply.conversationId).toBe(`${CHANNEL.id};messageid=${root.id}`);
    expect(reply.activityId).toBe(root.id);
    expect(cardText(cardOf(reply.activity))).toMatch(/conseil local de santé mentale/i);
  });

  it('answers an @mention in a reply of a channel thread in that thread', async () => {
    const rootId = '1775030999000';
    const reply = message(h.connector.url, CLAIRE, 'Quand se tiendra le prochain COPIL ?', { kind: 'channel', root: rootId });
    await h.post(reply);
    const answer = h.connector.sent().find((s) => s.activity.type === 'message')!;
    expect(answer.conversationId).toBe(`${CHANNEL.id};messageid=${rootId}`);
    expect(cardText(cardOf(answer.activity))).toMatch(/22 septembre 2026/);
  });

  it('answers an @mention in a group chat', async () => {
    await h.post(message(h.connector.url, CLAIRE, 'Que veut dire GEM ?', { kind: 'groupChat' }));
    expect(h.asked.at(-1)!.question).toBe('Que veut dire GEM ?');
    expect(h.connector.sent().map((s) => [s.activity.type, s.conversationId])).toEqual([['typing', GROUP_CHAT], ['message', GROUP_CHAT]]);
    const reply = h.connector.sent().find((s) => s.activity.type === 'message')!;
    expect(reply.conversationId).toBe(GROUP_CHAT);
    expect(cardText(cardOf(reply.activity))).toMatch(/entraide mutuelle/i);
  });

  it('records 👍 with the question and answer, and updates the card in place', async () => {
    await h.post(message(h.connector.url, INES, 'Que veut dire CLSM ?'));
    const answer = h.connector.sent().find((s) => s.activity.type === 'message')!;
    const up = submitData(cardOf(answer.activity)).find((d) => d.rating === 'up')!;
    h.connector.reset();
    const res = await h.post(cardSubmit(h.connector.url, INES, answer.responseId!, up));
    expect(res.status).toBe(200);
    expect(listFeedback(h.runtime.db).at(-1)).toMatchObject({ platform: 'teams', user_id: INES.aadObjectId, question: 'Que veut dire CLSM ?', rating: 'up' });
    const update = h.connector.calls.find((c) => c.method === 'PUT')!;
    expect(update.activityId).toBe(answer.responseId);
    expect(update.conversationId).toBe(personalConversationId(INES));
    const updated = cardOf(update.body)!;
    expect(cardText(updated)).toMatch(/Merci pour votre retour/);
    expect(submitData(updated)).toEqual([]);
    // The streamed message keeps its text and citations; the card keeps its sources.
    expect(String(update.body.text)).toMatch(/conseil local de santé mentale/i);
    expect(update.body.text).toBe(answer.activity.text);
    expect(citationEntity(update.body)).toEqual(citationEntity(answer.activity));
    expect(cardText(updated)).toMatch(/Glossaire/);
  });

  it('updates a channel answer\'s card, answer included, after a 👎', async () => {
    await h.post(message(h.connector.url, INES, 'Que veut dire CLSM ?', { kind: 'channel' }));
    const answer = h.connector.sent().at(-1)!;
    const down = submitData(cardOf(answer.activity)).find((d) => d.rating === 'down')!;
    h.connector.reset();
    await h.post(cardSubmit(h.connector.url, INES, answer.responseId!, down, { kind: 'channel' }));
    const update = h.connector.calls.find((c) => c.method === 'PUT')!;
    expect(update.activityId).toBe(answer.responseId);
    expect(cardText(cardOf(update.body))).toMatch(/conseil local de santé mentale/i);
    expect(cardText(cardOf(update.body))).toMatch(/Merci pour votre retour 👎/);
    expect(listFeedback(h.runtime.db).at(-1)).toMatchObject({ rating: 'down' });
  });

  it('says hello when installed, and keeps the team\'s reference', async () => {
    const res = await h.post(botAdded(h.connector.url, INES, 'team'));
    expect(res.status).toBe(200);
    const hello = h.connector.sent()[0]!;
    expect(hello.conversationId).toBe(TEAM.id);
    expect(String(hello.activity.text)).toMatch(/Posez-moi une question/);
    const row = h.runtime.db.prepare('SELECT kind, ref_json FROM teams_refs WHERE id = ?').get(TEAM.id) as { kind: string; ref_json: string };
    expect(row.kind).toBe('channel');
    expect(JSON.parse(row.ref_json)).toMatchObject({ serviceUrl: h.connector.url, agent: { id: BOT.id }, conversation: { id: TEAM.id } });
  });
});

describe('Teams questions with a model behind the assistant', () => {
  let h: Harness;
  let llm: Awaited<ReturnType<typeof startFakeOpenAi>>;
  beforeAll(async () => {
    llm = await startFakeOpenAi((req) => {
      const line = req.messages.at(-1)!.content.split('\n').find((l) => /^\[\d+\]/.test(l) && l.includes('Caradec'));
      return { content: `La fiche n° 4 est pilotée par Mme Inès Caradec [${line ? line.slice(1, line.indexOf(']')) : '1'}].` };
    });
    h = await startHarness({ env: { PTSM_LLM_URL: llm.url, PTSM_LLM_MODEL: 'fake-model' } });
  });
  afterAll(async () => { await h.close(); await llm.close(); });

  it('masks a patient named in the question before it reaches the model, and the card says so', async () => {
    await h.post(message(h.connector.url, INES, 'M. Jean Dupont, hospitalisé pour schizophrénie : qui pilote la fiche action n° 4 ?'));
    const sent = llm.requests.flatMap((r) => r.messages.map((m) => m.content));
    expect(sent.join('\n')).toContain('qui pilote la fiche action n° 4 ?');
    for (const text of sent) {
      expect(text).not.toContain('Dupont');
      expect(looksLikePatientData(text)).toBe(false);
    }
    const reply = h.connector.sent().find((s) => s.activity.type === 'message')!;
    // In a 1:1 chat the answer is streamed: its text is the message's, the card carries the sources.
    const t = `${String(reply.activity.text ?? '')}\n${cardText(cardOf(reply.activity)!)}`;
    expect(t).toContain('Caradec');
    expect(t).toContain(MASKED_NOTICE);
  });
});
