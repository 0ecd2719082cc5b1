import type { Chunk } from '../core/types.js';
import type { ScoredChunk } from '../search/knowledge-base.js';
import { splitSentences } from '../ingestion/chunker.js';
import { isFieldLine, isListLine } from '../ingestion/blocks/normalize.js';

/**
 * An answer unit: the smallest piece of a retrieved passage that can hold a
 * fact and be quoted — a sentence, a list item (with the label line above
 * it), a table row (with its header row).
 */
export interface AnswerUnit {
  chunk: Chunk;
  /** What is quoted. */
  text: string;
  /** Text around the unit that gives it meaning but is not quoted: the table header, the sentence before. */
  context: string;
  /** Heading the unit sits under (may differ from the chunk's first heading). */
  section: string | null;
  /** Rank of the unit's passage in the retrieval (0 = first). */
  retrievalRank: number;
  /** Page that holds the unit (paged formats), which may follow the passage's first page. */
  page: number | null;
  /** Position of the unit within its passage (0 = first). */
  position: number;
  /** The line after the unit in its passage: a fact often follows the sentence that names its topic. */
  next: string;
  /** Names of the question (places, organisations) that the unit's whole document never mentions. */
  namesAbsent: number;
  /** The passage's retrieval scores, normalised by the best of the query. */
  bm25: number;
  cosine: number;
}

const isRow = (l: string): boolean => l.includes(' | ') || /^\|.*\|$/.test(l);

/** Lines of a passage as units: list lines and table rows stay whole, prose is split into sentences. */
export function linesOf(chunk: Pick<Chunk, 'text'>): string[] {
  const out: string[] = [];
  for (const line of chunk.text.split('\n')) {
    const t = line.trim().replace(/^…\s*/, '');
    if (!t || t === '…') continue;
    if (isListLine(t) || isRow(t) || t.length < 200) out.push(t);
    else out.push(...splitSentences(t));
  }
  return out;
}

/**
 * Splits retrieved passages into answer units. A label line ("Pilote(s) :",
 * "Actions retenues") is quoted with what follows it; a table row keeps its
 * header as context; every unit keeps the line before it as context, since
 * prose often names the topic in one sentence and gives the fact in the next.
 */
export interface DocumentLookup {
  headingsOf(docId: string): ReadonlySet<string>;
  pageOf(docId: string, text: string): number | null;
  mentions(doc: Pick<Chunk, 'docId' | 'title' | 'source'>, name: string, page?: number | null): boolean;
  lineAfter(docId: string, text: string): string;
}

const NO_LOOKUP: DocumentLookup = { headingsOf: () => new Set(), pageOf: () => null, mentions: () => true, lineAfter: () => '' };

export function answerUnits(hits: readonly ScoredChunk[], names: readonly string[] = [], docs: DocumentLookup = NO_LOOKUP): AnswerUnit[] {
  const units: AnswerUnit[] = [];
  const maxBm25 = Math.max(1e-9, ...hits.map((h) => h.bm25));
  const maxCos = Math.max(1e-9, ...hits.map((h) => h.cosine));
  hits.forEach((hit, rank) => {
    const c = hit.chunk;
    const lines = linesOf(c);
    const headings = docs.headingsOf(c.docId);
    let section = c.section ?? '';
    let header = '';
    lines.forEach((line, i) => {
      // A heading that carries its value (« Échéance : 24 octobre 2025 ») is a fact to quote, not a section.
      const isHeading = (headings.has(line) || line === c.title) && !isFieldLine(line);
      if (isHeading) { section = line; header = ''; return; }
      if (isRow(line)) {
        if (!header) { header = line; if (i + 1 < lines.length && isRow(lines[i + 1]!)) return; }
      } else header = '';
      const text = withFollowers(line, lines.slice(i + 1));
      const page = c.page === null ? null : docs.pageOf(c.docId, line) ?? c.page;
      units.push({
        chunk: c,
        text,
        context: [header && header !== line ? header : '', i > 0 ? lines[i - 1]! : ''].filter(Boolean).join('\n'),
        section: section || null,
        retrievalRank: rank,
        page,
        position: i,
        // The passage's last line is followed by the next passage's first one, in the document.
        next: lines[i + 1] ?? docs.lineAfter(c.docId, line),
        namesAbsent: names.filter((n) => !docs.mentions(c, n, page)).length,
        bm25: hit.bm25 / maxBm25,
        cosine: hit.cosine / maxCos,
      });
    });
  });
  return units;
}

/**
 * A label line ("Pilote(s) :") or a short title line over a list is answered
 * by what follows it: the next line, or the list under it.
 */
function withFollowers(text: string, rest: readonly string[]): string {
  const next = rest[0];
  if (!next) return text;
  const isLabel = /:\s*$/.test(text) || (!isListLine(text) && text.length <= 80 && !/[.!?;,»)]$/.test(text) && isListLine(next));
  if (!isLabel) return text;
  if (!isListLine(next)) return `${text} ${next}`;
  const items: string[] = [];
  for (const l of rest) { if (!isListLine(l) || items.length >= 8) break; items.push(l); }
  return `${text}\n${items.join('\n')}`;
}
