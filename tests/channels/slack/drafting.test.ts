import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from './fake-slack-api.js';
import { startHarness, type Harness } from './harness.js';
import { blockAction, messageShortcut, nextTs, sendPayload, viewSubmission } from './slack-requests.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: Array<{ action_id?: string; value?: string; text?: unknown }> };
const CH = 'C05SOINS';
const tsOf = (c: RecordedCall): string => String(c.response?.['ts']);

/** A working-group thread, long enough to need several pages of conversations.replies. */
function seedThread(): string {
  const root = nextTs();
  h.fake.setThread(CH, [
    { ts: root, user: 'U01MARIE', text: 'Je propose une fiche sur l’accès aux soins somatiques des personnes suivies en CMP.' },
    { ts: nextTs(), user: 'U02PAUL', text: 'Aujourd’hui, la moitié des patients suivis en CMP n’ont pas de médecin traitant.' },
    { ts: nextTs(), user: 'U02PAUL', text: 'Je veux bien piloter, avec la CPTS du Val d’Orme en partenaire. Lancement au T2 2026.' },
    { ts: nextTs(), user: 'U01MARIE', text: '<@U02PAUL> parfait. Indicateur : nombre de bilans somatiques réalisés (cible : 200 par an).' },
    { ts: nextTs(), user: 'U01MARIE', text: 'Financement : crédits FIR, 30 000 € par an.' },
  ]);
  return root;
}

function draftPosts(root: string): RecordedCall[] {
  return h.fake.callsTo('chat.postMessage').filter((c) => c.body['channel'] === CH && c.body['thread_ts'] === root);
}

function buttonsOf(c: RecordedCall): Array<{ action_id?: string; value?: string }> {
  return (c.body['blocks'] as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

async function draft(): Promise<{ root: string; post: RecordedCall; draftId: string }> {
  const root = seedThread();
  const res = await sendPayload(h.url, messageShortcut({ user: 'U01MARIE', channel: CH, messageTs: root, responseUrl: h.fake.responseUrl(`sc-${root}`) }));
  expect(res.status).toBe(200);
  const post = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] === root && buttonsOf(c).length > 0);
  const draftId = buttonsOf(post)[0]!.value!;
  return { root, post, draftId };
}

