import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPtsmError } from '../../../src/core/errors.js';
import {
  DEFAULT_PLAN, getMilestone, listMilestones, nudgeActions, renderNudgeText, tick, type MilestoneView, type NudgeMessage, type Recipient,
} from '../../../src/milestones/index.js';
import { BOT, CLAIRE, HUGO, INES, TEAM, TENANT, botAdded, cardSubmit, installationUpdate, message, personalConversationId } from './activities.js';
import { cardOf, cardText, startHarness, submitData, type Harness } from './harness.js';

const NOW = '2026-06-23T08:00:00.000Z'; // a Tuesday, 10:00 in Paris: J-7 of "T2 2026"
const clock = () => new Date(NOW);
const RECRUTEMENT = 'fa-4#recrutement-de-deux-mediateurs';

function nudgeFor(m: MilestoneView, name: string, key = `${m.id}:test:${Math.random()}`): NudgeMessage {
  return {
    key, kind: 'J-7', milestoneId: m.id, ficheId: m.ficheId, ficheNumber: m.ficheNumber, ficheTitle: m.ficheTitle,
    milestone: m.label, dueText: m.dueText, due: m.due!, daysLeft: 7,
    text: renderNudgeText({ recipientName: name, milestone: m.label, ficheNumber: m.ficheNumber, ficheId: m.ficheId, ficheTitle: m.ficheTitle, dueText: m.dueText, due: m.due!, daysLeft: 7 }),
    actions: nudgeActions(m.id), delivery: { attempt: 1, resumed: false },
  };
}

