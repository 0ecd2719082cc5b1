import type { Block } from '../../core/types.js';
import { BULLET_RE, cleanInline, listBlock, listMarker, stripBullet } from './normalize.js';

/**
 * Plain lines → blocks, for .txt files and PDF pages, where structure is only
 * visible in the layout: headings are short lines that start a new topic
 * (ALL CAPS, numbered "2.1", or a label ending with ":"), lists start with
 * bullets, and wrapped lines are joined back into paragraphs.
 */
export function plainToBlocks(text: string, page: number | null = null): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[\u00a0\u202f\t]/g, ' ').trimEnd());
  const blocks: Block[] = [];
  let para: string[] = [];
  let items: string[] = [];
  let markers: string[] = [];

  const flush = (): void => {
    if (para.length) {
      const t = cleanInline(joinWrapped(para));
      if (t) blocks.push({ type: 'paragraph', text: t, page });
      para = [];
    }
    if (items.length) {
      const list = listBlock(items, markers, page);
      if (list) blocks.push(list);
      items = [];
      markers = [];
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (!trimmed) { flush(); continue; }
    // Setext underline ("CONSTAT" / "-------"): the line above was a heading.
    if (/^[-=_*~]{3,}$/.test(trimmed)) {
      if (para.length === 1 && !items.length) {
        const text = cleanInline(para[0]!);
        para = [];
        blocks.push({ type: 'heading', level: trimmed.includes('=') ? 1 : 2, text, page });
      }
      continue;
    }
    const prev = i > 0 ? lines[i - 1]!.trim() : '';
    const next = i + 1 < lines.length ? lines[i + 1]!.trim() : '';
    const level = headingLevel(trimmed, prev, next, para.length > 0 || items.length > 0);
    if (level !== null) {
      flush();
      // A long title wraps: "FA 5 — Logement d'abord et habitat inclusif pour les" + "personnes en grande précarité".
      let heading = trimmed;
      while (i + 1 < lines.length && !/[.:;!?]$/.test(heading) && /^[a-zà-ÿ«"(]/.test(lines[i + 1]!.trim()) && heading.length + lines[i + 1]!.trim().length <= 180) {
        heading = `${heading} ${lines[++i]!.trim()}`;
      }
      blocks.push({ type: 'heading', level, text: cleanInline(heading.replace(/\s*:\s*$/, '')), page });
    } else if (BULLET_RE.test(line)) {
      if (para.length) { const keep = [items, markers] as const; items = []; markers = []; flush(); [items, markers] = keep; }
      items.push(stripBullet(line));
      markers.push(listMarker(line));
    } else if (items.length && !endsSentence(items[items.length - 1]!) && /^[a-zà-ÿ(«"0-9]/.test(trimmed)) {
      // A wrapped list item (PDF lines) continues the previous bullet.
      items[items.length - 1] = joinWrapped([items[items.length - 1]!, trimmed]);
    } else {
      if (items.length) flush();
      para.push(trimmed);
    }
  }
  flush();
  return blocks;
}

function endsSentence(s: string): boolean {
  return /[.!?;:»)]$/.test(s.trim());
}

/** Joins wrapped lines, repairing words hyphenated at the line end ("accompa-" + "gnement"). */
export function joinWrapped(lines: string[]): string {
  let out = '';
  for (const l of lines) {
    // "Haute-" + "Lironde", "Île-" + "de-France", "Côtes-" + "d'Armor": a proper noun wrapped at its own hyphen keeps it.
    if (/(^|[\s'’(])\p{Lu}[\p{Ll}]*-$/u.test(out) && /^\p{L}/u.test(l)) out += l;
    else if (/[a-zà-ÿ]-$/.test(out) && /^[a-zà-ÿ]/.test(l)) out = out.slice(0, -1) + l;
    else out = out ? `${out} ${l}` : l;
  }
  return out;
}

function headingLevel(line: string, prev: string, next: string, inBlock: boolean): number | null {
  if (line.length > 90 || BULLET_RE.test(line) && !/^\d+\.\d/.test(line)) return null;
  const letters = line.replace(/[^A-Za-zÀ-ÿ]/g, '');
  const upper = line.replace(/[^A-ZÀ-Þ]/g, '');
  const startsTopic = !inBlock || prev === '' || endsSentence(prev);
  if (!startsTopic) return null;
  // "FICHE ACTION N° 4", "OBJECTIFS OPÉRATIONNELS"
  if (letters.length >= 4 && upper.length / letters.length > 0.85 && !/[.,;]$/.test(line)) return 1;
  // "2.1 Objectifs", "III. Gouvernance", "Axe 2 – …"
  if (/^(\d+(\.\d+)+\.?|[IVX]{1,5}[.)-])\s+\p{Lu}/u.test(line) && line.length <= 80 && !/[.;,]$/.test(line)) return 2;
  if (/^(axe|fiche(\s+action)?|fa|priorité|article|annexe|chapitre|partie)\s*(n°\s*)?[\dIVX]+\b/i.test(line) && line.length <= 90 && !/[.;,]$/.test(line)) return 2;
  // "Public cible :" alone on its line
  if (/:$/.test(line) && line.length <= 60 && /^\p{Lu}/u.test(line)) return 3;
  // A short capitalised line that does not end a sentence, followed by a new block
  if (line.length <= 60 && /^\p{Lu}/u.test(line) && !/[.,;:!?]$/.test(line) && (next === '' || /^\p{Lu}/u.test(next) || BULLET_RE.test(next)) && line.split(/\s+/).length <= 8) {
    return 3;
  }
  return null;
}
