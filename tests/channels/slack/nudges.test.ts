import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtsmError } from '../../../src/core/errors.js';
import { buildDigest, COORDINATOR, nudgeActions, renderNudgeText, type NudgeMessage, type Recipient } from '../../../src/milestones/index.js';
import type { RecordedCall } from './fake-slack-api.js';
import { ASSISTANT_NOW, startHarness, type Harness } from './harness.js';
import { blockAction, sendPayload, viewSubmission } from './slack-requests.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

const INES: Recipient = { id: 'ines-caradec', name: 'Inès Caradec', organisation: 'GEM La Boussole', role: 'pilot', slack: 'U03INES' };
const milestones = () => h.runtime.assistant.milestonesOf({ platform: 'slack', id: 'U03INES' });
const milestone = (label: string) => milestones().find((m) => m.label.startsWith(label))!;

let seq = 0;
function nudgeFor(label: string): NudgeMessage {
  const m = milestone(label);
  const text = renderNudgeText({ recipientName: 'Inès Caradec', milestone: m.label, ficheNumber: m.ficheNumber, ficheId: m.ficheId, ficheTitle: m.ficheTitle, dueText: m.dueText, due: m.due!, daysLeft: 7 });
  return {
    key: `nudge-${++seq}-${m.id}`, kind: 'J-7', milestoneId: m.id, ficheId: m.ficheId, ficheNumber: m.ficheNumber, ficheTitle: m.ficheTitle,
    milestone: m.label, dueText: m.dueText, due: m.due!, daysLeft: 7, text, actions: nudgeActions(m.id), delivery: { attempt: 1, resumed: false },
  };
}

type Block = { type: string; elements?: Array<{ action_id?: string; value?: string; text?: unknown }>; text?: { text: string } };
const blocks = (c: RecordedCall): Block[] => c.body['blocks'] as Block[];
const tsOf = (c: RecordedCall): string => String(c.response?.['ts']);

async function sendNudge(label: string): Promise<{ nudge: NudgeMessage; post: RecordedCall }> {
  const nudge = nudgeFor(label);
  await h.slack.notifier.sendNudge(nudge, INES);
  const post = h.fake.callsTo('chat.postMessage').at(-1)!;
  return { nudge, post };
}

