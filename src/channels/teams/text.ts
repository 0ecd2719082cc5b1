import { TurnContext, type Activity } from 'botbuilder';

/**
 * Teams text comes as light HTML (message bodies, `<at>` mentions, entities):
 * the core wants plain French text.
 */
const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', laquo: '«', raquo: '»',
  eacute: 'é', egrave: 'è', ecirc: 'ê', agrave: 'à', acirc: 'â', ccedil: 'ç', ocirc: 'ô', ucirc: 'û', icirc: 'î', euro: '€', hellip: '…',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[code.toLowerCase()] ?? m;
  });
}

/** HTML of a Teams message → text with line breaks where blocks and list items were. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/li>/gi, '')
    .replace(/<\/(p|div|h[1-6]|tr|blockquote|ul|ol)>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  return tidy(decodeEntities(text));
}

/** Trims each line, drops runs of blank lines. */
export function tidy(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

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
