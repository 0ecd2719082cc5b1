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
