import type { Activity } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { MessagingExtensionAction, MessagingExtensionActionResponse } from '@microsoft/agents-hosting-extensions-teams';
import { describeError } from '../../core/errors.js';
import type { Fiche, FicheDraft } from '../../core/fiche.js';
import { renderFicheCard } from '../../fiches/render/index.js';
import { attach, text, type CardData } from './cards.js';
import type { TeamsDeps } from './deps.js';
import { offerDocx } from './files.js';
import { channelData, channelRoot, channelUser, conversationKind, referenceOf, userRecordOf } from './identity.js';
import { personalChat, sendToReference } from './proactive.js';
import { cardMessage, replaceCard } from './reply.js';
import type { DraftRecord } from './store.js';
import { readThread, truncationNote, type TeamsChatMessage, type ThreadLocation } from './thread.js';

/**
 * "Rédiger une fiche action" on a message (message extension action
 * `draftFiche`): read the conversation, draft with the assistant, show the
 * draft in a dialog, post it with Valider / Exporter; then the two buttons.
 */
export const DRAFT_COMMAND_ID = 'draftFiche';
const DIALOG_TITLE = 'Brouillon de fiche action';

type Card = Record<string, unknown> & { body?: unknown[] };

function withNotes(card: Card, notes: string[], style: 'warning' | 'default' = 'default'): Card {
  if (!notes.length) return card;
  const items = notes.map((n) => text(n, { size: 'Small' }));
  return { ...card, body: [{ type: 'Container', style, items }, ...(card.body ?? [])] };
}

/** "de Claire Vidal", "d'Inès Caradec". */
function ofName(name: string): string {
  return /^[aeiouyhàâäéèêëîïôöùûü]/i.test(name) ? `d'${name}` : `de ${name}`;
}

const button = (title: string, data: CardData, style?: 'positive') => ({ title, data, ...(style ? { style } : {}) });

function dialogMessage(message: string): MessagingExtensionActionResponse {
  return { task: { type: 'message', value: message } } as MessagingExtensionActionResponse;
}

function dialogCard(card: Card): MessagingExtensionActionResponse {
  return { task: { type: 'continue', value: { title: DIALOG_TITLE, width: 'large', height: 'large', card: attach(card) } } } as MessagingExtensionActionResponse;
}

/** Where the draft is posted: the thread of the message in a channel, the chat otherwise. */
function postTarget(activity: Activity, payload: TeamsChatMessage): Record<string, unknown> & { conversation: { id: string } } {
  const ref = referenceOf(activity) as Record<string, unknown> & { conversation: { id: string } };
  delete ref.activityId;
  if (conversationKind(activity) === 'channel') {
    const channel = channelRoot(channelData(activity).channel?.id ?? activity.conversation!.id);
    const root = payload.replyToId || payload.id;
    ref.conversation = { ...ref.conversation, id: root ? `${channel};messageid=${root}` : channel };
  }
  return ref;
}

function locationOf(activity: Activity, payload: TeamsChatMessage): ThreadLocation {
  const cd = channelData(activity);
  return {
    conversationId: channelRoot(activity.conversation!.id),
    teamId: cd.team?.id ?? null,
    channelId: cd.channel?.id ?? null,
    messageId: payload.replyToId || payload.id || '',
  };
}

/** Reads the thread, drafts, stores the draft. Returns a French message instead when it cannot. */
async function draftFromPayload(ctx: TurnContext, deps: TeamsDeps, action: MessagingExtensionAction): Promise<{ record: DraftRecord; notes: string[] } | string> {
  if (action.commandId && action.commandId !== DRAFT_COMMAND_ID) {
    deps.logger.warn('teams unknown message extension command', { command: action.commandId });
    return "Cette commande n'est pas prise en charge par l'assistant.";
  }
  const payload = action.messagePayload as TeamsChatMessage | undefined;
  if (!payload || typeof payload !== 'object') return 'Lancez « Rédiger une fiche action » depuis le menu « … » d\'un message.';
  let extra: TeamsChatMessage[] = [];
  if (deps.replySource && payload.id) {
    try {
      extra = await deps.replySource.replies(locationOf(ctx.activity, payload));
    } catch (e) {
      // The message itself is still worth a draft.
      deps.logger.warn('teams reply source failed, drafting from the message alone', { error: describeError(e) });
    }
  }
  const target = postTarget(ctx.activity, payload);
  const reading = readThread(payload, extra, target.conversation.id, deps.threadLimits);
  if (!reading.thread.messages.length) return 'Ce message ne contient pas de texte : impossible d\'en tirer une fiche action.';
  if (reading.truncated) deps.logger.warn('teams thread truncated for drafting', { ...reading.truncated, conversation: target.conversation.id });

  let draft: FicheDraft;
  try {
    draft = await deps.assistant.draftFromThread(reading.thread);
  } catch (e) {
    deps.logger.error('teams drafting failed', { error: describeError(e) });
    return "Je n'ai pas pu rédiger la fiche à partir de cette conversation. Réessayez dans quelques instants.";
  }
  const record = deps.store.saveDraft(target.conversation.id, draft, channelUser(ctx.activity).id);
  return { record, notes: reading.truncated ? [truncationNote(reading.truncated)] : [] };
}

