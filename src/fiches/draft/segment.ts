/**
 * Cuts a thread into segments (a sentence, or one item of a list) and gives
 * each what the extractors need: the field its header names ("Partenaires :"),
 * its stance (proposal / decision / neutral), whether it is a digression, and
 * the message's topic, which a reply such as "Et côté soins : nombre de …"
 * inherits from the message before it.
 */
import type { FicheField, Thread } from '../../core/fiche.js';
import {
  ACTION_PROPOSAL_RE, FUNDING_CUE_RE, INDICATOR_CUE_RE, STEP_CUE_RE, PARTNER_WEAK_RE, PUBLIC_CUE_RE, continuesPrevious, hasPilotCue, headerOf,
  isDigressionMessage, isNoise, isPureValidation, listIntroOf, stanceOf, startsWithAgreement, type Stance,
} from './cues.js';
import { cleanMessage, type Mention, type Platform } from './markup.js';
import type { Directory } from './people.js';
import { messageDay } from './message-day.js';
import { foldSameLength } from './text.js';

export type StanceKind = 'decision' | 'proposal' | 'neutral';

export interface MessageInfo {
  id: string;
  index: number;
  authorId: string;
  authorName: string;
  /** Day the message was written (local), the reference of its relative dates. */
  day: string;
  platform: Platform;
  mentions: Mention[];
  /** Opens with "ok", "d'accord", 👍…, or validates the thread: confirms earlier proposals. */
  agreement: boolean;
  digression: boolean;
  topic: FicheField | null;
  /** The topic came from the previous message or the quoted one, not from this message's words. */
  topicInherited: boolean;
}

export interface Segment {
  msg: MessageInfo;
  raw: string;
  norm: string;
  /** Start of the content after a header's ":" (0 when no header). */
  bodyStart: number;
  section: FicheField | null;
  sub: 'general' | 'operational' | null;
  /** The header is in this very sentence (not inherited from a list intro). */
  ownHeader: boolean;
  listItem: boolean;
  stance: StanceKind;
  flags: Stance;
  noise: boolean;
}

