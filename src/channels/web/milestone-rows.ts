import type { Fiche } from '../../core/fiche.js';
import type { DigestUnlinkedPilot, MilestoneView } from '../../milestones/index.js';
import { fold } from '../../milestones/normalize.js';

/**
 * The dashboard's view of milestones: each one with its fiche's axis and the
 * pilots nobody can reach, plus the filters shared by the page and the
 * ICS/CSV exports (so an export holds exactly what the page shows).
 */
export type MilestoneRow = MilestoneView & {
  axis: string | null;
  /** Pilots of this milestone the directory cannot reach ("aucun pilote" when none is named). */
  unlinked: Array<{ pilot: string | null; reason: DigestUnlinkedPilot['reason'] }>;
};

export interface MilestoneFilters {
  /** Exact axis text; "" for milestones whose fiche has no axis. */
  axis?: string | undefined;
  /** A pilot's name or e-mail, accents and case ignored. */
  pilot?: string | undefined;
  status?: string | undefined;
}

export const NO_AXIS = '';

export function milestoneRows(milestones: readonly MilestoneView[], fiches: readonly Fiche[], unlinked: readonly DigestUnlinkedPilot[]): MilestoneRow[] {
  const axisOf = new Map(fiches.map((f) => [f.id, f.axis]));
  const byMilestone = new Map<string, MilestoneRow['unlinked']>();
  for (const u of unlinked) {
    for (const m of u.milestones) {
      const list = byMilestone.get(m.milestoneId) ?? [];
      list.push({ pilot: u.pilot, reason: u.reason });
      byMilestone.set(m.milestoneId, list);
    }
  }
  return milestones.map((m) => ({ ...m, axis: axisOf.get(m.ficheId) ?? null, unlinked: byMilestone.get(m.id) ?? [] }));
}

export function filterRows(rows: readonly MilestoneRow[], f: MilestoneFilters): MilestoneRow[] {
  const pilot = f.pilot ? fold(f.pilot).trim() : '';
  return rows.filter((r) => {
    if (f.axis !== undefined && (r.axis ?? NO_AXIS) !== f.axis) return false;
    if (f.status && r.status !== f.status) return false;
    if (pilot && !r.pilots.some((p) => fold(p.name).trim() === pilot || (p.email !== null && fold(p.email) === pilot))) return false;
    return true;
  });
}

/** Reads ?axe=&pilote=&statut= (absent = no filter; "axe=" means "sans axe"). */
export function filtersFromQuery(q: Record<string, unknown>): MilestoneFilters {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { axis: str(q['axe']), pilot: str(q['pilote']) || undefined, status: str(q['statut']) || undefined };
}

const CSV_HEADER = ['Fiche n°', 'Fiche', 'Axe', 'Échéance', 'Échéance écrite', 'Date', 'Début', 'Statut', 'Pilote(s)', 'Pilotes non joignables', 'Remarque'];

/** Spreadsheets run cells starting with = + - @: neutralise them (CSV injection). */
function cell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function frenchDay(iso: string | null): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** CSV as French spreadsheets open it: UTF-8 with BOM, ";" separators, CRLF, dates JJ/MM/AAAA. */
export function renderMilestonesCsv(rows: readonly MilestoneRow[]): string {
  const lines = [CSV_HEADER.map(cell).join(';')];
  for (const r of rows) {
    lines.push([
      r.ficheNumber, r.ficheTitle, r.axis, r.label, r.dueText, frenchDay(r.due), frenchDay(r.start), r.status,
      r.pilots.map((p) => (p.organisation ? `${p.name} (${p.organisation})` : p.name)).join(', '),
      r.unlinked.map((u) => u.pilot ?? 'aucun pilote').join(', '),
      r.flag ?? r.statusReason,
    ].map(cell).join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
