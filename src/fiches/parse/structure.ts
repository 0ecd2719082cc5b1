import type { Block } from '../../core/types.js';
import { matchSection, parseFicheHeading, type SectionMatch } from './sections.js';

/**
 * Blocks → labelled sections. Fiches come as headings followed by content,
 * as two-column tables (label cell | content cell), as "Label : value" lines,
 * or as a mix of the three; this module flattens all of them into one list of
 * sections, each holding the pieces (lines, list items, table rows) under it.
 */

export interface Piece {
  kind: 'line' | 'item' | 'row';
  text: string;
  /** Cells of a table row inside a section (an indicator or calendar table). */
  cells?: string[];
  /** An inline sub-label of the same field ("Échéance : T2 2025" under "Calendrier"). */
  sub?: { label: string; match: SectionMatch };
  page: number | null;
}

export interface Section {
  /** The label as written, cleaned of numbering and trailing ":". */
  label: string;
  match: SectionMatch | null;
  pieces: Piece[];
  page: number | null;
}

export interface Structure {
  /** First heading (or table header) naming the fiche, if any. */
  heading: { text: string; numberText: string | null; title: string } | null;
  /** Content met before the first section (subtitle, axis line, version note). */
  preamble: Piece[];
  sections: Section[];
  /** Heading-like lines that could be the title when the fiche heading carries only a number. */
  titleCandidates: string[];
}

export interface StructureOptions {
  /** Headings come from layout guesses (plain text, PDF): some are content lines. */
  guessedHeadings: boolean;
}

