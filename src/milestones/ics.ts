import { createHash } from 'node:crypto';
import { addDays } from './local-time.js';
import { ficheLong, ficheShort } from './messages.js';
import type { MilestoneView } from './store.js';

/**
 * RFC 5545 export: one all-day VEVENT per dated milestone, so the coordinator
 * and pilots can subscribe from Outlook, Thunderbird or a phone calendar.
 */
export interface IcsOptions {
  /** DTSTAMP of every event (the export instant). */
  now: Date | string;
  calendarName?: string;
  /** Right-hand side of UIDs; keep it constant so re-imports update, not duplicate. */
  uidDomain?: string;
  /** Include abandoned milestones as STATUS:CANCELLED (default: left out). */
  includeCancelled?: boolean;
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets, never inside a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= MAX_OCTETS) return line;
  const out: string[] = [];
  let current = '';
  let size = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (size + n > limit) {
      out.push(current);
      current = '';
      size = 0;
      limit = MAX_OCTETS - 1; // continuation lines start with one space
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

function icsDate(date: string): string {
  return date.replace(/-/g, '');
}

function icsStamp(instant: Date | string): string {
  const iso = (typeof instant === 'string' ? new Date(instant) : instant).toISOString();
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** Stable across exports and renames of the fiche title: derived from the milestone id only. */
export function eventUid(milestoneId: string, domain: string): string {
  return `${createHash('sha256').update(milestoneId).digest('hex').slice(0, 32)}@${domain}`;
}

function describe(m: MilestoneView): string {
  const pilots = m.pilots.length
    ? m.pilots.map((p) => (p.organisation ? `${p.name} (${p.organisation})` : p.name)).join(', ')
    : 'non renseigné';
  return [
    `Pilote${m.pilots.length > 1 ? 's' : ''} : ${pilots}`,
    `Fiche : ${ficheLong(m.ficheNumber, m.ficheId, m.ficheTitle)}`,
    `Échéance écrite : ${m.dueText || '(non précisée)'}`,
    `Statut : ${m.status}`,
  ].join('\n');
}

export function renderIcs(milestones: readonly MilestoneView[], opts: IcsOptions): string {
  const domain = opts.uidDomain ?? 'ptsm-assistant';
  const stamp = icsStamp(opts.now);
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//PTSM Assistant//Echeances des fiches actions//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(opts.calendarName ?? 'Échéances du PTSM')}`,
  ];
  for (const m of milestones) {
    if (m.due === null) continue; // nothing to place in a calendar
    const cancelled = m.status === 'abandonné';
    if (cancelled && !opts.includeCancelled) continue;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${eventUid(m.id, domain)}`,
      `DTSTAMP:${stamp}`,
      `LAST-MODIFIED:${icsStamp(m.updatedAt)}`,
      `DTSTART;VALUE=DATE:${icsDate(m.due)}`,
      `DTEND;VALUE=DATE:${icsDate(addDays(m.due, 1))}`,
      `SUMMARY:${escapeText(`${ficheShort(m.ficheNumber, m.ficheId)} — ${m.label}`)}`,
      `DESCRIPTION:${escapeText(describe(m))}`,
      'TRANSP:TRANSPARENT',
      `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
