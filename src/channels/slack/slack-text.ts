import { escapeMrkdwn } from '../../fiches/render/index.js';

/**
 * Text crossing the Slack boundary. Inbound: Slack's markup (`<@U123>`,
 * `<#C1|general>`, `<url|label>`, `&amp;`) becomes plain French text the core
 * can read. Outbound: the core's Markdown-ish answers become Slack mrkdwn.
 */

const USER_REF_RE = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

/** User ids mentioned in a Slack message text. */
export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(USER_REF_RE)].map((m) => m[1]!))];
}

/** Removes the bot's own mention ("<@UBOT> qui pilote…" → "qui pilote…"). */
export function stripMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>[,:;]?`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Slack markup → plain text. `names` resolves user ids to display names
 * (unknown ids stay as "@U123", still meaningful to a reader).
 */
export function slackToPlain(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return text
    .replace(USER_REF_RE, (_m, id: string, label?: string) => `@${names.get(id) ?? label ?? id}`)
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, (_m, name: string) => `#${name}`)
    .replace(/<#([CG][A-Z0-9]+)>/g, (_m, id: string) => `#${id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, label?: string) => label ?? '@groupe')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, (_m, k: string) => `@${k}`)
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, (_m, fallback: string) => fallback)
    .replace(/<(mailto:)?([^|>\s]+)\|([^>]*)>/g, (_m, mailto: string | undefined, url: string, label: string) => (mailto || label === url ? label : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, (_m, url: string) => url.replace(/^mailto:/, ''))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .trim();
}

/** A message text as Slack returns it (escaped) → the text as it was written. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Core answer text (plain, possibly with light Markdown from an LLM) → Slack
 * mrkdwn: escaped, **bold** → *bold*, [label](url) → <url|label>, headings bold.
 */
export function toMrkdwn(markdown: string): string {
  const links: string[] = [];
  // Links first, so their URLs are not mangled by the emphasis rules.
  let text = markdown.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_m, label: string, url: string) => {
    links.push(`<${url.replace(/&/g, '&amp;').replace(/\|/g, '%7C')}|${escapeMrkdwn(label)}>`);
    return `\u0000${links.length - 1}\u0000`;
  });
  text = escapeMrkdwn(text)
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\*\*([^*\n]+)\*\*/g, '*$1*')
    .replace(/__([^_\n]+)__/g, '*$1*')
    .replace(/^(\s*)[-*]\s+/gm, '$1• ');
  return text.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => links[Number(i)]!);
}

/** Italic mrkdwn that stays italic: newlines and underscores would end it early. */
export function italic(text: string): string {
  const flat = escapeMrkdwn(text.replace(/\s+/g, ' ').trim()).replace(/_/g, ' ');
  return flat ? `_${flat}_` : '';
}

/** Cuts at a word boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max - 1);
  return `${text.slice(0, cut > max / 2 ? cut : max - 1).trimEnd()}…`;
}
