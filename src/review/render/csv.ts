import type { Bilan } from '../bilan.js';
import { FICHE_COLUMNS, ficheRow } from './rows.js';

/** French Excel opens UTF-8 only with a BOM, and splits on `;`. */
const BOM = '\uFEFF';

function cell(v: string): string {
  return /[";\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One row per fiche action, for the coordinator's spreadsheet. */
export function renderBilanCsv(b: Bilan): Buffer {
  const lines = [FICHE_COLUMNS as readonly string[], ...b.fiches.map(ficheRow)].map((r) => r.map(cell).join(';'));
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