const BULLET_RE = /^\s*(?:[-*•–·]|\d{1,2}\s*[).]|\d{1,2}\/|[a-h]\))\s+/;
// Split after . ! ? … when a new sentence visibly starts; keep "Dr. X", "n° 3", "etc. )".
// People typing on a phone often skip capitals: "formateurs. ensuite organiser…" is two sentences too.
const SENTENCE_SPLIT_RE = /(?<=[\p{L}\p{N})»"'][.!?…]+)\s+(?=[\p{L}«"'0-9@(¿¡])/u;
const ABBREV_END_RE = /(?:\b(?:dr|pr|mme|mr|m|st|ste|cf|etc|p|n°|ex|vol|art))\.$/i;

function splitSentences(line: string): string[] {
  const parts = line.split(SENTENCE_SPLIT_RE);
  const out: string[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (prev !== undefined && ABBREV_END_RE.test(prev)) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  // "1) a, 2) b, 3) c" inline: one segment per item, they are steps.
  return out.flatMap((s) => {
    const items = s.split(/\s+(?=\d{1,2}\)\s)/);
    return items.length >= 3 ? items : [s];
  });
}

/** What a message is mainly about, from its words (null when nothing stands out). */
export function topicOf(norm: string): FicheField | null {
  const h = headerOf(norm) ?? listIntroOf(norm);
  if (h) return h.field;
  if (INDICATOR_CUE_RE.test(norm)) return 'indicators';
  if (hasPilotCue(norm)) return 'pilots';
  if (/\bcalendrier\b|\becheance/.test(norm)) return 'milestones';
  if (/\bpublics?\b/.test(norm) && PUBLIC_CUE_RE.test(norm)) return 'targetPublic';
  if (PARTNER_WEAK_RE.test(norm)) return 'partners';
  if (ACTION_PROPOSAL_RE.test(norm) || STEP_CUE_RE.test(norm)) return 'steps';
  if (/\bbudget\b|\bfinancement\b/.test(norm) && FUNDING_CUE_RE.test(norm)) return 'funding';
  return null;
}

export interface Segmented {
  messages: MessageInfo[];
  segments: Segment[];
}

export interface SegmentOptions {
  timeZone: string;
  /** Day used for a message without a readable timestamp (plain-text threads). */
  fallbackDay: string;
  /** The draft's day: a message stamped later comes from a clock that is off, and is read as of this day. */
  latestDay: string;
}

const minDay = (a: string, b: string): string => (a <= b ? a : b);

export function segmentThread(thread: Thread, dir: Directory, opts: SegmentOptions): Segmented {
  const messages: MessageInfo[] = [];
  const segments: Segment[] = [];
  let lastTopic: FicheField | null = null;

  thread.messages.forEach((m, index) => {
    const clean = cleanMessage(m.text, dir);
    const fullNorm = foldSameLength(clean.text);
    const info: MessageInfo = {
      id: m.id,
      index,
      authorId: m.author.id,
      authorName: m.author.name,
      day: minDay(messageDay(m.ts, opts.timeZone) ?? opts.fallbackDay, opts.latestDay),
      platform: clean.platform,
      mentions: clean.mentions,
      agreement: false,
      digression: isDigressionMessage(fullNorm.slice(0, 80)),
      topic: null,
      topicInherited: false,
    };
    messages.push(info);

    const own: Segment[] = [];
    let section: FicheField | null = null;
    let sub: 'general' | 'operational' | null = null;
    let listOpen = false; // the section came from a line that only announced a list
    let blankBefore = false;
    for (const rawLine of clean.text.split('\n')) {
      const line = rawLine.trim();
      if (!line) {
        blankBefore = true;
        continue;
      }
      const bullet = BULLET_RE.exec(line);
      // A blank line ends a list, unless the list's items come right after it (HTML <p> then <ul>).
      if (blankBefore && !(bullet && listOpen)) {
        section = null;
        listOpen = false;
      }
      blankBefore = false;
      const body = bullet ? line.slice(bullet[0].length) : line;
      const lineNorm = foldSameLength(body);
      const header = headerOf(lineNorm);
      const intro = header ? null : listIntroOf(lineNorm);
      if (header) {
        section = header.field;
        sub = header.sub;
        listOpen = header.bodyStart >= lineNorm.trimEnd().length;
      } else if (intro) {
        section = intro.field;
        sub = null;
        listOpen = true;
      } else if (!bullet && !listOpen) {
        section = null;
        sub = null;
      }
      const sentences = splitSentences(body);
      sentences.forEach((sentence, i) => {
        const norm = foldSameLength(sentence);
        const h = i === 0 ? null : headerOf(norm);
        const seg: Segment = {
          msg: info,
          raw: sentence,
          norm,
          bodyStart: 0,
          section: null,
          sub: null,
          ownHeader: false,
          listItem: !!bullet || (listOpen && !header && !intro),
          stance: 'neutral',
          flags: stanceOf(norm),
          noise: info.digression || isNoise(norm),
        };
        if (i === 0 && header) {
          Object.assign(seg, { section: header.field, sub: header.sub, bodyStart: header.bodyStart, ownHeader: true });
        } else if (h) {
          Object.assign(seg, { section: h.field, sub: h.sub, bodyStart: h.bodyStart, ownHeader: true });
        } else if (i === 0 && intro) {
          // The intro line itself ("Étapes, je propose :") carries stance only.
        } else if (section && (i === 0 || (!seg.flags.decision && !seg.flags.proposal && !seg.flags.question))) {
          seg.section = section;
          seg.sub = sub;
        }
        own.push(seg);
      });
    }

    // Stance: a sentence without its own cue takes the last cued sentence before it in its
    // message ("Je vous propose un récap :" then the list). Never a later one: "Suite au COPIL,
    // on rédige la fiche X. Je vous propose qu'on avance ici" does not make X a proposal.
    const kindOf = (s: Segment): StanceKind | null => (s.flags.decision ? 'decision' : s.flags.proposal ? 'proposal' : null);
    let prevKind: StanceKind | null = null;
    for (const s of own) {
      const k = kindOf(s);
      s.stance = k ?? prevKind ?? 'neutral';
      if (k) prevKind = k;
    }

    const first = own[0];
    info.agreement =
      (first !== undefined && startsWithAgreement(first.norm)) ||
      (clean.agreementEmoji && fullNorm.replace(/[^a-z]/g, '').length < 40) ||
      own.some((s) => isPureValidation(s.norm));

    // Topic: from the message's own words, else carried over from the previous message.
    let topic: FicheField | null = null;
    for (const s of own) {
      topic = s.section ?? topicOf(s.norm);
      if (topic) break;
    }
    if (!topic && !info.digression) {
      const quoted = clean.quoted ? topicOf(foldSameLength(clean.quoted)) : null;
      if (quoted) topic = quoted;
      else if (first && continuesPrevious(first.norm)) topic = lastTopic;
      info.topicInherited = topic !== null;
    }
    info.topic = topic;
    if (!info.digression && own.length > 0) lastTopic = topic ?? (info.agreement ? lastTopic : null);

    segments.push(...own);
  });
  return { messages, segments };
}
