import type { SqliteDb } from '../storage/sqlite.js';
import type { PilotDirectory } from './directory.js';
import { listNudges, type NudgeRecord } from './ledger.js';
import { addDays, daysBetween, frenchDate, localDate, mondayOf } from './local-time.js';
import { ficheShort, nudgeKindLabel } from './messages.js';
import type { MilestoneRef } from './notifier.js';
import { DEFAULT_TIMEZONE, listMilestones, type MilestoneStatus, type MilestoneView } from './store.js';

/**
 * The coordinator's weekly digest: data first (channels build rich layouts
 * from it), plus one plain French rendering.
 */
export interface DigestItem extends MilestoneRef {
  due: string | null;
  status: MilestoneStatus;
  pilots: string[];
  /** Days from today to the due date (negative: late). */
  daysLeft: number | null;
}

export interface DigestUnlinkedPilot {
  /** The name as written in the fiche, or null when the fiche names no pilot. */
  pilot: string | null;
  reason: 'inconnu' | 'ambigu' | 'sans coordonnées' | 'aucun pilote';
  candidates: string[];
  milestones: { milestoneId: string; ficheId: string; milestone: string }[];
}

export interface DigestFailedNudge {
  key: string;
  recipient: string;
  recipientName: string;
  milestoneId: string;
  milestone: string;
  ficheId: string;
  ficheNumber: number | null;
  kind: string;
  attempts: number;
  error: string | null;
  at: string;
}

export interface Digest {
  generatedAt: string;
  today: string;
  /** Monday of the week the digest covers. */
  weekOf: string;
  upcoming: DigestItem[];
  overdue: DigestItem[];
  /** Marked done in the 7 days before the digest. */
  doneThisWeek: DigestItem[];
  unlinkedPilots: DigestUnlinkedPilot[];
  failedNudges: DigestFailedNudge[];
  /** Open milestones without a usable date: nobody will be reminded. */
  undated: { milestoneId: string; ficheId: string; ficheNumber: number | null; milestone: string; flag: string }[];
}

export interface DigestOptions {
  now: Date | string;
  directory: PilotDirectory;
  timezone?: string;
  /** "Upcoming" window, 30 days by default. */
  horizonDays?: number;
  /** Failed nudges from the scheduler's ledger (default: the SQLite ledger of `db`). */
  failedNudges?: NudgeRecord[];
}

function item(m: MilestoneView, today: string): DigestItem {
  return {
    milestoneId: m.id, ficheId: m.ficheId, ficheNumber: m.ficheNumber, ficheTitle: m.ficheTitle, milestone: m.label,
    dueText: m.dueText, due: m.due, status: m.status, pilots: m.pilots.map((p) => p.name),
    daysLeft: m.due ? daysBetween(today, m.due) : null,
  };
}

export function buildDigest(db: SqliteDb, opts: DigestOptions): Digest {
  const tz = opts.timezone ?? DEFAULT_TIMEZONE;
  const nowIso = typeof opts.now === 'string' ? opts.now : opts.now.toISOString();
  const today = localDate(nowIso, tz);
  const horizon = addDays(today, opts.horizonDays ?? 30);
  const weekAgo = addDays(today, -7);
  const all = listMilestones(db, { now: nowIso, timezone: tz });
  const open = all.filter((m) => m.status === 'à venir' || m.status === 'reporté' || m.status === 'en retard');
  const byId = new Map(all.map((m) => [m.id, m]));

  const unlinked = new Map<string, DigestUnlinkedPilot>();
  const note = (key: string, entry: Omit<DigestUnlinkedPilot, 'milestones'>, m: MilestoneView): void => {
    const u = unlinked.get(key) ?? { ...entry, milestones: [] };
    u.milestones.push({ milestoneId: m.id, ficheId: m.ficheId, milestone: m.label });
    unlinked.set(key, u);
  };
  opts.directory.refresh();
  for (const m of open) {
    if (m.pilots.length === 0) note('\u0000none', { pilot: null, reason: 'aucun pilote', candidates: [] }, m);
    for (const p of m.pilots) {
      const r = opts.directory.resolvePilot(p);
      if (r.status === 'unlinked') note(p.name, { pilot: p.name, reason: r.reason, candidates: r.candidates }, m);
    }
  }

  const failedNudges: DigestFailedNudge[] = (opts.failedNudges ?? listNudges(db, { status: 'failed' }))
    .filter((n) => {
      const m = byId.get(n.milestoneId);
      return m !== undefined && m.status !== 'fait' && m.status !== 'abandonné';
    })
    .map((n) => {
      const m = byId.get(n.milestoneId)!;
      return { key: n.key, recipient: n.recipient, recipientName: n.recipientName, milestoneId: n.milestoneId, milestone: m.label, ficheId: m.ficheId, ficheNumber: m.ficheNumber, kind: n.kind, attempts: n.attempts, error: n.error, at: n.updatedAt };
    });

  return {
    generatedAt: nowIso,
    today,
    weekOf: mondayOf(today),
    upcoming: open.filter((m) => m.due !== null && m.due >= today && m.due <= horizon).map((m) => item(m, today)),
    overdue: open.filter((m) => m.status === 'en retard').map((m) => item(m, today)),
    doneThisWeek: all.filter((m) => m.status === 'fait' && m.doneAt !== null && localDate(m.doneAt, tz) > weekAgo).map((m) => item(m, today)),
    unlinkedPilots: [...unlinked.values()],
    failedNudges,
    undated: open.filter((m) => m.due === null).map((m) => ({ milestoneId: m.id, ficheId: m.ficheId, ficheNumber: m.ficheNumber, milestone: m.label, flag: m.flag ?? 'sans date' })),
  };
}

