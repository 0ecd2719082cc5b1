import type { Assistant, Audience } from '../../app/assistant.js';
import { BILAN_FORMATS, type BilanFormat } from '../../review/index.js';
import { foldForMatch } from '../../text/fold.js';
import type { SlackPayload } from './blocks/kit.js';
import { sections } from './blocks/kit.js';
import { slackErrorCode, type SlackDeps } from './deps.js';

/** `/ptsm bilan 2026 [xlsx|csv]`: the year (null when absent) and the file format (DOCX by default). */
export function parseBilanArgs(tail: string): { year: number | null; format: BilanFormat } {
  const words = foldForMatch(tail).split(/\s+/).filter(Boolean);
  const year = words.map(Number).find((n) => Number.isInteger(n) && n >= 2000 && n <= 2100) ?? null;
  const format = (words.find((w) => BILAN_FORMATS.includes(w.replace(/^\./, '') as BilanFormat))?.replace(/^\./, '') ?? 'docx') as BilanFormat;
  return { year, format };
}

/**
 * Builds the yearly review and uploads it into the direct conversation of
 * the person who asked (the coordinator): the file never lands in a shared
 * channel. The DM is opened by a first message, as Slack does for user ids.
 */
export async function sendYearlyReview(deps: SlackDeps, assistant: Assistant, userId: string, args: { year: number | null; format: BilanFormat }, send: (p: SlackPayload) => Promise<void>, audience?: Audience): Promise<void> {
  const year = args.year ?? deps.now().getFullYear();
  try {
    // The file goes to the asker's DM: what it holds is what the asker may see from where the command was typed.
    const file = await assistant.exportYearlyReview(year, args.format, audience);
    const intro = await deps.client.chat.postMessage({ channel: userId, text: `Voici le bilan annuel ${year} du PTSM. ${file.summary}` });
    await deps.client.files.uploadV2({ channel_id: String(intro.channel ?? userId), file: file.content, filename: file.filename, title: `Bilan annuel ${year}` });
    await send({ text: `Bilan ${year} envoyé`, blocks: sections(`Le bilan ${year} (${args.format.toUpperCase()}) vous a été envoyé en message direct.\n${file.summary}`) });
  } catch (e) {
    deps.logger.error('yearly review not sent', { year, error: slackErrorCode(e) });
    await send({ text: 'Bilan non envoyé', blocks: sections(`Le bilan ${year} n'a pas pu être envoyé. Réessayez dans quelques minutes.`) });
  }
}