const CIVILITY_RE = /^(?:M\.|Mme|Mlle|MM\.|Mmes|Dr|Pr|Docteur|Professeur|Madame|Monsieur)\s/u;
/** Where a closing note of a plain-text fiche is kept. */
const NOTE_LABEL = 'Note';
/** Setext underlines and separators of plain-text fiches ("-------", "====="). */
const RULE_RE = /^[-=_~*#.·•]{3,}$/u;
const LEADING_RULE_RE = /^[-=_~*#]{3,}\s+/u;

export function buildStructure(blocks: readonly Block[], opts: StructureOptions): Structure {
  const out: Structure = { heading: null, preamble: [], sections: [], titleCandidates: [] };
  let current = null as Section | null;
  /** Index of the block holding the fiche heading: the next block may continue it (wrapped PDF title). */
  let headingBlock = -1;

  const open = (label: string, match: SectionMatch | null, page: number | null): Section => {
    current = { label: cleanLabel(label), match, pieces: [], page };
    out.sections.push(current);
    return current;
  };
  const add = (p: Piece): void => {
    const text = p.text.replace(LEADING_RULE_RE, '').replace(/^>\s+/u, '').trim();
    if (RULE_RE.test(text) || /^!doctype\b/i.test(text)) return;
    if (!text && !p.cells?.some((c) => c.trim())) return;
    const piece = { ...p, text };
    const target = current ? current.pieces : out.preamble;
    const prev = target[target.length - 1];
    if (opts.guessedHeadings && prev && piece.kind === 'line' && !piece.sub && prev.text && continuesPrevious(prev, piece)) {
      // A PDF line break cut a list item or a parenthesis: glue it back.
      prev.text = /[a-zà-ÿ]-$/u.test(prev.text) ? prev.text + piece.text : `${prev.text} ${piece.text}`;
      return;
    }
    target.push(piece);
  };

  /** A line of text: may open a section ("Pilote : X") or be content of the current one. */
  const addLine = (raw: string, kind: 'line' | 'item', page: number | null): void => {
    const text = raw.trim();
    if (!text) return;
    if (!current && text.length <= 160 && considerFicheHeading(text)) return;
    if (/^--\s+\S/u.test(text)) {
      // "-- Fiche rédigée par le groupe de travail…": a closing note, not the end of the last section.
      open(NOTE_LABEL, null, page);
      add({ kind: 'line', text: text.replace(/^--\s+/u, ''), page });
      return;
    }
    if (kind === 'line') {
      // "Bénéficiaires" alone on its line, or "Éléments de diagnostic Le logement…" (PDF): a section label without ":".
      const bare = matchSection(text);
      if (bare && !bare.weak && text.split(/\s+/).length <= 6 && !/[.;]$/.test(text)) { openOrSub(text, bare, '', kind, page); return; }
      if (opts.guessedHeadings) {
        const lead = leadingLabel(text);
        if (lead) { openOrSub(lead.label, lead.match, lead.rest, kind, page); return; }
      }
    }
    for (const part of splitInline(text, current?.match ?? null)) {
      if (part.label === null) add({ kind, text: part.value, page });
      else openOrSub(part.label, part.match, part.value, kind, page);
    }
  };

  const openOrSub = (label: string, m: SectionMatch | null, value: string, kind: 'line' | 'item', page: number | null): void => {
    const here: Section | null = current;
    if (m && here?.match && sameField(here.match, m) && !(m.field === 'indicators' && !m.weak && m.variant !== here.match.variant && !value)) {
      // "Échéance : T2 2025" under "Calendrier": a sub-label, not a new section.
      const sub = { label: cleanLabel(label), match: m };
      if (value) add({ kind, text: value, sub, page });
      else markSub(here, sub.label, m);
      return;
    }
    open(label, m, page);
    if (value) addLine(value, kind, page);
  };

  const considerFicheHeading = (text: string): boolean => {
    if (out.heading?.numberText != null) return false;
    const h = parseFicheHeading(text);
    if (!h) return false;
    // A generic first heading ("PTSM DE LA HAUTE-LIRONDE") gives way to the fiche heading.
    if (out.heading) out.titleCandidates.push(out.heading.text);
    out.heading = { text, numberText: h.numberText, title: h.title };
    return true;
  };

  for (const [i, b] of blocks.entries()) {
    if (opts.guessedHeadings && i === headingBlock + 1 && headingBlock >= 0 && b.type === 'paragraph' && out.heading) {
      // "Fiche action n° 5 — Logement d'abord pour les" + "personnes vivant… Éléments de diagnostic Le logement…"
      const rest = continueTitle(out.heading, b.text);
      if (rest !== b.text) {
        if (rest) addLine(rest, 'line', b.page);
        continue;
      }
    }
    switch (b.type) {
      case 'heading': {
        const text = b.text.trim();
        if (!text) break;
        if (considerFicheHeading(text)) { headingBlock = i; break; }
        if (!out.heading && i === 0 && (b.level ?? 9) <= 1 && !matchSection(text)) {
          out.heading = { text, numberText: null, title: text };
          headingBlock = i;
          break;
        }
        if (splitInline(text, current?.match ?? null)[0]?.label != null) { addLine(text, 'line', b.page); break; }
        const m = matchSection(text);
        if (m && !(m.weak && !(current?.match && sameField(current.match, m)))) { openOrSub(text, m, '', 'line', b.page); break; }
        const kv = /^([^:]{2,40}?)\s*:\s+(.+)$/u.exec(text);
        if (kv && /^\p{Lu}/u.test(kv[1]!) && kv[1]!.split(/\s+/).length <= 4 && !CIVILITY_RE.test(kv[1]!) && !/^(?:axe|priorit|fiche|fa\b)/iu.test(kv[1]!)) {
          // "Date de rédaction : 1er octobre 2024" guessed as a heading: an unknown section with its value.
          open(kv[1]!, null, b.page);
          addLine(kv[2]!, 'line', b.page);
          break;
        }
        if (!current && out.sections.length === 0) {
          // Before any section: a subtitle, the real title, or an axis line.
          out.titleCandidates.push(text);
          add({ kind: 'line', text, page: b.page });
          break;
        }
        if (opts.guessedHeadings && (current as Section | null)?.match && looksLikeContent(text)) {
          add({ kind: 'line', text, page: b.page });
          break;
        }
        open(text, null, b.page);
        break;
      }
      case 'paragraph':
        for (const line of b.text.split('\n')) addLine(line, 'line', b.page);
        break;
      case 'list':
        for (const item of b.items ?? b.text.split('\n')) addLine(item, 'item', b.page);
        break;
      case 'table':
        addTable(b.rows ?? [], b.page);
        break;
    }
  }
  return out;

  function addTable(rows: string[][], page: number | null): void {
    if (!rows.length) return;
    const labelRows = rows.filter((r) => r.length >= 2 && r.filter((c) => c.trim()).length >= 1 && isLabelCell(r[0]!)).length;
    const columns = Math.max(...rows.map((r) => r.length));
    // "Étape | Échéance", "Indicateur | Cible": a header of columns, not a label row (a later "Évaluation" row is data).
    const columnHeader = !isGenericHeader(rows[0]!) && rows.length >= 2 && rows[0]!.every((c) => COLUMN_HEADER_RE.test(foldSimple(c)));
    const isLabelTable = !columnHeader && (columns >= 3
      ? labelRows >= rows.length * 0.6
      : labelRows >= 2 || (labelRows === 1 && rows.length <= 3) || labelRows >= rows.length * 0.3);
    // Horizontal layout: labels across the first row, values in the second.
    const headerLabels = columnHeader ? 0 : rows[0]!.filter((c) => isLabelCell(c)).length;
    if (!isLabelTable && rows.length === 2 && headerLabels >= 2 && headerLabels >= rows[0]!.length - 1) {
      rows[0]!.forEach((label, col) => {
        const value = rows[1]![col] ?? '';
        const m = matchSection(firstLine(label));
        open(label, m && !m.weak ? m : null, page);
        for (const line of value.split('\n')) addLine(line, 'line', page);
      });
      return;
    }
    if (!isLabelTable) {
      // A content table (indicators with targets, a calendar): rows stay rows.
      if (!current) open('', null, page);
      for (const r of rows) add({ kind: 'row', text: r.join(' | '), cells: r.map((c) => c.trim()), page });
      return;
    }
    for (const [ri, r] of rows.entries()) {
      const cells = r.map((c) => c.trim());
      const nonEmpty = cells.filter(Boolean);
      if (!nonEmpty.length) continue;
      const head = cells[0]!;
      if (ri === 0 && considerFicheHeading(head)) {
        // "Fiche action n° 4 | Développer la pair-aidance"
        const rest = cells.slice(1).filter(Boolean).join(' — ');
        if (rest && out.heading && !out.heading.title) out.heading.title = rest;
        else if (rest) out.titleCandidates.push(rest);
        continue;
      }
      if (ri === 0 && isGenericHeader(cells)) continue;
      if (nonEmpty.length === 1 || cells.length === 1) {
        for (const line of nonEmpty[0]!.split('\n')) addLine(line, 'line', page);
        continue;
      }
      if (!head) {
        // Continuation of the previous label (merged label cell).
        for (const c of cells.slice(1)) for (const line of c.split('\n')) addLine(line, 'line', page);
        continue;
      }
      const m = matchSection(head) ?? matchSection(firstLine(head));
      const values = cells.slice(1).filter(Boolean);
      if (m && !m.weak) {
        open(firstLine(head), m, page);
      } else if (m?.weak && current?.match && sameField(current.match, m)) {
        markSub(current, cleanLabel(firstLine(head)), m);
      } else if (isShortLabel(head)) {
        open(head.replace(/\n/g, ' '), null, page);
      } else {
        add({ kind: 'row', text: cells.join(' | '), cells, page });
        continue;
      }
      if (values.length > 1) {
        // Label | step | date: keep the cells for the calendar and indicator readers.
        add({ kind: 'row', text: values.join(' | '), cells: values, page });
      } else {
        for (const line of (values[0] ?? '').split('\n')) addLine(line, 'line', page);
      }
    }
  }
}

/** Whether a PDF line is the tail of the previous piece rather than a new one. */
function continuesPrevious(prev: Piece, next: Piece): boolean {
  const open = (prev.text.match(/[(«]/g) ?? []).length;
  const close = (prev.text.match(/[)»]/g) ?? []).length;
  if (open > close) return true;
  if (/[a-zà-ÿ]-$/u.test(prev.text)) return true;
  if (prev.kind !== 'item' || /[.;!?:]$/.test(prev.text)) return false;
  return /^\p{Ll}/u.test(next.text) || (next.text.split(/\s+/).length <= 3 && /[.;]$/.test(next.text));
}

/** "Éléments de diagnostic Le logement est…" → the label and the text after it. */
function leadingLabel(text: string): { label: string; match: SectionMatch; rest: string } | null {
  const words = text.split(/\s+/);
  // Shortest first: the word after the label must open a sentence ("Public cible Personnes…").
  for (let n = 1; n <= Math.min(5, words.length - 1); n++) {
    const label = words.slice(0, n).join(' ');
    const next = words[n]!;
    if (label.includes(':')) return null;
    if (!/^\p{Lu}/u.test(label) || !/^[\p{Lu}«"0-9]/u.test(next)) continue;
    const m = matchSection(label);
    if (m && !m.weak) return { label, match: m, rest: words.slice(n).join(' ') };
  }
  return null;
}

/**
 * The paragraph after a wrapped PDF title: its lowercase start ends the
 * title; a capitalised start before a section label is a subtitle. Returns
 * what is left of the paragraph (unchanged when it does not continue the title).
 */
function continueTitle(heading: NonNullable<Structure['heading']>, text: string): string {
  const t = text.trim();
  // Where the first section label sits inside the paragraph ("… Priorité Axe 3 …").
  let cut = -1;
  const words = t.split(/\s+/);
  let offset = 0;
  const starts: number[] = [];
  for (const w of words) { starts.push(t.indexOf(w, offset)); offset = starts[starts.length - 1]! + w.length; }
  for (let i = 1; i < words.length && cut < 0; i++) {
    if (!/^\p{Lu}/u.test(words[i]!)) continue;
    if (leadingLabel(t.slice(starts[i]!)) || /^[^:]{2,40}:/.test(t.slice(starts[i]!)) && matchSection(t.slice(starts[i]!).split(':')[0]!)) cut = starts[i]!;
  }
  const head = cut >= 0 ? t.slice(0, cut).trim() : t;
  const rest = cut >= 0 ? t.slice(cut) : '';
  if (/^\p{Ll}/u.test(head) && head.length <= 200) {
    heading.title = `${heading.title} ${head}`.trim();
    return rest;
  }
  if (cut > 0 && head.length <= 160 && !/[.!?]$/.test(head) && heading.title && !/[.:!?]$/.test(heading.title)) {
    heading.title = `${heading.title} : ${head}`;
    return rest;
  }
  return text;
}

/** Sub-label for the pieces that follow, in the same section ("Indicateurs de processus" under "Indicateurs"). */
function markSub(section: Section, label: string, match: SectionMatch): void {
  section.pieces.push({ kind: 'line', text: '', sub: { label, match }, page: section.page });
}

function sameField(a: SectionMatch, b: SectionMatch): boolean {
  return a.field === b.field;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function isLabelCell(cell: string): boolean {
  const head = firstLine(cell);
  const m = matchSection(cell.replace(/\n/g, ' ')) ?? matchSection(head);
  return m !== null && !m.weak;
}

function isShortLabel(cell: string): boolean {
  const t = cell.replace(/\n/g, ' ').trim();
  return t.length <= 60 && t.split(/\s+/).length <= 7 && !/[.;!?]$/.test(t) && !CIVILITY_RE.test(t);
}

const GENERIC_HEADERS = /^(rubrique|rubriques|item|items|element|elements|champ|champs|intitule|contenu|description|libelle|critere|criteres|informations?|details?|)$/;

/** Words that head the columns of a calendar or indicator table. */
const COLUMN_HEADER_RE = /^(etapes?|actions?|jalons?|livrables?|echeances?|echeancier|dates?|periodes?|calendrier|delais?|responsables?|pilotes?|porteurs?|indicateurs?|type|nature|cibles?|valeurs? cibles?|valeur attendue|objectifs?|sources?|frequence|modalites? de recueil|resultats? attendus?|statut|etat|trimestre|annee|acteurs?|n°|no|commentaires?|observations?|)$/;

function isGenericHeader(cells: string[]): boolean {
  return cells.every((c) => GENERIC_HEADERS.test(foldSimple(c)));
}

function foldSimple(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[\s:.]+$/u, '').trim();
}

/** A guessed heading that is really content: a person, an organisation with details, a dated line. */
function looksLikeContent(text: string): boolean {
  return CIVILITY_RE.test(text) || /[()@]/.test(text) || /\d/.test(text) || /[,;]/.test(text) || text.split(/\s+/).length > 6
    || /^[A-Z0-9ÀÂÉÈÊÎÔÛÇ'’\- ]{2,12}$/u.test(text);
}

/** "3. Pilote(s) :" → "Pilote(s)". */
export function cleanLabel(label: string): string {
  return label
    .replace(/\*\*|__/g, '')
    .replace(/^\s*(?:(?:\d+(?:\.\d+)*|[IVX]{1,5})\s*[.)\-–—:]\s*|[a-hA-H][.)]\s+|\d+(?:\.\d+)+\s+)/u, '')
    .replace(/[\s:]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface InlinePart {
  label: string | null;
  match: SectionMatch | null;
  value: string;
}

/**
 * Splits "Pilote : Mme X (EPSM) Partenaires : CMP, GEM" into labelled parts.
 * Plain-text and PDF loaders join short lines into one paragraph, so labels
 * may sit in the middle of a line: those must start with a capital letter
 * after a space. Labels that make no sense inside the current field
 * ("Objectif : 100 en 2027" under "Indicateurs") are left as content.
 */
export function splitInline(text: string, currentMatch: SectionMatch | null): InlinePart[] {
  const t = text.trim();
  if (!t) return [];
  type Cut = { at: number; valueStart: number; label: string; match: SectionMatch | null };
  const known: Cut[] = [];
  const unknown: Cut[] = [];
  const candidate = /([\p{L}\d][^:\n]{0,70}?)\s*:(?!\/\/)\s*/uy;
  // Every word start is tried: a single regex pass would glue "X (EPSM) Partenaires" into one label.
  for (let pos = 0; pos < t.length; pos++) {
    if (pos > 0 && !/\s/.test(t[pos - 1]!)) continue;
    if (pos > 0 && !/\p{Lu}/u.test(t[pos]!)) continue;
    candidate.lastIndex = pos;
    const m = candidate.exec(t);
    if (!m) continue;
    const label = m[1]!;
    const match = matchSection(label);
    const end = m.index + m[0].length;
    if (match && acceptInline(match, currentMatch, pos === 0)) {
      known.push({ at: pos, valueStart: end, label, match });
      pos = end - 1;
    } else if (pos > 0 && !match && /^\p{Lu}[\p{Ll}'’-]*(?:\s+[\p{L}'’-]+){0,2}$/u.test(label) && !/[,;(]\s*$/.test(t.slice(0, pos))) {
      unknown.push({ at: pos, valueStart: end, label, match: null });
    }
  }
  if (!known.length) return [{ label: null, match: null, value: t }];
  // "Axe : 6 … Pilote : Mme X … Version : validée" — in a run of labels, unknown ones ("Version") are labels too:
  // the shortest label before each colon that no known label claims.
  const claimed = new Set(known.map((k) => k.valueStart));
  const byColon = new Map<number, Cut>();
  for (const u of unknown) if (!claimed.has(u.valueStart) && u.at > known[0]!.at) byColon.set(u.valueStart, u);
  const extra = known.length >= 2 || known[0]!.at === 0 ? [...byColon.values()] : [];
  const cuts = [...known, ...extra].sort((a, b) => a.at - b.at);
  const parts: InlinePart[] = [];
  if (cuts[0]!.at > 0) parts.push({ label: null, match: null, value: t.slice(0, cuts[0]!.at).trim() });
  cuts.forEach((c, i) => {
    const end = i + 1 < cuts.length ? cuts[i + 1]!.at : t.length;
    parts.push({ label: c.label, match: c.match, value: t.slice(c.valueStart, end).trim() });
  });
  return parts;
}

function acceptInline(m: SectionMatch, current: SectionMatch | null, atStart: boolean): boolean {
  if (m.weak) return current?.field === m.field;
  if (current?.field === 'indicators' && m.field === 'objectives' && m.variant === 'any') return false;
  if (current?.field === 'indicators' && m.field === 'indicators' && !atStart) return false;
  return true;
}
