import type { Block, Chunk, DocumentKind, ParsedDocument } from '../core/types.js';
import { listLines } from './blocks/normalize.js';

export interface ChunkOptions {
  /** Target size of a chunk in characters. */
  targetChars: number;
  /** A chunk never exceeds this, except for one unsplittable sentence. */
  maxChars: number;
  /** Characters of the previous chunk repeated at the start of the next one in the same section. */
  overlapChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { targetChars: 900, maxChars: 1500, overlapChars: 150 };

interface DocMeta { docId: string; source: string; title: string; kind: DocumentKind; date: string | null }

/** `part`: title of the document of a collected file this piece belongs to (see Block.part). */
interface Piece { text: string; page: number | null; path: string[]; startsSection: boolean; startsPart: boolean; part: string | null }

/**
 * Cuts a document into passages that follow its structure: a chunk never
 * mixes two top-level sections, a list or a table stays whole when it fits
 * (a fiche's "Objectifs" list must not be cut in the middle), small sections
 * are grouped with their neighbours, long paragraphs are split on sentences
 * with a little overlap.
 */
export function chunkDocument(doc: ParsedDocument, meta: DocMeta, opts: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const pieces = toPieces(doc.blocks, opts);
  const chunks: Chunk[] = [];
  let current: Piece[] = [];
  let size = 0;

  const emit = (): void => {
    if (!current.length) return;
    const first = current[0]!;
    const text = current.map((p) => p.text).join('\n');
    const headingPath = first.path;
    chunks.push({
      id: `${meta.docId}:${chunks.length}`,
      docId: meta.docId,
      source: meta.source,
      // In a collected PDF, a passage is cited under the title of its own document, not the file's cover title.
      title: first.part ?? meta.title,
      kind: meta.kind,
      page: first.page ?? current.find((p) => p.page !== null)?.page ?? null,
      section: headingPath.length ? headingPath[headingPath.length - 1]! : null,
      headingPath,
      date: meta.date,
      text,
      ord: chunks.length,
    });
    current = [];
    size = 0;
  };

  for (const piece of pieces) {
    const topChanged = current.length > 0 && (current[0]!.path[0] ?? '') !== (piece.path[0] ?? '') && size >= opts.targetChars / 3;
    // A page starts a passage: a citation names one page, and in a PDF that gathers several documents a new one starts on a new page.
    const pageChanged = current.length > 0 && piece.page !== null && current[0]!.page !== null && piece.page !== current[0]!.page;
    if (current.length && (size + piece.text.length > opts.maxChars || (piece.startsSection && size >= opts.targetChars) || topChanged || pageChanged || piece.startsPart)) {
      const prev = current[current.length - 1]!;
      emit();
      // Overlap only inside one section: the end of the previous passage gives context.
      if (!piece.startsSection && !pageChanged && prev.path.join('>') === piece.path.join('>') && opts.overlapChars > 0) {
        const tail = lastSentences(prev.text, opts.overlapChars);
        if (tail && tail !== prev.text) { current.push({ ...prev, text: `… ${tail}` }); size = tail.length; }
      }
    }
    current.push(piece);
    size += piece.text.length + 1;
  }
  emit();
  return chunks;
}

/** Blocks → pieces of at most maxChars, each knowing its heading path. Headings become a line of their section's first piece. */
function toPieces(blocks: Block[], opts: ChunkOptions): Piece[] {
  const pieces: Piece[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let pendingHeading: string | null = null;
  let pendingPage: number | null = null;
  // A part (one document of a collected file) starts a passage of its own, however small the one before.
  let pendingPart = false;
  let part: string | null = null;

  for (const b of blocks) {
    if (b.type === 'heading') {
      const level = b.level ?? 3;
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, text: b.text });
      pendingHeading = pendingHeading ? `${pendingHeading}\n${b.text}` : b.text;
      pendingPage = b.page;
      if (b.part) { pendingPart = true; part = b.text; }
      continue;
    }
    const path = stack.map((s) => s.text);
    const parts = splitBlock(b, opts.maxChars - (pendingHeading?.length ?? 0) - 1);
    parts.forEach((text, i) => {
      const withHeading = i === 0 && pendingHeading ? `${pendingHeading}\n${text}` : text;
      pieces.push({ text: withHeading, page: i === 0 && pendingHeading ? (pendingPage ?? b.page) : b.page, path, startsSection: i === 0 && pendingHeading !== null, startsPart: i === 0 && pendingPart, part });
    });
    pendingHeading = null;
    pendingPart = false;
  }
  if (pendingHeading) {
    pieces.push({ text: pendingHeading, page: pendingPage, path: stack.map((s) => s.text), startsSection: true, startsPart: pendingPart, part });
  }
  return pieces;
}

function splitBlock(b: Block, max: number): string[] {
  const limit = Math.max(200, max);
  if (b.type === 'list' && b.items) return packLines(listLines(b), limit);
  if (b.type === 'table' && b.rows) return packLines(b.rows.map((r) => r.map((c) => c.replace(/\n/g, ' ; ')).join(' | ')), limit);
  if (b.text.length <= limit) return [b.text];
  return packLines(splitSentences(b.text), limit, ' ');
}

/** Greedily packs lines into strings of at most `limit` characters (a single longer line is cut on words). */
function packLines(lines: string[], limit: number, sep = '\n'): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of lines.flatMap((l) => (l.length > limit ? hardWrap(l, limit) : [l]))) {
    if (cur && cur.length + sep.length + line.length > limit) { out.push(cur); cur = line; }
    else cur = cur ? cur + sep + line : line;
  }
  if (cur) out.push(cur);
  return out;
}

function hardWrap(s: string, limit: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of s.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > limit) { out.push(cur); cur = w; }
    else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

/** French sentence split that keeps "M. Dupont", "Dr.", "n° 3", "p. 12" and decimals together. */
export function splitSentences(text: string): string[] {
  const parts = text.split(/(?<=[.!?…])\s+(?=[«"(\p{Lu}\d])/u);
  const out: string[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (prev !== undefined && /(\b(M|Mme|Mmes|MM|Dr|Pr|St|Ste|p|pp|art|cf|ex|env|n°|vol|éd|Me)\.|\b[A-Z]\.)$/u.test(prev)) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  return out.map((s) => s.trim()).filter(Boolean);
}

function lastSentences(text: string, maxChars: number): string {
  const sentences = splitSentences(text.replace(/\n/g, ' '));
  let out = '';
  for (let i = sentences.length - 1; i >= 0; i--) {
    const next = out ? `${sentences[i]} ${out}` : sentences[i]!;
    if (next.length > maxChars) break;
    out = next;
  }
  return out;
}
