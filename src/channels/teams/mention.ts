import type { Activity } from '@microsoft/agents-activity';
import { htmlToText } from './text.js';

/**
 * The question a user typed: the bot's own @mention removed (channels and
 * group chats), other mentions kept as plain names, HTML decoded. The SDK's
 * `removeRecipientMention` rewrites the activity in place; this reads it.
 */
interface MentionEntity { type?: string; mentioned?: { id?: string }; text?: string }

export function questionText(activity: Activity): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const e of (activity.entities ?? []) as MentionEntity[]) {
    if (e.type?.toLowerCase() === 'mention' && botId && e.mentioned?.id === botId && e.text) text = text.split(e.text).join(' ');
  }
  // Some clients send the bot's mention as `<at>Name</at>` with a name differing from the entity's text.
  const botName = activity.recipient?.name;
  if (botName) text = text.replace(new RegExp(`<at[^>]*>\\s*${escapeRegExp(botName)}\\s*</at>`, 'gi'), ' ');
  return htmlToText(text.replace(/<at[^>]*>([\s\S]*?)<\/at>/gi, '$1')).replace(/\s*\n\s*/g, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