describe('Teams reminders (TeamsNotifier)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ clock, env: { TEAMS_DIGEST_CONVERSATION: TEAM.id } }); });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.connector.reset(); });

  const milestone = (id: string) => listMilestones(h.runtime.db, { now: NOW }).find((m) => m.id === id)!;
  const recipientOf = (ficheNumber: number): Recipient => {
    h.runtime.directory.refresh();
    const fiche = h.runtime.assistant.listFiches().find((f) => f.number === ficheNumber)!;
    const r = h.runtime.directory.resolvePilot(fiche.pilots[0]!);
    if (r.status !== 'linked') throw new Error(`pilot of fiche ${ficheNumber} not linked: ${r.reason}`);
    return r.recipient;
  };

  it('the scheduler nudges a pilot who wrote to the bot in their 1:1 chat; "Fait" closes the milestone and updates the card', async () => {
    await h.post(message(h.connector.url, INES, 'bonjour'));
    await h.post(botAdded(h.connector.url, CLAIRE, 'team'));
    h.connector.reset();
    const result = await tick({ db: h.runtime.db, notifier: h.notifier, directory: h.runtime.directory, clock, plan: DEFAULT_PLAN, logger: h.logger, sleep: async () => {}, backoffMs: 0 });
    expect(result.sent.map((s) => s.key)).toEqual([`${RECRUTEMENT}:J-7:2026-06-30`]);

    const nudge = h.connector.sent().find((s) => s.conversationId === personalConversationId(INES))!;
    expect(nudge.activityId).toBeNull(); // a new message, not a reply
    const card = cardOf(nudge.activity)!;
    expect(cardText(card)).toMatch(/Bonjour Inès Caradec, petit rappel : l'échéance « Recrutement de deux médiateurs » \(FA 4/);
    expect(submitData(card)).toEqual([
      { ptsm: 'nudge', action: 'fait', milestoneId: RECRUTEMENT },
      { ptsm: 'nudge', action: 'reporter', milestoneId: RECRUTEMENT },
      { ptsm: 'nudge', action: 'aide', milestoneId: RECRUTEMENT },
    ]);
    const reporter = (card.actions as Array<Record<string, unknown>>).find((a) => a.type === 'Action.ShowCard')!;
    const inputs = ((reporter.card as { body: Array<{ type: string; id: string }> }).body).map((b) => [b.type, b.id]);
    expect(inputs).toEqual([['Input.Date', 'newDue'], ['Input.Text', 'newDueText']]);
    // The weekly digest of that Monday went to the coordination's channel.
    const digest = h.connector.sent().find((s) => s.conversationId === TEAM.id)!;
    expect(cardText(cardOf(digest.activity))).toMatch(/Synthèse des échéances — semaine du/);

    h.connector.reset();
    const res = await h.post(cardSubmit(h.connector.url, INES, nudge.responseId!, { ptsm: 'nudge', action: 'fait', milestoneId: RECRUTEMENT }));
    expect(res.status).toBe(200);
    expect(getMilestone(h.runtime.db, RECRUTEMENT, NOW)!.status).toBe('fait');
    const update = h.connector.calls.find((c) => c.method === 'PUT')!;
    expect(update.activityId).toBe(nudge.responseId);
    expect(cardText(cardOf(update.body))).toMatch(/est noté comme fait/);
    expect(submitData(cardOf(update.body))).toEqual([]);
  });

  it('"Reporter" takes a date typed in words ("fin septembre") or picked in the calendar', async () => {
    await h.post(message(h.connector.url, INES, 'bonjour'));
    const bilan = milestone('fa-4#premier-bilan');
    await h.notifier.sendNudge(nudgeFor(bilan, 'Inès Caradec'), recipientOf(4));
    const cardId = h.connector.sent().at(-1)!.responseId!;

    await h.post(cardSubmit(h.connector.url, INES, cardId, { ptsm: 'nudge', action: 'reporter', milestoneId: bilan.id, newDue: '', newDueText: 'fin septembre' }));
    expect(getMilestone(h.runtime.db, bilan.id, NOW)).toMatchObject({ due: '2026-09-30', status: 'reporté' });

    await h.post(cardSubmit(h.connector.url, INES, cardId, { ptsm: 'nudge', action: 'reporter', milestoneId: bilan.id, newDue: '2026-11-15', newDueText: '' }));
    expect(getMilestone(h.runtime.db, bilan.id, NOW)!.due).toBe('2026-11-15');

    // No date at all: the card stays, the pilot is asked for one.
    h.connector.reset();
    await h.post(cardSubmit(h.connector.url, INES, cardId, { ptsm: 'nudge', action: 'reporter', milestoneId: bilan.id, newDue: '', newDueText: '' }));
    expect(h.connector.calls.some((c) => c.method === 'PUT')).toBe(false);
    expect(String(h.connector.sent().at(-1)!.activity.text)).toMatch(/Indiquez la nouvelle date/);
  });

  it('opens a 1:1 chat for a pilot only seen in a channel, then reuses it', async () => {
    await h.post(message(h.connector.url, HUGO, 'Que veut dire CLSM ?', { kind: 'channel' }));
    h.connector.reset();
    const places = milestone('fa-7#ouverture-des-places');
    await h.notifier.sendNudge(nudgeFor(places, 'Hugo Lemaire'), recipientOf(7));

    const create = h.connector.calls.find((c) => c.method === 'POST' && c.path === '/v3/conversations')!;
    expect(create.body).toMatchObject({ isGroup: false, bot: { id: BOT.id }, members: [{ id: HUGO.id }], tenantId: TENANT, channelData: { tenant: { id: TENANT } } });
    const sent = h.connector.sent().at(-1)!;
    expect(sent.conversationId).toBe(create.responseId);
    expect(cardText(cardOf(sent.activity))).toMatch(/Bonjour Hugo Lemaire/);

    h.connector.reset();
    await h.notifier.sendNudge(nudgeFor(places, 'Hugo Lemaire'), recipientOf(7));
    expect(h.connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(0);
    expect(h.connector.sent().at(-1)!.conversationId).toBe(create.responseId);
  });

  it('remembers a person who installs the app, and reaches them without their writing first', async () => {
    await h.post(installationUpdate(h.connector.url, CLAIRE, 'add'));
    h.runtime.directory.refresh();
    const learned = h.runtime.directory.entries().find((e) => e.name === 'Claire Vidal')!;
    expect(learned.teams).toBe(CLAIRE.aadObjectId);
    expect(learned.teamsConversationRef).toMatchObject({ conversation: { id: personalConversationId(CLAIRE) }, serviceUrl: h.connector.url });

    const claire: Recipient = { id: 'vidal claire', name: 'Claire Vidal', organisation: null, role: 'pilot', teams: CLAIRE.aadObjectId };
    await h.notifier.sendNudge(nudgeFor(milestone('fa-4#premier-bilan'), 'Claire Vidal'), claire);
    expect(h.connector.sent().at(-1)!.conversationId).toBe(personalConversationId(CLAIRE));
    expect(h.connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(0);
  });

  it('sends a nudge key once, even when the scheduler resumes it', async () => {
    await h.post(message(h.connector.url, INES, 'bonjour'));
    h.connector.reset();
    const n = nudgeFor(milestone('fa-4#premier-bilan'), 'Inès Caradec', 'resumed-key');
    await h.notifier.sendNudge(n, recipientOf(4));
    await h.notifier.sendNudge({ ...n, delivery: { attempt: 2, resumed: true } }, recipientOf(4));
    expect(h.connector.sent().filter((s) => s.conversationId === personalConversationId(INES))).toHaveLength(1);
  });

  it('throws NOTIFIER_FAILED, in French, for someone Teams never saw', async () => {
    const stranger: Recipient = { id: 'martin paul', name: 'Dr Paul Martin', organisation: null, role: 'pilot', teams: '29:unknown' };
    const err = await h.notifier.sendNudge(nudgeFor(milestone('fa-4#premier-bilan'), 'Dr Paul Martin'), stranger).catch((e: unknown) => e);
    expect(isPtsmError(err) && err.code).toBe('NOTIFIER_FAILED');
    expect((err as Error).message).toMatch(/Impossible de joindre Dr Paul Martin sur Teams/);
    expect(h.connector.calls).toHaveLength(0);
  });

  it('posts coordinator alerts to the configured conversation', async () => {
    await h.post(botAdded(h.connector.url, CLAIRE, 'team'));
    h.connector.reset();
    await h.notifier.sendCoordinatorAlert({ key: 'a1', kind: 'besoin-aide', milestoneId: RECRUTEMENT, ficheId: 'fa-4', text: "Inès Caradec a besoin d'aide pour « Recrutement de deux médiateurs ».", details: {} });
    const sent = h.connector.sent()[0]!;
    expect(sent.conversationId).toBe(TEAM.id);
    expect(cardText(cardOf(sent.activity))).toMatch(/besoin d'aide pour « Recrutement/);
  });

  it('retries a throttled or failing connector (SDK backoff), then throws so the scheduler retries later', async () => {
    await h.post(message(h.connector.url, INES, 'bonjour'));
    const bilan = milestone('fa-4#premier-bilan');
    h.connector.reset();
    h.connector.fail({ status: 429, times: 100, retryAfterSeconds: 0 });
    const err = await h.notifier.sendNudge(nudgeFor(bilan, 'Inès Caradec'), recipientOf(4)).catch((e: unknown) => e);
    expect(isPtsmError(err) && err.code).toBe('NOTIFIER_FAILED');
    expect((err as Error).message).toMatch(/Envoi Teams à Inès Caradec impossible/);
    expect(h.connector.calls.filter((c) => c.status === 429)).toHaveLength(4); // 1 try + 3 retries

    h.connector.reset();
    h.connector.fail({ status: 500, times: 1 });
    await h.notifier.sendNudge(nudgeFor(bilan, 'Inès Caradec'), recipientOf(4));
    expect(h.connector.calls.map((c) => c.status)).toEqual([500, 200]);
  });
});

describe('Teams reminders without a coordination conversation', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ clock }); });
  afterAll(async () => { await h.close(); });

  it('refuses the digest with a French message naming TEAMS_DIGEST_CONVERSATION', async () => {
    const err = await h.notifier.sendCoordinatorAlert({ key: 'a2', kind: 'sans-pilote', milestoneId: null, ficheId: null, text: 'x', details: {} }).catch((e: unknown) => e);
    expect(isPtsmError(err) && err.input).toBe('TEAMS_DIGEST_CONVERSATION');
    expect((err as Error).message).toMatch(/aucune conversation de coordination configurée/);
  });
});