describe('Slack: drafting a fiche action from a thread', () => {
  it('reads the whole thread page by page, resolves names once, and posts the draft with three buttons', async () => {
    h.fake.pageSize = 2;
    const usersBefore = h.fake.callsTo('users.info').length;
    const repliesBefore = h.fake.callsTo('conversations.replies').length;
    const { root, post } = await draft();
    const replies = h.fake.callsTo('conversations.replies').slice(repliesBefore);
    expect(replies).toHaveLength(3);
    expect(replies[0]!.body['cursor']).toBeUndefined();
    expect(replies[1]!.body['cursor']).toBeTruthy();
    expect(replies[2]!.body['cursor']).toBeTruthy();
    // Two people in the thread: two lookups, whatever the number of messages and mentions.
    expect(h.fake.callsTo('users.info').slice(usersBefore).map((c) => c.body['user']).sort()).toEqual(['U01MARIE', 'U02PAUL']);
    const text = draftPosts(root).map((c) => JSON.stringify(c.body['blocks'])).join('\n');
    expect(text).toContain('Brouillon'.slice(0, 5));
    expect(text).toContain('Paul Martin');
    expect(text).toContain('T2 2026');
    expect(text).toContain('Nombre de bilans somatiques réalisés');
    // Provenance reads as people and times, not Slack timestamps.
    expect(text).toMatch(/source[s]? : (Dr Paul Martin|Marie Durand), \d\d\/\d\d \d\d:\d\d/);
    expect(buttonsOf(post).map((b) => b.action_id)).toEqual(['ptsm_fiche_validate', 'ptsm_fiche_edit', 'ptsm_fiche_export']);
    const ack = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(`sc-${root}`));
    expect(String(ack.body['text'])).toContain('brouillon');
    h.fake.pageSize = 200;
  });

  it('Valider stores the fiche in the registry and turns the buttons into a confirmation; a second click changes nothing', async () => {
    const { root, post, draftId } = await draft();
    const res = await sendPayload(h.url, blockAction({ actionId: 'ptsm_fiche_validate', value: draftId, user: 'U02PAUL', channel: CH, messageTs: tsOf(post), threadTs: root, responseUrl: h.fake.responseUrl(`v-${draftId}`) }));
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && JSON.stringify(c.body['blocks']).includes('Fiche validée'));
    expect(JSON.stringify(update.body['blocks'])).toContain('Dr Paul Martin');
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual(['ptsm_fiche_export']);
    const stored = h.runtime.assistant.listFiches().filter((f) => f.title.includes('soins somatiques'));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('validée');
    expect(h.runtime.assistant.getFiche(stored[0]!.id)?.pilots.map((p) => p.name)).toContain('Dr Paul Martin');

    await sendPayload(h.url, blockAction({ actionId: 'ptsm_fiche_validate', value: draftId, user: 'U02PAUL', channel: CH, messageTs: 'x', threadTs: root, responseUrl: h.fake.responseUrl(`v2-${draftId}`) }));
    const again = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(`v2-${draftId}`));
    expect(String(again.body['text'])).toContain('déjà validée');
    expect(h.runtime.assistant.listFiches().filter((f) => f.title.includes('soins somatiques'))).toHaveLength(1);
  });

  it('Modifier opens a modal; its submission updates the draft and the message in place', async () => {
    const { root, post, draftId } = await draft();
    await sendPayload(h.url, blockAction({ actionId: 'ptsm_fiche_edit', value: draftId, user: 'U01MARIE', channel: CH, messageTs: tsOf(post), threadTs: root, responseUrl: h.fake.responseUrl('e1') }));
    const open = await h.fake.waitFor((c) => c.method === 'views.open' && String((c.body['view'] as { private_metadata?: string }).private_metadata).includes(draftId));
    const view = open.body['view'] as { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string; element?: { type: string; initial_value?: string } }> };
    expect(view.callback_id).toBe('ptsm_fiche_edit_modal');
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual(expect.arrayContaining(['f_title', 'f_pilots', 'f_partners', 'f_milestones', 'f_indicators']));
    expect(inputs.every((b) => b.element!.type === 'plain_text_input')).toBe(true);
    const initial = Object.fromEntries(inputs.map((b) => [b.block_id!, b.element!.initial_value ?? '']));
    expect(initial['f_milestones']).toContain('T2 2026');

    const values: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [id, v] of Object.entries(initial)) values[id] = { value: { type: 'plain_text_input', value: v || null } };
    values['f_title'] = { value: { type: 'plain_text_input', value: 'Soins somatiques des patients suivis en CMP' } };
    values['f_milestones'] = { value: { type: 'plain_text_input', value: `${initial['f_milestones']}\nPremier bilan : fin septembre 2027` } };
    values['f_partners'] = { value: { type: 'plain_text_input', value: 'CPTS du Val d’Orme\nDélégation UNAFAM' } };
    const res = await sendPayload(h.url, viewSubmission({ callbackId: 'ptsm_fiche_edit_modal', user: 'U01MARIE', privateMetadata: view.private_metadata, values }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.body['ts'] === tsOf(post) && JSON.stringify(c.body['blocks']).includes('Soins somatiques des patients suivis en CMP'));
    const text = JSON.stringify(update.body['blocks']);
    expect(text).toContain('Premier bilan');
    expect(text).toContain('30/09/2027');
    expect(text).toContain('Délégation UNAFAM');
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual(['ptsm_fiche_validate', 'ptsm_fiche_edit', 'ptsm_fiche_export']);
  });

  it('refuses an empty title in the modal with a French error under the field', async () => {
    const { draftId } = await draft();
    const res = await sendPayload(h.url, viewSubmission({
      callbackId: 'ptsm_fiche_edit_modal', user: 'U01MARIE', privateMetadata: JSON.stringify({ draftId }),
      values: { f_title: { value: { type: 'plain_text_input', value: '  ' } } },
    }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ response_action: 'errors', errors: { f_title: "L'intitulé de la fiche est obligatoire." } });
  });

  it('Exporter en DOCX uploads the file into the thread (getUploadURLExternal, upload, completeUploadExternal)', async () => {
    const { root, post, draftId } = await draft();
    await sendPayload(h.url, blockAction({ actionId: 'ptsm_fiche_export', value: draftId, user: 'U01MARIE', channel: CH, messageTs: tsOf(post), threadTs: root, responseUrl: h.fake.responseUrl('x1') }));
    const complete = await h.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.body['thread_ts'] === root);
    expect(complete.body['channel_id']).toBe(CH);
    const files = complete.body['files'] as Array<{ id: string }>;
    const url = h.fake.callsTo('files.getUploadURLExternal').find((c) => String(c.body['filename']).endsWith('.docx'))!;
    expect(Number(url.body['length'])).toBeGreaterThan(1000);
    const upload = h.fake.callsTo('upload').find((c) => String(c.body['path']).endsWith(files[0]!.id))!;
    // A DOCX is a zip: its bytes start with "PK" somewhere in the multipart body.
    expect(upload.raw!.includes(Buffer.from('PK\u0003\u0004', 'latin1'))).toBe(true);
  });

  it('buttons still work after a restart (the draft lives in SQLite)', async () => {
    const { root, post, draftId } = await draft();
    await h.restart();
    await sendPayload(h.url, blockAction({ actionId: 'ptsm_fiche_validate', value: draftId, user: 'U01MARIE', channel: CH, messageTs: tsOf(post), threadTs: root, responseUrl: h.fake.responseUrl('r1') }));
    await h.fake.waitFor((c) => c.method === 'chat.update' && c.body['ts'] === tsOf(post) && JSON.stringify(c.body['blocks']).includes('Fiche validée'));
  });

  it('warns the author privately when the thread looks like it names a patient', async () => {
    const root = nextTs();
    h.fake.setThread(CH, [
      { ts: root, user: 'U01MARIE', text: 'Fiche sur le retour à domicile après hospitalisation.' },
      { ts: nextTs(), user: 'U02PAUL', text: 'Exemple : Mme Lefort est hospitalisée depuis mars, née le 12/04/1961.' },
    ]);
    await sendPayload(h.url, messageShortcut({ user: 'U01MARIE', channel: CH, messageTs: root, responseUrl: h.fake.responseUrl(`pii-${root}`) }));
    const warning = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(`pii-${root}`) && String(c.body['text']).startsWith('Attention'));
    expect(warning.body['response_type']).toBe('ephemeral');
  });

  it('says so in French when the bot is not in the channel', async () => {
    h.fake.refuse('conversations.replies', 'not_in_channel');
    const root = nextTs();
    await sendPayload(h.url, messageShortcut({ user: 'U01MARIE', channel: 'C06PRIVE', messageTs: root, responseUrl: h.fake.responseUrl('nic') }));
    const msg = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('/nic') && String(c.body['text']).includes('invitez-moi'));
    expect(msg.body['response_type']).toBe('ephemeral');
    h.fake.refuse('conversations.replies', null);
  });
});
