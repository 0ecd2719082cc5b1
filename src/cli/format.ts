import { PtsmError } from '../core/errors.js';

/** Small text helpers for CLI output. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export function truncate(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1).trimEnd() + '…';
}

/** A one-line progress bar for stderr ("[#####-----] 12/40 fichier.pdf"). */
export function progressBar(done: number, total: number, label: string, width = 24): string {
  const ratio = total ? done / total : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${truncate(label, 50)}`;
}

export function parseIntFlag(value: unknown, name: string, min: number, max: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new PtsmError('USAGE', `--${name} attend un nombre entier entre ${min} et ${max} (reçu « ${String(value)} »)`, { input: String(value) });
  }
  return n;
}
