import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL, INES, TENANT, cardSubmit, fetchTask, fileConsent, personalConversationId, submitAction } from './activities.js';
import { cardOf, cardText, startHarness, submitData, type Harness } from './harness.js';
import { hugeThread, psssmThread } from './thread-fixture.js';

interface TaskResponse { task: { type: string; value: { title?: string; card?: { contentType: string; content: Record<string, unknown> } } | string } }

describe('Teams drafting (message action "Rédiger une fiche action")', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.connector.reset(); h.drafted.length = 0; });

  /** fetchTask → draft in the dialog → "Publier" → the card posted in the thread. */
  async function draftAndPost(): Promise<{ draftId: string; posted: ReturnType<Harness['connector']['sent']>[number]; thread: ReturnType<typeof psssmThread> }> {
    const thread = psssmThread();
    const res = await h.post(fetchTask(h.connector.url, INES, thread));
    expect(res.status).toBe(200);
    const task = (res.body as TaskResponse).task;
    expect(task.type).toBe('continue');
    const value = task.value as { card: { content: Record<string, unknown> } };
    const publish = submitData(value.card.content).find((d) => d.ptsm === 'fiche-post')!;
    const submit = await h.post(submitAction(h.connector.url, INES, thread, publish));
    expect(submit.status).toBe(200);
    const posted = h.connector.sent().at(-1)!;
    return { draftId: String(publish.draftId), posted, thread };
  }

  it('reads the message and its replies, drafts, and shows the draft in a dialog', async () => {
    const thread = psssmThread();
    const res = await h.post(fetchTask(h.connector.url, INES, thread));
    expect(res.status).toBe(200);
    const task = (res.body as TaskResponse).task;
    expect(task.type).toBe('continue');
    const value = task.value as { title: string; card: { contentType: string; content: Record<string, unknown> } };
    expect(value.title).toBe('Brouillon de fiche action');
    expect(value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const t = cardText(value.card.content);
    expect(t).toMatch(/Former les élus et agents municipaux/);
    expect(t).toMatch(/Hugo Lemaire/);
    expect(t).toMatch(/UNAFAM/);
    // Sources name who wrote when (Paris time), not Teams' numeric ids.
    expect(t).toMatch(/Claire Vidal \(12\/03 12:40\)/);

    // The core saw the root and its four replies as plain text, in order.
    const seen = h.drafted[0]!;
    expect(seen.messages).toHaveLength(5);
    expect(seen.messages[0]!.author.name).toBe('Claire Vidal');
    expect(seen.messages[2]!.text).toBe("Objectif : former 60 agents et élus aux PSSM d'ici fin 2027.\n\n- organiser 4 sessions par an\n- cibler d'abord les communes avec un CLSM");
    expect(seen.messages.map((m) => m.text).join('\n')).not.toMatch(/<[a-z]/i);
    expect(h.connector.calls).toHaveLength(0); // nothing posted yet
  });

  it('posts the draft in the message\'s thread with Valider / Exporter, and closes the dialog', async () => {
    const { posted, thread, draftId } = await draftAndPost();
    expect(posted.conversationId).toBe(`${CHANNEL.id};messageid=${thread.id}`);
    const card = cardOf(posted.activity)!;
    expect(cardText(card)).toMatch(/Brouillon rédigé par l'assistant à la demande d'Inès Caradec/);
    expect(submitData(card)).toEqual([{ ptsm: 'fiche-validate', draftId }, { ptsm: 'fiche-export', draftId }]);
    const row = h.runtime.db.prepare('SELECT status, conversation_id FROM teams_drafts WHERE id = ?').get(draftId) as { status: string; conversation_id: string };
    expect(row).toEqual({ status: 'brouillon', conversation_id: `${CHANNEL.id};messageid=${thread.id}` });
  });

  it('Valider stores the fiche as validée — also after a restart — and updates the card', async () => {
    const { posted, draftId, thread } = await draftAndPost();
    const before = h.runtime.assistant.listFiches().length;
    // A new instance of the channel on the same data: the button must still work.
    const second = await h.restart();
    h.connector.reset();
    const click = cardSubmit(h.connector.url, INES, posted.responseId!, { ptsm: 'fiche-validate', draftId }, { kind: 'channel', root: thread.id });
    const res = await second.post(click);
    expect(res.status).toBe(200);

    const fiches = h.runtime.assistant.listFiches();
    expect(fiches).toHaveLength(before + 1);
    const stored = fiches.find((f) => f.title.includes('Former les élus'))!;
    expect(stored.status).toBe('validée');
    expect(stored.extra['Validée par']).toBe('Inès Caradec');
    expect(h.runtime.assistant.getFiche(stored.id)!.pilots[0]!.name).toBe('Hugo Lemaire');

    const update = h.connector.calls.find((c) => c.method === 'PUT')!;
    expect(update.activityId).toBe(posted.responseId);
    const updated = cardOf(update.body)!;
    expect(cardText(updated)).toMatch(/Fiche validée par Inès Caradec/);
    expect(submitData(updated)).toEqual([{ ptsm: 'fiche-export', draftId }]);
    const confirmation = h.connector.sent().at(-1)!;
    expect(String(confirmation.activity.text)).toMatch(/validée par Inès Caradec/);

    // A second click changes nothing.
    h.connector.reset();
    await second.post(cardSubmit(h.connector.url, INES, posted.responseId!, { ptsm: 'fiche-validate', draftId }, { kind: 'channel', root: thread.id }));
    expect(h.runtime.assistant.listFiches()).toHaveLength(before + 1);
    expect(String(h.connector.sent().at(-1)!.activity.text)).toMatch(/déjà été validée/);
  });

  it('Exporter from a channel opens the 1:1 chat, offers the Word file, and uploads it once accepted', async () => {
    const { posted, draftId, thread } = await draftAndPost();
    h.connector.reset();
    const res = await h.post(cardSubmit(h.connector.url, INES, posted.responseId!, { ptsm: 'fiche-export', draftId }, { kind: 'channel', root: thread.id }));
    expect(res.status).toBe(200);

    const create = h.connector.calls.find((c) => c.method === 'POST' && c.path === '/v3/conversations')!;
    expect(create.body).toMatchObject({ isGroup: false, members: [{ id: INES.id }], tenantId: TENANT });
    const newChat = create.responseId!;
    const consent = h.connector.sent().find((s) => s.conversationId === newChat)!;
    const attachment = (consent.activity.attachments as Array<{ contentType: string; name: string; content: { sizeInBytes: number; acceptContext: unknown } }>)[0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.teams.card.file.consent');
    expect(attachment.name).toMatch(/^former-les-elus-et-agents-municipaux.*\.docx$/);
    expect(attachment.content.sizeInBytes).toBeGreaterThan(1000);
    const notice = h.connector.sent().find((s) => s.conversationId === `${CHANNEL.id};messageid=${thread.id}`)!;
    expect(String(notice.activity.text)).toMatch(/conversation privée/);

    // The user accepts: Teams gives an upload URL (OneDrive), the bot uploads and posts the file card.
    h.connector.reset();
    const accept = fileConsent(h.connector.url, INES, consent.responseId!, 'accept', attachment.content.acceptContext, `${h.connector.url}upload/session-42`);
    const acc = await h.post(accept);
    expect(acc.status).toBe(200);
    const upload = h.connector.uploads[0]!;
    expect(upload.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(upload.bytes.length).toBe(attachment.content.sizeInBytes);
    expect(upload.headers['content-range']).toBe(`bytes 0-${upload.bytes.length - 1}/${upload.bytes.length}`);
    const info = h.connector.sent().find((s) => (s.activity.attachments as Array<{ contentType: string }> | undefined)?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.info')!;
    expect(info.conversationId).toBe(personalConversationId(INES));
    expect(h.connector.calls.some((c) => c.method === 'PUT' && c.activityId === consent.responseId)).toBe(true);
  });

  it('truncates a thread of 1,000 replies with a note, and still drafts', async () => {
    const res = await h.post(fetchTask(h.connector.url, INES, hugeThread(1000)));
    expect(res.status).toBe(200);
    const value = (res.body as TaskResponse).task.value as { card: { content: Record<string, unknown> } };
    expect(cardText(value.card.content)).toMatch(/Conversation très longue : j'ai lu le premier message et les 199 réponses les plus récentes \(sur 1001 messages\)/);
    const seen = h.drafted[0]!;
    expect(seen.messages).toHaveLength(200);
    expect(seen.messages[0]!.text).toMatch(/accueil des personnes en crise/);
    expect(seen.messages.at(-1)!.text).toMatch(/^Réponse 1000 /);
    expect(h.logs.some((l) => l.msg === 'teams thread truncated for drafting' && l.total === 1001)).toBe(true);
  });

  it('answers an empty message with a dialog message, not an error', async () => {
    const thread = { ...psssmThread(), replies: [], body: { contentType: 'html' as const, content: '<p> </p>' } };
    const res = await h.post(fetchTask(h.connector.url, INES, thread));
    expect(res.status).toBe(200);
    expect((res.body as TaskResponse).task).toEqual({ type: 'message', value: expect.stringMatching(/ne contient pas de texte/) });
  });
});
