/**
 * Turns a chat message as the platform stores it (Slack mrkdwn, Teams HTML,
 * plain text with @names and emoji) into plain text a person would read.
 * Mentions are resolved to the names of the thread's authors, and quoted
 * replies are set apart: they repeat earlier messages, so counting them again
 * would duplicate items and blur provenance.
 */
import type { Directory } from './people.js';
import { foldLoose } from './text.js';

export type Platform = 'slack' | 'teams' | null;

export interface Mention {
  name: string;
  /** Chat id when the platform gave one (Slack `<@U…>`). */
  chatId: string | null;
  platform: Platform;
}

export interface CleanMessage {
  text: string;
  quoted: string;
  mentions: Mention[];
  platform: Platform;
  /** 👍 ✅ 👌 or their Slack shortcodes: agreement without words. */
  agreementEmoji: boolean;
}

const AGREE_SHORTCODES = /:(?:\+1|thumbsup|thumbs_up|white_check_mark|heavy_check_mark|ballot_box_with_check|ok_hand|ok|raised_hands|clap):/g;
const AGREE_EMOJI = /[👍✅👌✔☑🆗🙌👏]/u;
// Pictographs, their modifiers and joiners; text arrows (→) stay, they carry meaning.
const EMOJI_RE = /(?:\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}\u{20E3}]|[\u{1F1E6}-\u{1F1FF}])+/gu;

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', hellip: '…', rsquo: '’', lsquo: '‘',
  laquo: '«', raquo: '»', ndash: '–', mdash: '—', eacute: 'é', egrave: 'è', agrave: 'à', ccedil: 'ç',
  ecirc: 'ê', ocirc: 'ô', euro: '€', rarr: '→',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : all;
    }
    return ENTITIES[code.toLowerCase()] ?? all;
  });
}

const TEAMS_HTML = /<\/?(?:p|div|br|at|strong|em|b|i|u|ul|ol|li|span|blockquote|a|h[1-6]|table|tr|td|img)\b[^>]*>/i;

function cleanTeams(input: string, dir: Directory, mentions: Mention[]): { text: string; quoted: string } {
  let quoted = '';
  let s = input.replace(/<blockquote\b[^>]*>([\s\S]*?)<\/blockquote>/gi, (_all, q: string) => {
    quoted += ' ' + q.replace(/<[^>]+>/g, ' ');
    return '\n';
  });
  s = s.replace(/<at\b[^>]*>([\s\S]*?)<\/at>/gi, (_all, name: string) => {
    const written = decodeEntities(name.replace(/<[^>]+>/g, '')).trim();
    const person = dir.resolve(written);
    const resolved = person?.name ?? written;
    mentions.push({ name: resolved, chatId: person?.id ?? null, platform: 'teams' });
    return resolved;
  });
  s = s
    .replace(/<a\b[^>]*>([\s\S]*?)<\/a>/gi, '$1')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6]|tr|ul|ol)>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  return { text: decodeEntities(s), quoted: decodeEntities(quoted) };
}

function cleanSlack(input: string, dir: Directory, mentions: Mention[]): string {
  let s = input.replace(/<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g, (_all, id: string, label?: string) => {
    const person = dir.byChatId(id) ?? (label ? dir.resolve(label) : undefined);
    const name = person?.name ?? (label ? label.replace(/^@/, '') : `@${id}`);
    mentions.push({ name, chatId: id, platform: 'slack' });
    return name;
  });
  s = s
    .replace(/<#[A-Z0-9]+\|([^>]+)>/g, '#$1')
    .replace(/<![^>]+>/g, '')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1');
  return s;
}

/** Slack and Markdown emphasis. Struck text is what the writer took back: dropped. */
function stripEmphasis(s: string): string {
  return s
    .replace(/(^|[\s(«"'])~([^~\n]+)~(?=$|[\s).,;:!?»"'])/g, '$1')
    .replace(/(^|[\s(«"'])\*\*?([^*\n]+?)\*\*?(?=$|[\s).,;:!?»"'])/g, '$1$2')
    .replace(/(^|[\s(«"'])_([^_\n]+)_(?=$|[\s).,;:!?»"'])/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** Plain-text mentions: "@Marie Dupont", "@marie". */
function resolvePlainMentions(s: string, dir: Directory, mentions: Mention[]): string {
  return s.replace(/(^|[\s(,;:])@([\p{L}][\p{L}'’-]*(?:\s+[\p{Lu}][\p{L}'’-]*)?)/gu, (_all, pre: string, written: string) => {
    const words = written.split(/\s+/);
    // Try "First Last" first, then "First" alone.
    for (const n of [words.length, 1]) {
      const cand = words.slice(0, n).join(' ');
      const person = dir.resolve(cand);
      if (person) {
        mentions.push({ name: person.name, chatId: person.id, platform: null });
        return pre + person.name + (n < words.length ? ' ' + words.slice(n).join(' ') : '');
      }
    }
    mentions.push({ name: written, chatId: null, platform: null });
    return pre + written;
  });
}

export function cleanMessage(input: string, dir: Directory): CleanMessage {
  const mentions: Mention[] = [];
  let platform: Platform = null;
  let text = input.replace(/\r\n?/g, '\n');
  let quoted = '';
  if (TEAMS_HTML.test(text)) {
    platform = 'teams';
    const t = cleanTeams(text, dir, mentions);
    text = t.text;
    quoted = t.quoted;
  }
  if (/<@[UW][A-Z0-9]+(?:\|[^>]*)?>|<https?:[^>]+>|<#[A-Z0-9]+\|/.test(text)) {
    platform = platform ?? 'slack';
    text = cleanSlack(text, dir, mentions);
  }
  text = decodeEntities(text);
  // Quoted replies: Slack/Markdown "> …" lines, e-mail style "X a écrit :".
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*>/.test(line)) quoted += ' ' + line.replace(/^\s*>+\s?/, '');
    else kept.push(line);
  }
  text = kept.join('\n').replace(/^.{0,60}\ba (?:é|e)crit\s*:\s*$/gim, '');
  let agreementEmoji = AGREE_EMOJI.test(text);
  text = text.replace(AGREE_SHORTCODES, () => {
    agreementEmoji = true;
    return ' ';
  });
  text = text.replace(/:[a-z0-9_+-]{2,40}:/g, ' ');
  // An emoji often ends a sentence: "c'est un engagement 💪 Les élus…".
  text = text.replace(new RegExp(`(?<=[\\p{L}\\p{N}])\\s*(?:${EMOJI_RE.source})\\s+(?=\\p{Lu})`, 'gu'), '. ');
  text = text.replace(EMOJI_RE, ' ');
  text = stripEmphasis(text);
  text = resolvePlainMentions(text, dir, mentions);
  text = text
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0\u202f]+/g, (m) => (m.includes('\u00a0') || m.includes('\u202f') ? '\u00a0' : ' ')).trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text, quoted: quoted.replace(/\s+/g, ' ').trim(), mentions, platform, agreementEmoji };
}

/** True when a message says nothing but emoji/thumbs (already stripped to empty). */
export function isBlank(m: CleanMessage): boolean {
  return foldLoose(m.text).replace(/[^a-z0-9]+/g, '') === '';
}