function line(i: DigestItem): string {
  const when = i.due ? frenchDate(i.due) : 'sans date';
  const who = i.pilots.length ? i.pilots.join(', ') : 'pilote non renseigné';
  return `- ${ficheShort(i.ficheNumber, i.ficheId)} — ${i.milestone} : ${when} (${who})`;
}

function section(title: string, lines: string[], empty: string): string {
  return `${title}\n${lines.length ? lines.join('\n') : `- ${empty}`}`;
}

const UNLINKED_REASONS: Record<DigestUnlinkedPilot['reason'], string> = {
  inconnu: "absent de l'annuaire",
  ambigu: 'plusieurs personnes possibles',
  'sans coordonnées': 'aucun moyen de le joindre',
  'aucun pilote': 'la fiche ne nomme aucun pilote',
};

/** Plain French rendering (console, e-mail, channels without rich layout). */
export function renderDigestText(d: Digest): string {
  const late = (i: DigestItem): string => `${line(i)} — ${i.daysLeft !== null ? `${-i.daysLeft} j de retard` : ''}`;
  const parts = [
    `Synthèse des échéances — semaine du ${frenchDate(d.weekOf)}`,
    section(`En retard (${d.overdue.length})`, d.overdue.map(late), 'aucune échéance en retard'),
    section(`À venir dans les 30 jours (${d.upcoming.length})`, d.upcoming.map(line), 'rien de prévu'),
    section(`Réalisées cette semaine (${d.doneThisWeek.length})`, d.doneThisWeek.map(line), 'aucune'),
  ];
  if (d.unlinkedPilots.length) {
    parts.push(section('Pilotes à relier dans annuaire.json', d.unlinkedPilots.map((u) => {
      const who = u.pilot ?? '(aucun pilote)';
      const cands = u.candidates.length ? ` : ${u.candidates.join(' ou ')}` : '';
      return `- ${who} — ${UNLINKED_REASONS[u.reason]}${cands} (${u.milestones.length} échéance${u.milestones.length > 1 ? 's' : ''})`;
    }), ''));
  }
  if (d.failedNudges.length) {
    parts.push(section('Relances non délivrées', d.failedNudges.map((f) =>
      `- ${ficheShort(f.ficheNumber, f.ficheId)} — ${f.milestone} (${nudgeKindLabel(f.kind)}) pour ${f.recipientName || f.recipient} : ${f.attempts} essai${f.attempts > 1 ? 's' : ''}, ${f.error ?? 'erreur inconnue'}`), ''));
  }
  if (d.undated.length) {
    parts.push(section('Échéances sans date exploitable (aucune relance possible)', d.undated.map((u) => `- ${ficheShort(u.ficheNumber, u.ficheId)} — ${u.milestone} : ${u.flag}`), ''));
  }
  return parts.join('\n\n');
}
