import type { Thread, ThreadMessage } from '../../core/fiche.js';
import { htmlToText, tidy } from './text.js';

/**
 * A Teams message (the `messagePayload` of a message action, or a Microsoft
 * Graph chatMessage: same shape) and its replies → the core's Thread.
 * Teams sends only the message the action was started on; replies come with
 * the activity when a client adds them, or from a ReplySource (Graph).
 */
export interface TeamsChatMessage {
  id?: string;
  replyToId?: string | null;
  createdDateTime?: string | null;
  subject?: string | null;
  from?: {
    user?: { id?: string; displayName?: string | null; aadObjectId?: string | null } | null;
    application?: { id?: string; displayName?: string | null } | null;
  } | null;
  body?: { contentType?: string; content?: string | null } | null;
  /** Not sent by Teams itself: replies a client or a ReplySource attached. */
  replies?: TeamsChatMessage[];
}

/** Where a message lives, for a reader that fetches its replies. */
export interface ThreadLocation {
  conversationId: string;
  teamId: string | null;
  channelId: string | null;
  messageId: string;
}

/**
 * The seam for reading replies from Microsoft Graph
 * (GET /teams/{team}/channels/{channel}/messages/{id}/replies, or the chat's
 * messages): optional, configured by the operator; never called in tests.
 */
export interface ReplySource {
  replies(where: ThreadLocation): Promise<TeamsChatMessage[]>;
}

export interface ThreadLimits {
  /** Time zone of the dates that name messages in a draft's sources. */
  timeZone: string;
  /** Messages kept: the first one and the most recent replies. */
  maxMessages: number;
  maxCharsPerMessage: number;
  maxTotalChars: number;
}

export const DEFAULT_THREAD_LIMITS: ThreadLimits = { timeZone: 'Europe/Paris', maxMessages: 200, maxCharsPerMessage: 4000, maxTotalChars: 120_000 };

export interface ThreadReading {
  thread: Thread;
  /** Set when the conversation was too long: how many messages it had and how many were read. */
  truncated: { total: number; kept: number } | null;
}

function messageText(m: TeamsChatMessage): string {
  const raw = m.body?.content ?? '';
  const body = (m.body?.contentType ?? 'html').toLowerCase() === 'html' ? htmlToText(raw) : tidy(raw);
  const subject = m.subject?.trim();
  return subject ? `${subject}\n${body}`.trim() : body;
}

/** "12/03 09:30" in the PTSM's time zone. */
function shortDate(iso: string | null | undefined, timeZone: string): string | null {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return null;
  const p = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', { timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month} ${p.hour}:${p.minute}`;
}

function toThreadMessage(m: TeamsChatMessage, index: number, maxChars: number, timeZone: string): ThreadMessage | null {
  let text = messageText(m);
  if (!text) return null;
  if (text.length > maxChars) text = `${text.slice(0, maxChars).trimEnd()} […]`;
  const user = m.from?.user;
  const app = m.from?.application;
  const name = user?.displayName?.trim() || app?.displayName?.trim() || 'Participant';
  // Drafts cite messages by id: Teams ids are timestamps nobody can read, so the id says who wrote when.
  const when = shortDate(m.createdDateTime, timeZone);
  return {
    id: when ? `${name} (${when})` : `${name} (message ${index + 1})`,
    author: { id: user?.aadObjectId || user?.id || app?.id || 'inconnu', name },
    ts: m.createdDateTime ?? '',
    text,
  };
}

function uniqueIds(messages: ThreadMessage[]): ThreadMessage[] {
  const seen = new Map<string, number>();
  return messages.map((m) => {
    const n = (seen.get(m.id) ?? 0) + 1;
    seen.set(m.id, n);
    return n === 1 ? m : { ...m, id: `${m.id.slice(0, -1)}, ${n})` };
  });
}

/**
 * Flattens the message and its replies in time order, then keeps the first
 * message (it states the subject) and the most recent replies (they settle
 * it) within the limits.
 */
export function readThread(root: TeamsChatMessage, extraReplies: TeamsChatMessage[], channel: string, limits: ThreadLimits = DEFAULT_THREAD_LIMITS): ThreadReading {
  const seen = new Set<string>();
  const all: TeamsChatMessage[] = [];
  for (const m of [root, ...(root.replies ?? []), ...extraReplies]) {
    const key = m.id ?? '';
    if (key && seen.has(key)) continue;
    if (key) seen.add(key);
    all.push(m);
  }
  const [first, ...rest] = all;
  rest.sort((a, b) => (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? ''));
  const messages = uniqueIds([first!, ...rest]
    .map((m, i) => toThreadMessage(m, i, limits.maxCharsPerMessage, limits.timeZone))
    .filter((m): m is ThreadMessage => m !== null));

  let kept = messages;
  if (kept.length > limits.maxMessages) kept = [kept[0]!, ...kept.slice(kept.length - (limits.maxMessages - 1))];
  // Then the character budget, dropping the oldest replies first.
  let total = kept.reduce((n, m) => n + m.text.length, 0);
  while (total > limits.maxTotalChars && kept.length > 1) {
    total -= kept[1]!.text.length;
    kept = [kept[0]!, ...kept.slice(2)];
  }
  return {
    thread: { channel, messages: kept },
    truncated: kept.length < messages.length ? { total: messages.length, kept: kept.length } : null,
  };
}

export function truncationNote(t: { total: number; kept: number }): string {
  return `Conversation très longue : j'ai lu le premier message et les ${t.kept - 1} réponses les plus récentes (sur ${t.total} messages). Vérifiez que rien d'important ne manque.`;
}