describe('Teams references stored by the botbuilder version', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ clock, env: { TEAMS_DIGEST_CONVERSATION: TEAM.id } }); });
  afterAll(async () => { await h.close(); });

  /** A 1:1 and a channel reference exactly as botbuilder's TurnContext.getConversationReference saved them (the bot under `bot`). */
  const legacyPersonal = () => ({
    activityId: '1775030000999', user: { id: INES.id, name: INES.name, aadObjectId: INES.aadObjectId }, bot: { id: BOT.id, name: BOT.name },
    conversation: { conversationType: 'personal', tenantId: TENANT, id: personalConversationId(INES) }, channelId: 'msteams', locale: 'fr-FR', serviceUrl: h.connector.url,
  });
  const legacyChannel = () => ({
    bot: { id: BOT.id, name: BOT.name }, conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: TEAM.id }, channelId: 'msteams', locale: 'fr-FR', serviceUrl: h.connector.url,
  });
  const storeLegacy = () => {
    h.runtime.db.prepare(`INSERT OR REPLACE INTO teams_users (key, teams_id, aad_object_id, name, tenant_id, service_url, bot_json, personal_ref_json, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(INES.aadObjectId, INES.id, INES.aadObjectId, INES.name, TENANT, h.connector.url, JSON.stringify({ id: BOT.id, name: BOT.name }), JSON.stringify(legacyPersonal()), NOW);
    h.runtime.db.prepare('INSERT OR REPLACE INTO teams_refs (id, kind, name, ref_json, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(TEAM.id, 'channel', 'PTSM Vallée-Basse', JSON.stringify(legacyChannel()), NOW);
  };
  const recipient: Recipient = { id: 'caradec ines', name: 'Inès Caradec', organisation: null, role: 'pilot', teams: INES.aadObjectId };

  it('nudges through an old-shape 1:1 reference: a new message from the bot in that chat, with Fait / Reporter / Besoin d\'aide', async () => {
    storeLegacy();
    h.connector.reset();
    const bilan = listMilestones(h.runtime.db, { now: NOW }).find((m) => m.id === 'fa-4#premier-bilan')!;
    await h.notifier.sendNudge(nudgeFor(bilan, 'Inès Caradec'), recipient);
    const sent = h.connector.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(personalConversationId(INES));
    expect(sent[0]!.activityId).toBeNull(); // not a reply to the message the reference was taken from
    expect(sent[0]!.activity.from).toMatchObject({ id: BOT.id, name: BOT.name });
    expect(sent[0]!.activity.recipient).toMatchObject({ id: INES.id });
    expect(submitData(cardOf(sent[0]!.activity)).map((d) => d.action)).toEqual(['fait', 'reporter', 'aide']);
  });

  it('rewrites old-shape references into the SDK\'s shape at start, and the coordination still gets its alerts', async () => {
    storeLegacy();
    const second = await h.restart();
    const user = h.runtime.db.prepare('SELECT personal_ref_json FROM teams_users WHERE key = ?').get(INES.aadObjectId) as { personal_ref_json: string };
    const team = h.runtime.db.prepare('SELECT ref_json FROM teams_refs WHERE id = ?').get(TEAM.id) as { ref_json: string };
    for (const json of [user.personal_ref_json, team.ref_json]) {
      const ref = JSON.parse(json) as Record<string, unknown>;
      expect(ref.bot).toBeUndefined();
      expect(ref.agent).toEqual({ id: BOT.id, name: BOT.name });
    }
    expect(JSON.parse(user.personal_ref_json)).toMatchObject({ user: { id: INES.id }, conversation: { id: personalConversationId(INES) }, serviceUrl: h.connector.url });
    expect(h.logs.some((l) => l.msg === 'teams conversation references migrated to the Agents SDK shape' && l.count === 2)).toBe(true);
    await second.close();

    h.connector.reset();
    await h.notifier.sendCoordinatorAlert({ key: 'a-legacy', kind: 'besoin-aide', milestoneId: RECRUTEMENT, ficheId: 'fa-4', text: "Inès Caradec a besoin d'aide pour « Recrutement de deux médiateurs ».", details: {} });
    const alert = h.connector.sent()[0]!;
    expect(alert.conversationId).toBe(TEAM.id);
    expect(alert.activity.from).toMatchObject({ id: BOT.id });
  });
});
