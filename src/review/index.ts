/** Yearly review (bilan annuel): public API. */
import type { Bilan } from './bilan.js';
import { renderBilanCsv } from './render/csv.js';
import { renderBilanDocx } from './render/docx.js';
import { renderBilanXlsx } from './render/xlsx.js';

export { buildBilan, type Bilan, type BilanFiche, type BilanMilestone, type AxisSummary, type IndicatorValue, type BilanInput } from './bilan.js';
export { renderBilanCsv, renderBilanDocx, renderBilanXlsx };

export type BilanFormat = 'docx' | 'csv' | 'xlsx';
export const BILAN_FORMATS: readonly BilanFormat[] = ['docx', 'csv', 'xlsx'];

export const BILAN_MIME: Record<BilanFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function renderBilan(b: Bilan, format: BilanFormat): Promise<Buffer> {
  if (format === 'csv') return renderBilanCsv(b);
  if (format === 'xlsx') return renderBilanXlsx(b);
  return renderBilanDocx(b);
}

/** "Bilan 2026 : 16 fiches, 38 jalons (5 faits, 9 en retard, 2 reportés) ; manques : …" */
export function reviewSummary(b: Bilan): string {
  const sum = (k: 'done' | 'late' | 'postponed') => b.fiches.reduce((n, f) => n + f.counts[k], 0);
  const jalons = b.fiches.reduce((n, f) => n + f.milestones.length, 0);
  const m = b.missing;
  return `Bilan ${b.year} : ${b.fiches.length} fiches actions, ${jalons} jalons (${sum('done')} faits, ${sum('late')} en retard, ${sum('postponed')} reportés) ; `
    + `${m.withoutPilot.length} fiches sans pilote, ${m.withoutIndicatorValue.length} sans valeur d'indicateur, ${m.overdueWithoutAnswer.length} jalons en retard sans réponse.`;
}
