import fs from 'node:fs';
import path from 'node:path';
import { PtsmError } from '../core/errors.js';
import type { Chunk, DocumentKind, SearchHit } from '../core/types.js';
import { analyze } from '../text/french.js';
import type { Embedder } from './embedders/embedder.js';
import { reciprocalRankFusion } from './fusion.js';
import { LexicalIndex } from './lexical.js';
import { VECTORS_FILE, readSnapshot, type SnapshotManifest, type SnapshotView, type StoredChunk } from './snapshot.js';
import { VectorIndex } from './vector-index.js';

export type SearchMode = 'hybrid' | 'bm25' | 'vector';

export interface SearchOptions {
  k?: number;
  mode?: SearchMode;
  kinds?: readonly DocumentKind[];
  /** Restrict to some documents (channel scopes). */
  allowSource?: (source: string) => boolean;
  /** Extra query text (acronym expansions, previous turn's entities) searched alongside the question. */
  expansion?: string;
}

export interface ScoredChunk {
  chunk: Chunk;
  /** Fused score (RRF) in hybrid mode, else the retriever's own score. */
  score: number;
  bm25: number;
  cosine: number;
}

/** The text a chunk is indexed under: its title and headings carry much of its meaning. */
export function indexedText(c: Pick<Chunk, 'title' | 'headingPath' | 'text'>): string {
  return `${c.title}\n${c.headingPath.join(' > ')}\n${c.text}`;
}

/** Candidates each retriever hands to the fusion. */
const CANDIDATES = 60;

/**
 * Weights of BM25 and vectors in the fusion. Weights from 0.4 to 1 for the
 * vectors changed the sample eval by one question at most (npm run eval):
 * plain, equal-weight RRF is kept until a larger eval says otherwise.
 */
const FUSION_WEIGHTS = [1, 1] as const;

/**
 * The read side of the knowledge base: BM25 with French analysis on SQLite
 * FTS5 plus HNSW vectors, fused by reciprocal rank. Passages are read from
 * the generation's file when a search returns them; only the document list
 * and the vector graph are in memory.
 */
export class KnowledgeBase {
  private glossary: StoredChunk[] | null = null;

  /** The vector graph once loaded; until then searches wait for `annLoading`. */
  private ann: VectorIndex | null = null;
  private readonly annLoading: Promise<VectorIndex | null>;

  private constructor(
    readonly manifest: SnapshotManifest,
    readonly snapshot: SnapshotView,
    private readonly lexical: LexicalIndex,
    ann: Promise<VectorIndex | null>,
    private readonly embedder: Embedder,
    private readonly ranges: DocumentRanges,
  ) {
    this.annLoading = ann.then((a) => (this.ann = a));
    // A graph that fails to load is reported by the searches that need it, not as an unhandled rejection.
    this.annLoading.catch(() => undefined);
  }

  /** Opens the current index of a data directory. Throws INDEX_MISSING with a French hint when there is none. */
  static open(dataDir: string, embedder: Embedder): KnowledgeBase {
    const view = readSnapshot(dataDir);
    if (!view) {
      throw new PtsmError('INDEX_MISSING', `Aucun index dans ${dataDir} : lancez d'abord « ptsm index <dossier> » (par ex. « ptsm index corpus »).`, { input: dataDir });
    }
    if (view.manifest.embedder.id !== embedder.id) {
      view.close();
      throw new PtsmError('INDEX_CORRUPT', `L'index de ${dataDir} a été construit avec l'embedder « ${view.manifest.embedder.id} », la configuration demande « ${embedder.id} » : relancez « ptsm index ».`, { input: dataDir });
    }
    try {
      return KnowledgeBase.fromView(view, embedder);
    } catch (e) {
      view.close();
      if (e instanceof PtsmError) throw e;
      throw new PtsmError('INDEX_CORRUPT', `Index illisible dans ${view.dir} (${(e as Error).message}) : relancez « ptsm index ».`, { input: view.dir, cause: e });
    }
  }

  static fromView(view: SnapshotView, embedder: Embedder): KnowledgeBase {
    const stats = view.file.stats();
    const hnswFile = path.join(view.dir, VECTORS_FILE);
    const dims = view.manifest.embedder.dimensions;
    // The graph (1.7 GB at a million passages) loads in the background: opening costs the document list only.
    const ann = stats.chunks && dims && fs.existsSync(hnswFile)
      ? VectorIndex.readInBackground(hnswFile, dims, Number(view.file.getMeta('hnsw_deleted') ?? 0)).catch((e: unknown) => {
        throw new PtsmError('INDEX_CORRUPT', `Graphe des vecteurs illisible : ${hnswFile} (${(e as Error).message}) : relancez « ptsm index ».`, { input: hnswFile, cause: e });
      })
      : Promise.resolve(null);
    return new KnowledgeBase(view.manifest, view, new LexicalIndex(view.file, stats), ann, embedder, new DocumentRanges(view.file.documentRanges()));
  }

