import type { Attachment } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import type { FileConsentCardResponse } from '@microsoft/agents-hosting-extensions-teams';
import { describeError } from '../../core/errors.js';
import type { Fiche } from '../../core/fiche.js';
import { renderConfirmationCard } from './cards.js';
import type { TeamsDeps } from './deps.js';
import { conversationKind, userRecordOf } from './identity.js';
import { personalChat, sendToReference } from './proactive.js';
import { message, replaceCard } from './reply.js';
import type { DraftRecord } from './store.js';

/**
 * Word export through Teams' file consent card: the bot asks to send the file,
 * the user accepts, Teams hands an upload URL in the user's OneDrive, the bot
 * uploads there and posts the file card. It is the way bots send files that
 * the Agents SDK's Teams extension supports, and it needs no public URL of ours; it
 * works in 1:1 chats only, so a click in a channel or group chat gets the
 * file in the user's 1:1 chat with the bot.
 */
export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.info';

interface ExportContext { ptsm: 'fiche-export'; draftId: string; exportId: string; territory?: string }

export function docxName(fiche: Fiche): string {
  const slug = (fiche.title || 'fiche-action')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  const prefix = fiche.number !== null ? `FA${String(fiche.number).padStart(2, '0')}-` : '';
  return `${prefix}${slug || 'fiche-action'}.docx`;
}

function consentCard(name: string, size: number, context: ExportContext): Attachment {
  return {
    contentType: FILE_CONSENT_CONTENT_TYPE,
    name,
    content: {
      description: 'Fiche action au format Word (.docx), prête à relire ou à transmettre.',
      sizeInBytes: size,
      acceptContext: context,
      declineContext: context,
    },
  };
}

/** The fiche to export: the registry's version once validated, else the draft. */
export function ficheOf(deps: TeamsDeps, record: DraftRecord): Fiche {
  return (record.ficheId ? deps.assistant.getFiche(record.ficheId) : null) ?? record.draft.fiche;
}

export async function offerDocx(ctx: TurnContext, deps: TeamsDeps, record: DraftRecord): Promise<void> {
  const fiche = ficheOf(deps, record);
  await offerFile(ctx, deps, { key: record.id, name: docxName(fiche), bytes: await deps.assistant.exportDocx(fiche) });
}

/**
 * Offers a file (a fiche's DOCX, the yearly review) through the consent card,
 * always in the asker's 1:1 chat: a document is never dropped in a channel.
 * `key` names what it is the export of (a draft id, « bilan-2026 »).
 */
export async function offerFile(ctx: TurnContext, deps: TeamsDeps, file: { key: string; name: string; bytes: Buffer }): Promise<void> {
  const { name, bytes: docx } = file;
  // The file uploaded on consent is the one offered, byte for byte (a new rendering would differ in its dates).
  const exportId = deps.store.saveExport(file.key, name, docx);
  const card = consentCard(name, docx.length, { ptsm: 'fiche-export', draftId: file.key, exportId, ...(deps.territory ? { territory: deps.territory } : {}) });
  if (conversationKind(ctx.activity) === 'personal') {
    await ctx.sendActivity(message({ attachments: [card] }));
    return;
  }
  const user = userRecordOf(ctx.activity);
  try {
    if (!user) throw new Error('no user in the activity');
    await sendToReference(deps.ta, await personalChat(deps.ta, deps.store, user), message({ attachments: [card] }));
  } catch (e) {
    deps.logger.warn('teams export: 1:1 chat unreachable', { error: describeError(e) });
    await ctx.sendActivity("Je n'ai pas pu vous écrire en privé pour vous envoyer le document. Ouvrez une conversation avec l'assistant (application PTSM), puis cliquez à nouveau sur « Exporter ».");
    return;
  }
  await ctx.sendActivity(`${user.name ? `${user.name}, je` : 'Je'} vous ai proposé le document Word dans notre conversation privée.`);
}

function exportContext(value: unknown): ExportContext | null {
  const v = value as Partial<ExportContext> | null | undefined;
  return v && v.ptsm === 'fiche-export' && typeof v.draftId === 'string' && typeof v.exportId === 'string'
    ? { ptsm: 'fiche-export', draftId: v.draftId, exportId: v.exportId } : null;
}

export async function acceptDocx(ctx: TurnContext, deps: TeamsDeps, response: FileConsentCardResponse): Promise<void> {
  const context = exportContext(response.context);
  const file = context ? deps.store.getExport(context.exportId) : null;
  const upload = response.uploadInfo;
  if (!file || !upload?.uploadUrl) {
    deps.logger.warn('teams file consent without a known export or upload URL', { context: JSON.stringify(response.context ?? null).slice(0, 200) });
    await ctx.sendActivity('Ce document n\'est plus disponible : cliquez à nouveau sur « Exporter » sur la fiche.');
    return;
  }
  const { docx, name } = file;
  try {
    // OneDrive's upload session takes the whole file in one range for small files.
    const res = await deps.fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Length': String(docx.length), 'Content-Range': `bytes 0-${docx.length - 1}/${docx.length}` },
      body: new Uint8Array(docx),
    });
    if (!res.ok) throw new Error(`upload answered HTTP ${res.status}`);
  } catch (e) {
    deps.logger.error('teams docx upload failed', { draft: file.draftId, error: describeError(e) });
    await ctx.sendActivity("L'envoi du document a échoué. Cliquez à nouveau sur « Exporter » sur la fiche pour réessayer.");
    return;
  }
  await ctx.sendActivity(message({
    attachments: [{
      contentType: FILE_INFO_CONTENT_TYPE,
      contentUrl: upload.contentUrl,
      name: upload.name ?? name,
      content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? 'docx' },
    }],
  }));
  await replaceCard(ctx, deps, renderConfirmationCard(name, 'Document envoyé.'));
}

export async function declineDocx(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  if (!await replaceCard(ctx, deps, renderConfirmationCard('Export Word', 'Export annulé.'))) {
    await ctx.sendActivity("D'accord, je n'envoie pas le document.");
  }
}