describe('Slack reminders', () => {
  it('sends a nudge as a DM with Fait / Reporter / Besoin d’aide carrying the milestone id', async () => {
    const { nudge, post } = await sendNudge('Recrutement');
    expect(post.body['channel']).toBe('U03INES');
    expect(post.body['text']).toBe(nudge.text);
    const buttons = blocks(post).find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual(['ptsm_nudge_fait', 'ptsm_nudge_reporter', 'ptsm_nudge_aide']);
    expect(buttons.every((b) => b.value === nudge.milestoneId)).toBe(true);
    expect(buttons.map((b) => (b.text as { text: string }).text)).toEqual(['Fait', 'Reporter', "Besoin d'aide"]);
  });

  it('does not send a resumed nudge twice', async () => {
    const nudge = nudgeFor('Premier bilan');
    await h.slack.notifier.sendNudge(nudge, INES);
    const count = h.fake.callsTo('chat.postMessage').length;
    await h.slack.notifier.sendNudge({ ...nudge, delivery: { attempt: 2, resumed: true } }, INES);
    expect(h.fake.callsTo('chat.postMessage').length).toBe(count);
  });

  it('Fait marks the milestone done and turns the message into the confirmation', async () => {
    const { nudge, post } = await sendNudge('Recrutement');
    const res = await sendPayload(h.url, blockAction({ actionId: 'ptsm_nudge_fait', value: nudge.milestoneId, user: 'U03INES', channel: 'D03INES', messageTs: tsOf(post), text: nudge.text, responseUrl: h.fake.responseUrl('fait') }));
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.body['ts'] === tsOf(post));
    expect(update.body['channel']).toBe('D03INES');
    expect(blocks(update).some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(blocks(update))).toContain('est noté comme fait');
    expect(JSON.stringify(blocks(update))).toContain('petit rappel');
    expect(h.runtime.assistant.milestonesOf({ platform: 'slack', id: 'U03INES' }).find((m) => m.id === nudge.milestoneId)!.status).toBe('fait');
  });

  it('Reporter opens a modal with a date picker and a free-text field; the submission moves the due date', async () => {
    const { nudge, post } = await sendNudge('Premier bilan');
    await sendPayload(h.url, blockAction({ actionId: 'ptsm_nudge_reporter', value: nudge.milestoneId, user: 'U03INES', channel: 'D03INES', messageTs: tsOf(post), text: nudge.text, responseUrl: h.fake.responseUrl('rep') }));
    const open = await h.fake.waitFor((c) => c.method === 'views.open' && (c.body['view'] as { callback_id: string }).callback_id === 'ptsm_nudge_reporter_modal');
    const view = open.body['view'] as { private_metadata: string; blocks: Array<{ type: string; block_id?: string; element?: { type: string } }> };
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => [b.block_id, b.element!.type])).toEqual([['date', 'datepicker'], ['texte', 'plain_text_input']]);
    expect(JSON.stringify(view.blocks)).toContain('Premier bilan');

    // Words the core cannot read: the error shows under the field, the modal stays open.
    const bad = await sendPayload(h.url, viewSubmission({ callbackId: 'ptsm_nudge_reporter_modal', user: 'U03INES', privateMetadata: view.private_metadata, values: { date: { value: { type: 'datepicker', selected_date: null } }, texte: { value: { type: 'plain_text_input', value: 'quand on pourra' } } } }));
    const errors = JSON.parse(bad.text) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe('errors');
    expect(errors.errors['texte']).toMatch(/compris/);

    const ok = await sendPayload(h.url, viewSubmission({ callbackId: 'ptsm_nudge_reporter_modal', user: 'U03INES', privateMetadata: view.private_metadata, values: { date: { value: { type: 'datepicker', selected_date: null } }, texte: { value: { type: 'plain_text_input', value: 'fin septembre' } } } }));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const m = milestones().find((x) => x.id === nudge.milestoneId)!;
    expect(m.status).toBe('reporté');
    expect(m.due).toBe('2026-09-30');
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.body['ts'] === tsOf(post));
    expect(JSON.stringify(blocks(update))).toContain('30/09/2026');
  });

  it('Reporter with a date from the picker', async () => {
    const { nudge, post } = await sendNudge('Premier bilan');
    const meta = JSON.stringify({ milestoneId: nudge.milestoneId, channel: 'D03INES', ts: tsOf(post), text: nudge.text });
    const ok = await sendPayload(h.url, viewSubmission({ callbackId: 'ptsm_nudge_reporter_modal', user: 'U03INES', privateMetadata: meta, values: { date: { value: { type: 'datepicker', selected_date: '2027-03-15' } }, texte: { value: { type: 'plain_text_input', value: null } } } }));
    expect(ok.text).toBe('');
    expect(milestones().find((x) => x.id === nudge.milestoneId)!.due).toBe('2027-03-15');
  });

  it("Besoin d'aide is recorded and confirmed", async () => {
    const { nudge, post } = await sendNudge('Premier bilan');
    await sendPayload(h.url, blockAction({ actionId: 'ptsm_nudge_aide', value: nudge.milestoneId, user: 'U03INES', channel: 'D03INES', messageTs: tsOf(post), text: nudge.text, responseUrl: h.fake.responseUrl('aide') }));
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.body['ts'] === tsOf(post));
    expect(JSON.stringify(blocks(update))).toContain('coordination est prévenue');
  });

  it('an answer the core refuses is told privately and the buttons stay', async () => {
    await sendPayload(h.url, blockAction({ actionId: 'ptsm_nudge_fait', value: 'fa-99#inconnu', user: 'U03INES', channel: 'D03INES', messageTs: '1.2', text: 'x', responseUrl: h.fake.responseUrl('unknown-ms') }));
    const told = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('unknown-ms'));
    expect(String(told.body['text'])).toContain('introuvable');
    expect(h.fake.callsTo('chat.update').some((c) => c.body['ts'] === '1.2')).toBe(false);
  });

  it('sends the digest and alerts to the coordination channel', async () => {
    const digest = buildDigest(h.runtime.db, { now: ASSISTANT_NOW, directory: h.runtime.directory });
    await h.slack.notifier.sendDigest(digest, COORDINATOR);
    const post = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(post.body['channel']).toBe('C09COORD');
    expect(blocks(post)[0]!.type).toBe('header');
    expect(String(post.body['text'])).toContain('Synthèse des échéances');
    await h.slack.notifier.sendCoordinatorAlert({ key: 'a1', kind: 'besoin-aide', milestoneId: null, ficheId: null, text: 'Inès Caradec a besoin d’aide.', details: {} });
    expect(h.fake.callsTo('chat.postMessage').at(-1)!.body).toMatchObject({ channel: 'C09COORD', text: 'Inès Caradec a besoin d’aide.' });
  });

  it('throws when Slack refuses (so the scheduler retries), and when the pilot has no Slack id', async () => {
    h.fake.fail('chat.postMessage', 500, 3); // first try + 2 retries
    const err = await h.slack.notifier.sendNudge(nudgeFor('Premier bilan'), INES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PtsmError);
    expect((err as PtsmError).code).toBe('NOTIFIER_FAILED');
    expect((err as PtsmError).message).toContain('HTTP 500');
    await expect(h.slack.notifier.sendNudge(nudgeFor('Premier bilan'), { ...INES, slack: undefined })).rejects.toThrow(/aucun identifiant Slack/);
    // The next delivery goes through.
    await h.slack.notifier.sendNudge(nudgeFor('Premier bilan'), INES);
  });
});