  get size(): number {
    return this.lexical.size;
  }

  /** Inverse document frequency of an analysed term (used by the answerer to weigh question words). */
  idf(term: string): number {
    return this.lexical.idf(term);
  }

  termsWithPrefix(prefix: string, max?: number): string[] {
    return this.lexical.termsWithPrefix(prefix, max);
  }

  /** Passages of one document, in order. */
  chunksOfDocument(docId: string): StoredChunk[] {
    return this.snapshot.chunksOf(docId);
  }

  /** Passages of the documents that are glossaries (source, title or section says so). */
  glossaryChunks(): StoredChunk[] {
    return (this.glossary ??= this.snapshot.file.glossaryChunks());
  }

  /** Every passage, in index order (exports, tests): reads the whole file, never on a request path. */
  allChunks(): Iterable<StoredChunk> {
    return this.snapshot.file.iterateChunks();
  }

  /** Resolves once the vector graph is in memory (benchmarks, readiness). */
  async loaded(): Promise<void> {
    await this.annLoading;
  }

  close(): void {
    this.snapshot.close();
  }

  async search(query: string, opts: SearchOptions = {}): Promise<ScoredChunk[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? 'hybrid';
    const allow = this.filter(opts);
    const fullQuery = opts.expansion ? `${query}\n${opts.expansion}` : query;
    const lexical = mode === 'vector' ? [] : this.lexical.search(analyze(fullQuery), mode === 'bm25' ? k : CANDIDATES, allow);
    let semantic: Array<{ index: number; score: number }> = [];
    let qv: number[] | null = null;
    if (mode !== 'bm25') {
      qv = await this.embedder.embedQuery(fullQuery);
      const ann = this.ann ?? (await this.annLoading);
      semantic = ann ? ann.search(qv, mode === 'vector' ? k : CANDIDATES, allow) : [];
    }
    const bm25Of = new Map(lexical.map((h) => [h.index, h.score]));
    const cosOf = new Map(semantic.map((h) => [h.index, h.score]));
    const ranked = (mode === 'hybrid' ? reciprocalRankFusion([lexical, semantic], 60, FUSION_WEIGHTS) : mode === 'bm25' ? lexical : semantic).slice(0, k);
    const chunks = this.snapshot.file.chunksByIds(ranked.map((h) => h.index));
    const out: ScoredChunk[] = [];
    for (const h of ranked) {
      const chunk = chunks.get(h.index);
      if (!chunk) continue;
      out.push({ chunk, score: h.score, bm25: bm25Of.get(h.index) ?? 0, cosine: cosOf.get(h.index) ?? this.cosine(h.index, qv) });
    }
    return out;
  }

  /** Cosine between a passage and a query vector (vectors are stored normalised). */
  private cosine(label: number, q: number[] | null): number {
    if (!q || !this.ann) return 0;
    const v = this.ann.vector(label);
    if (!v) return 0;
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i]! * q[i]!;
    return s;
  }

  private filter(opts: SearchOptions): ((label: number) => boolean) | undefined {
    const { kinds, allowSource } = opts;
    if (!kinds?.length && !allowSource) return undefined;
    const kindSet = kinds?.length ? new Set(kinds) : null;
    return (label) => {
      const doc = this.ranges.documentOf(label);
      return !!doc && (!kindSet || kindSet.has(doc.kind)) && (!allowSource || allowSource(doc.source));
    };
  }
}

/** The document of a passage rowid: documents own consecutive rowids, so a binary search over their first rowid finds it. */
class DocumentRanges {
  private readonly firsts: Float64Array;
  private readonly counts: Int32Array;
  private readonly docs: Array<{ kind: DocumentKind; source: string }>;

  constructor(ranges: ReadonlyArray<{ first: number; count: number; kind: DocumentKind; source: string }>) {
    this.firsts = Float64Array.from(ranges.map((r) => r.first));
    this.counts = Int32Array.from(ranges.map((r) => r.count));
    this.docs = ranges.map((r) => ({ kind: r.kind, source: r.source }));
  }

  documentOf(label: number): { kind: DocumentKind; source: string } | null {
    let lo = 0;
    let hi = this.firsts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.firsts[mid]! <= label) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0 || label >= this.firsts[found]! + this.counts[found]!) return null;
    return this.docs[found]!;
  }
}

/** `ptsm search --json` shape. */
export function toSearchHit(s: ScoredChunk): SearchHit {
  const c = s.chunk;
  return { source: c.source, title: c.title, kind: c.kind, page: c.page, section: c.section, text: c.text, score: Number(s.score.toFixed(6)) };
}
