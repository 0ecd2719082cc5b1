import { TurnContext, type Activity } from 'botbuilder';
import { htmlToText } from '../../text/html.js';

/**
 * Teams text comes as light HTML (message bodies, `<at>` mentions, entities):
 * the core wants plain French text. The HTML is read by the project's one
 * HTML reader (src/text/html.ts).
 */
export { decodeHtmlEntities as decodeEntities, htmlToText, tidyLines as tidy } from '../../text/html.js';

/**
 * The question a user typed: the bot's own @mention removed (channels and
 * group chats), other mentions kept as plain names, HTML decoded.
 */
export function questionText(activity: Partial<Activity>): string {
  const copy = { ...activity, text: activity.text ?? '' };
  let text = TurnContext.removeRecipientMention(copy) ?? copy.text ?? '';
  // Some clients send the bot's mention as `<at>Name</at>` with a name differing from the entity's text.
  const botName = activity.recipient?.name;
  if (botName) text = text.replace(new RegExp(`<at[^>]*>\\s*${escapeRegExp(botName)}\\s*</at>`, 'gi'), ' ');
  return htmlToText(text.replace(/<at[^>]*>([\s\S]*?)<\/at>/gi, '$1')).replace(/\s*\n\s*/g, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cuts at a word boundary and says so. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  return `${s.slice(0, cut > max / 2 ? cut : max - 1).trimEnd()}…`;
}
