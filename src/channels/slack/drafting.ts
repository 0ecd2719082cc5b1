import type { App, BlockButtonAction, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import type { Fiche, FicheDraft } from '../../core/fiche.js';
import { describeError } from '../../core/errors.js';
import { looksLikePatientData } from '../../core/privacy.js';
import { escapeMrkdwn, renderFicheBlocks, type SlackMessage } from '../../fiches/render/index.js';
import { localDate } from '../../milestones/local-time.js';
import { applyFicheForm, ficheEditModal } from './blocks/fiche-form.js';
import { context } from './blocks/kit.js';
import { assistantFor, attempt, slackErrorCode, tellUser, type Audience, type SlackDeps } from './deps.js';
import { ACTIONS, SHORTCUTS, VIEWS } from './ids.js';
import type { DraftRecord } from './store.js';
import { fetchThread, toCoreThread, type RawMessage } from './thread.js';

/**
 * Drafting a fiche action from a thread: the message shortcut reads the whole
 * thread, asks the core for a draft and posts it in the thread with Valider /
 * Modifier / Exporter en DOCX. The draft lives in SQLite under an id carried
 * by the buttons, so they keep working after a restart.
 */
const NOT_IN_CHANNEL = "Je ne peux pas lire ce fil : invitez-moi d'abord dans le canal (/invite @Assistant PTSM), puis réessayez.";

function draftButtons(draftId: string, validated: boolean) {
  const exportButton = { actionId: ACTIONS.ficheExport, text: 'Exporter en DOCX', value: draftId };
  return validated ? [exportButton] : [
    { actionId: ACTIONS.ficheValidate, text: 'Valider', style: 'primary' as const, value: draftId },
    { actionId: ACTIONS.ficheEdit, text: 'Modifier', value: draftId },
    exportButton,
  ];
}

/** The messages showing a draft (or, once validated, the fiche with its export button). */
export function draftMessages(rec: Pick<DraftRecord, 'id' | 'draft' | 'status'>, validatedBy?: string): SlackMessage[] {
  const { fiche, missing, provenance } = rec.draft;
  const validated = rec.status === 'validée';
  const messages = renderFicheBlocks(fiche, {
    ...(validated ? {} : { draft: { missing, provenance } }),
    actions: { ficheId: fiche.id, buttons: draftButtons(rec.id, validated) },
  });
  if (validated) {
    const last = messages[messages.length - 1]!;
    const at = last.blocks.findIndex((b) => (b as { type?: string }).type === 'actions');
    const note = context(`:white_check_mark: Fiche validée${validatedBy ? ` par ${escapeMrkdwn(validatedBy)}` : ''} et enregistrée dans le registre des fiches.`);
    last.blocks.splice(at < 0 ? last.blocks.length : at, 0, note);
  }
  return messages;
}

/** "Marie Durand, 12/03 14:32": how a source message reads in the draft (instead of a Slack ts). */
function sourceLabels(thread: RawMessage[], names: Map<string, string>, timezone: string): Map<string, string> {
  const fmt = new Intl.DateTimeFormat('fr-FR', { timeZone: timezone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
  return new Map(thread.map((m) => [m.ts, `${names.get(m.user ?? '') ?? m.user ?? '?'}, ${fmt.format(new Date(Number(m.ts) * 1000))}`]));
}

/** Source message ids (Slack ts) → readable labels, in the provenance and in the drafter's notes. */
function relabel(draft: FicheDraft, labels: Map<string, string>): FicheDraft {
  const provenance = Object.fromEntries(Object.entries(draft.provenance).map(([k, ids]) => [k, ids.map((id) => labels.get(id) ?? id)]));
  const tsRe = /\b\d{9,11}\.\d{6}\b/g;
  const extra = Object.fromEntries(Object.entries(draft.fiche.extra).map(([k, v]) => [k, v.replace(tsRe, (ts) => labels.get(ts) ?? ts)]));
  return { ...draft, fiche: { ...draft.fiche, extra }, provenance };
}

/** Shows `messages` in place of the ones at `old`: updates, posts what is new, deletes what is left. */
async function replaceMessages(deps: SlackDeps, channel: string, threadTs: string, old: string[], messages: SlackMessage[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, m] of messages.entries()) {
    const ts = old[i];
    if (ts) {
      await deps.client.chat.update({ channel, ts, text: m.text, blocks: m.blocks as never });
      out.push(ts);
    } else {
      const res = await deps.client.chat.postMessage({ channel, thread_ts: threadTs, text: m.text, blocks: m.blocks as never });
      if (res.ts) out.push(res.ts);
    }
  }
  for (const ts of old.slice(messages.length)) await attempt(deps.logger, 'chat.delete', () => deps.client.chat.delete({ channel, ts }));
  return out;
}

async function draftFromShortcut(deps: SlackDeps, s: MessageShortcut, to: Audience): Promise<void> {
  const channel = s.channel.id;
  const threadTs = (s.message.thread_ts as string | undefined) ?? s.message.ts;
  const log = deps.logger.child({ channel, thread: threadTs });
  // A channel of no territory: told so before its thread is even read.
  const assistant = await assistantFor(deps, { channel, team: s.team?.id }, to);
  if (!assistant) return;
  await tellUser(deps, to, 'Je lis le fil et je prépare un brouillon de fiche action…');
  let raw: RawMessage[];
  try {
    raw = await fetchThread(deps.client, channel, threadTs);
  } catch (e) {
    const code = slackErrorCode(e);
    log.warn('slack thread unreadable for drafting', { error: code });
    await tellUser(deps, to, code === 'not_in_channel' || code === 'channel_not_found' ? NOT_IN_CHANNEL : `Je n'ai pas pu lire ce fil (${code}). Réessayez dans quelques minutes.`);
    return;
  }
  const bot = await deps.bot();
  const thread = await toCoreThread(channel, raw, deps.users, bot);
  if (!thread.messages.length) {
    await tellUser(deps, to, "Ce fil ne contient aucun message à analyser : il n'y a rien à rédiger.");
    return;
  }
  if (thread.messages.some((m) => looksLikePatientData(m.text))) {
    await tellUser(deps, to, 'Attention : ce fil semble contenir des données personnelles de santé (patient nommé, date de naissance…). Relisez le brouillon et retirez-les avant de valider la fiche.');
  }
  let draft: FicheDraft;
  try {
    draft = await deps.queue.run(() => assistant.draftFromThread(thread));
  } catch (e) {
    log.error('drafting failed', { error: describeError(e) });
    await tellUser(deps, to, `Je n'ai pas pu rédiger la fiche : ${describeError(e)}`);
    return;
  }
  const names = new Map(thread.messages.map((m) => [m.author.id, m.author.name]));
  draft = relabel(draft, sourceLabels(raw, names, deps.timezone));
  const id = deps.store.saveDraft({ channel, threadTs, userId: to.user, draft });
  try {
    const posted = await replaceMessages(deps, channel, threadTs, [], draftMessages({ id, draft, status: 'brouillon' }));
    deps.store.setDraftMessages(id, posted);
    log.info('slack draft posted', { draft: id, messages: posted.length });
  } catch (e) {
    log.error('slack draft could not be posted', { draft: id, error: slackErrorCode(e) });
    await tellUser(deps, to, "Le brouillon est prêt mais Slack a refusé de l'afficher. Réessayez dans quelques minutes.");
  }
}

async function validate(deps: SlackDeps, draftId: string, to: Audience, team: string | undefined): Promise<void> {
  const rec = deps.store.getDraft(draftId);
  if (!rec) { await tellUser(deps, to, 'Ce brouillon est introuvable : il a peut-être été supprimé.'); return; }
  // The draft belongs to the territory of the channel it was drafted in.
  const assistant = await assistantFor(deps, { channel: rec.channel, team }, to);
  if (!assistant) return;
  if (!deps.store.moveDraft(draftId, 'brouillon', 'validation')) {
    await tellUser(deps, to, rec.status === 'validée' ? 'Cette fiche est déjà validée.' : 'La validation de cette fiche est déjà en cours.');
    return;
  }
  let fiche: Fiche;
  const who = await deps.users.identity(to.user);
  try {
    fiche = await assistant.validateFiche(rec.draft.fiche, { platform: 'slack', id: to.user, name: who.name, ...(who.email ? { email: who.email } : {}) });
  } catch (e) {
    deps.store.moveDraft(draftId, 'validation', 'brouillon');
    deps.logger.error('fiche validation failed', { draft: draftId, error: describeError(e) });
    await tellUser(deps, to, `La fiche n'a pas pu être enregistrée : ${describeError(e)}`);
    return;
  }
  const draft = { ...rec.draft, fiche };
  deps.store.updateDraft(draftId, draft);
  deps.store.moveDraft(draftId, 'validation', 'validée');
  try {
    const posted = await replaceMessages(deps, rec.channel, rec.threadTs, rec.messages, draftMessages({ id: draftId, draft, status: 'validée' }, who.name));
    deps.store.setDraftMessages(draftId, posted);
  } catch (e) {
    deps.logger.warn('validated fiche display not updated', { draft: draftId, error: slackErrorCode(e) });
    await tellUser(deps, to, 'La fiche est validée et enregistrée, mais le message n’a pas pu être mis à jour.');
  }
}

async function openEditor(deps: SlackDeps, draftId: string, triggerId: string, to: Audience): Promise<void> {
  const rec = deps.store.getDraft(draftId);
  if (!rec) { await tellUser(deps, to, 'Ce brouillon est introuvable : il a peut-être été supprimé.'); return; }
  if (rec.status !== 'brouillon') { await tellUser(deps, to, 'Cette fiche est déjà validée : demandez à la coordination de la modifier dans le registre.'); return; }
  try {
    await deps.client.views.open({ trigger_id: triggerId, view: ficheEditModal(rec.draft.fiche, draftId) as never });
  } catch (e) {
    deps.logger.warn('slack edit modal not opened', { draft: draftId, error: slackErrorCode(e) });
    await tellUser(deps, to, "Le formulaire de modification n'a pas pu s'ouvrir. Réessayez.");
  }
}

async function exportDocx(deps: SlackDeps, draftId: string, to: Audience, team: string | undefined): Promise<void> {
  const rec = deps.store.getDraft(draftId);
  if (!rec) { await tellUser(deps, to, 'Ce brouillon est introuvable : il a peut-être été supprimé.'); return; }
  const assistant = await assistantFor(deps, { channel: rec.channel, team }, to);
  if (!assistant) return;
  const fiche = rec.status === 'validée' ? (assistant.getFiche(rec.draft.fiche.id, { platform: 'slack', channel: rec.channel }) ?? rec.draft.fiche) : rec.draft.fiche;
  try {
    const file = await assistant.exportDocx(fiche);
    const name = fiche.number !== null ? `fiche-action-${fiche.number}` : `fiche-action-${fiche.id}`;
    await deps.client.files.uploadV2({
      channel_id: rec.channel, thread_ts: rec.threadTs, file, filename: `${name}.docx`,
      title: fiche.title || 'Fiche action', initial_comment: 'Voici la fiche au format Word (DOCX).',
    });
  } catch (e) {
    deps.logger.error('docx export failed', { draft: draftId, error: slackErrorCode(e) });
    await tellUser(deps, to, "L'export DOCX a échoué. Réessayez dans quelques minutes.");
  }
}

export function registerDrafting(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUTS.draftFiche, async ({ ack, shortcut, respond }) => {
    await ack();
    const to: Audience = { channel: shortcut.channel.id, user: shortcut.user.id, threadTs: (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts, respond };
    await draftFromShortcut(deps, shortcut, to);
  });

  const button = (run: (draftId: string, body: BlockButtonAction, to: Audience) => Promise<void>) =>
    async ({ ack, action, body, respond }: { ack: () => Promise<void>; action: { value?: string }; body: BlockButtonAction; respond: Audience['respond'] }) => {
      await ack();
      const to: Audience = { channel: body.channel?.id, user: body.user.id, threadTs: body.message?.thread_ts as string | undefined, respond };
      await run(action.value ?? '', body, to);
    };
  app.action<BlockButtonAction>(ACTIONS.ficheValidate, button((id, b, to) => validate(deps, id, to, b.team?.id)));
  app.action<BlockButtonAction>(ACTIONS.ficheEdit, button((id, b, to) => openEditor(deps, id, b.trigger_id, to)));
  app.action<BlockButtonAction>(ACTIONS.ficheExport, button((id, b, to) => exportDocx(deps, id, to, b.team?.id)));

  app.view<ViewSubmitAction>(VIEWS.ficheEdit, async ({ ack, view, body }) => {
    let draftId = '';
    try { draftId = String((JSON.parse(view.private_metadata || '{}') as { draftId?: string }).draftId ?? ''); } catch { /* handled below */ }
    const rec = draftId ? deps.store.getDraft(draftId) : null;
    if (!rec || rec.status !== 'brouillon') {
      await ack({ response_action: 'errors', errors: { f_title: 'Ce brouillon a déjà été validé ou n’existe plus.' } });
      return;
    }
    const now = deps.now();
    const result = applyFicheForm(rec.draft, view.state.values as never, localDate(now.toISOString(), deps.timezone), now.toISOString());
    if (!result.ok) { await ack({ response_action: 'errors', errors: result.errors }); return; }
    await ack();
    if (!result.changed.length) return;
    deps.store.updateDraft(draftId, result.draft);
    try {
      const posted = await replaceMessages(deps, rec.channel, rec.threadTs, rec.messages, draftMessages({ id: draftId, draft: result.draft, status: 'brouillon' }));
      deps.store.setDraftMessages(draftId, posted);
    } catch (e) {
      deps.logger.warn('edited draft display not updated', { draft: draftId, error: slackErrorCode(e) });
      await tellUser(deps, { channel: rec.channel, user: body.user.id, threadTs: rec.threadTs }, 'Vos modifications sont enregistrées, mais le message n’a pas pu être mis à jour.');
    }
  });
}