export async function fetchDraftTask(ctx: TurnContext, deps: TeamsDeps, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
  const result = await draftFromPayload(ctx, deps, action);
  if (typeof result === 'string') return dialogMessage(result);
  const { record, notes } = result;
  const card = renderFicheCard(record.draft.fiche, {
    draft: record.draft,
    actions: [button('Publier dans la conversation', { ptsm: 'fiche-post', draftId: record.id }, 'positive')],
  });
  return dialogCard(withNotes(card, notes, 'warning'));
}

export async function submitDraftAction(ctx: TurnContext, deps: TeamsDeps, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
  const data = action.data as { ptsm?: unknown; draftId?: unknown } | undefined;
  let record: DraftRecord | null;
  let notes: string[] = [];
  if (data?.ptsm === 'fiche-post' && typeof data.draftId === 'string') {
    record = deps.store.getDraft(data.draftId);
    if (!record) return dialogMessage('Ce brouillon est introuvable : relancez « Rédiger une fiche action » sur le message.');
  } else {
    // Clients that skip the dialog submit the message directly.
    const result = await draftFromPayload(ctx, deps, action);
    if (typeof result === 'string') return dialogMessage(result);
    ({ record, notes } = result);
  }
  const who = ctx.activity.from?.name?.trim();
  const card = withNotes(renderFicheCard(record.draft.fiche, {
    draft: record.draft,
    actions: [
      button('Valider', { ptsm: 'fiche-validate', draftId: record.id }, 'positive'),
      button('Exporter (Word)', { ptsm: 'fiche-export', draftId: record.id }),
    ],
  }), [`Brouillon rédigé par l'assistant${who ? ` à la demande ${ofName(who)}` : ''}.`, ...notes]);

  const payload = (action.messagePayload ?? {}) as TeamsChatMessage;
  const ref = data?.ptsm === 'fiche-post'
    ? { ...postTarget(ctx.activity, payload), conversation: { ...ctx.activity.conversation!, id: record.conversationId } }
    : postTarget(ctx.activity, payload);
  try {
    await sendToReference(deps.ta, ref, cardMessage(card));
    return {};
  } catch (e) {
    deps.logger.warn('teams draft post failed in the conversation, trying the 1:1 chat', { conversation: ref.conversation.id, error: describeError(e) });
  }
  // The app may not be installed where the message is (a chat between two people): send it privately.
  const user = userRecordOf(ctx.activity);
  try {
    if (!user) throw new Error('no user in the activity');
    await sendToReference(deps.ta, await personalChat(deps.ta, deps.store, user), cardMessage(card));
    return dialogMessage("Je ne peux pas écrire dans cette conversation : je vous ai envoyé le brouillon dans notre conversation privée.");
  } catch (e) {
    deps.logger.error('teams draft post failed', { error: describeError(e) });
    return dialogMessage("Je n'ai pas pu publier le brouillon. Ajoutez l'application à cette conversation (ou ouvrez une conversation avec l'assistant), puis réessayez.");
  }
}

function validatedCard(fiche: Fiche, draftId: string, by: string | undefined): Card {
  return withNotes(renderFicheCard(fiche, { actions: [button('Exporter (Word)', { ptsm: 'fiche-export', draftId })] }),
    [`✅ Fiche validée${by ? ` par ${by}` : ''} : elle est enregistrée et ses échéances seront suivies.`]);
}

export async function validateDraft(ctx: TurnContext, deps: TeamsDeps, draftId: string): Promise<void> {
  const record = deps.store.getDraft(draftId);
  if (!record) {
    await ctx.sendActivity('Ce brouillon est introuvable : il a peut-être été supprimé. Relancez « Rédiger une fiche action » sur la conversation.');
    return;
  }
  if (!deps.store.claimValidation(draftId)) {
    await ctx.sendActivity(record.status === 'validée' ? 'Cette fiche a déjà été validée.' : 'La validation de cette fiche est déjà en cours.');
    return;
  }
  const user = channelUser(ctx.activity);
  let fiche: Fiche;
  try {
    fiche = await deps.assistant.validateFiche(record.draft.fiche, user);
    deps.store.markValidated(draftId, fiche);
  } catch (e) {
    deps.store.releaseValidation(draftId);
    deps.logger.error('teams fiche validation failed', { draft: draftId, error: describeError(e) });
    await ctx.sendActivity("La fiche n'a pas pu être validée. Réessayez ; si le problème continue, prévenez la coordination.");
    return;
  }
  await replaceCard(ctx, deps, validatedCard(fiche, draftId, user.name));
  await ctx.sendActivity(`Fiche « ${fiche.title || 'sans titre'} » validée${user.name ? ` par ${user.name}` : ''} : elle est enregistrée dans le registre et ses échéances seront suivies.`);
}

export async function exportFiche(ctx: TurnContext, deps: TeamsDeps, draftId: string): Promise<void> {
  const record = deps.store.getDraft(draftId);
  if (!record) {
    await ctx.sendActivity('Ce brouillon est introuvable : impossible de l\'exporter.');
    return;
  }
  await offerDocx(ctx, deps, record);
}
