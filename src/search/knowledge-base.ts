import fs from 'node:fs';
import path from 'node:path';
import { PtsmError } from '../core/errors.js';
import type { Chunk, DocumentKind, SearchHit } from '../core/types.js';
import { analyze } from '../text/french.js';
import { Bm25Index } from './bm25.js';
import type { Embedder } from './embedders/embedder.js';
import { reciprocalRankFusion } from './fusion.js';
import { currentGeneration, generationDir, readSnapshot, type SnapshotData, type SnapshotManifest, type StoredChunk } from './snapshot.js';
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
 * The read side of the knowledge base: BM25 with French analysis plus HNSW
 * vectors, fused by reciprocal rank.
 */
export class KnowledgeBase {
  private constructor(
    readonly manifest: SnapshotManifest,
    readonly chunks: readonly StoredChunk[],
    private readonly vectors: Float32Array,
    private readonly bm25: Bm25Index,
    private readonly ann: VectorIndex,
    private readonly embedder: Embedder,
    readonly snapshot: SnapshotData,
  ) {}

  /** Opens the current index of a data directory. Throws INDEX_MISSING with a French hint when there is none. */
  static open(dataDir: string, embedder: Embedder): KnowledgeBase {
    const data = readSnapshot(dataDir);
    if (!data) {
      throw new PtsmError('INDEX_MISSING', `Aucun index dans ${dataDir} : lancez d'abord « ptsm index <dossier> » (par ex. « ptsm index corpus »).`, { input: dataDir });
    }
    if (data.manifest.embedder.id !== embedder.id) {
      throw new PtsmError('INDEX_CORRUPT', `L'index de ${dataDir} a été construit avec l'embedder « ${data.manifest.embedder.id} », la configuration demande « ${embedder.id} » : relancez « ptsm index ».`, { input: dataDir });
    }
    const gen = currentGeneration(dataDir)!;
    const hnswFile = path.join(generationDir(dataDir, gen), 'vectors.hnsw');
    return KnowledgeBase.fromSnapshot(data, embedder, fs.existsSync(hnswFile) ? hnswFile : null);
  }

  static fromSnapshot(data: SnapshotData, embedder: Embedder, hnswFile: string | null = null): KnowledgeBase {
    const dims = data.manifest.embedder.dimensions;
    const bm25 = new Bm25Index(data.chunks.map((c) => (c.terms ? c.terms.split(' ') : [])));
    const ann = hnswFile && data.chunks.length
      ? VectorIndex.read(hnswFile, dims, data.chunks.length)
      : VectorIndex.build(data.vectors, dims, data.chunks.length);
    return new KnowledgeBase(data.manifest, data.chunks, data.vectors, bm25, ann, embedder, data);
  }

  get size(): number {
    return this.chunks.length;
  }

  /** Inverse document frequency of an analysed term (used by the answerer to weigh question words). */
  idf(term: string): number {
    return this.bm25.idf(term);
  }

  termsWithPrefix(prefix: string, max?: number): string[] {
    return this.bm25.termsWithPrefix(prefix, max);
  }

  async search(query: string, opts: SearchOptions = {}): Promise<ScoredChunk[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? 'hybrid';
    const allow = this.filter(opts);
    const fullQuery = opts.expansion ? `${query}\n${opts.expansion}` : query;
    const lexical = mode === 'vector' ? [] : this.bm25.search(analyze(fullQuery), mode === 'bm25' ? k : CANDIDATES, allow);
    let semantic: Array<{ index: number; score: number }> = [];
    let qv: number[] | null = null;
    if (mode !== 'bm25') {
      qv = await this.embedder.embedQuery(fullQuery);
      semantic = this.ann.search(qv, mode === 'vector' ? k : CANDIDATES, allow);
    }
    const bm25Of = new Map(lexical.map((h) => [h.index, h.score]));
    const cosOf = new Map(semantic.map((h) => [h.index, h.score]));
    const ranked = mode === 'hybrid' ? reciprocalRankFusion([lexical, semantic], 60, FUSION_WEIGHTS) : mode === 'bm25' ? lexical : semantic;
    return ranked.slice(0, k).map((h) => ({
      chunk: this.chunks[h.index]!,
      score: h.score,
      bm25: bm25Of.get(h.index) ?? 0,
      cosine: cosOf.get(h.index) ?? this.cosine(h.index, qv),
    }));
  }

  /** Cosine between a chunk and a query vector (vectors are stored normalised). */
  private cosine(index: number, q: number[] | null): number {
    if (!q) return 0;
    const d = this.manifest.embedder.dimensions;
    let s = 0;
    for (let i = 0; i < d; i++) s += this.vectors[index * d + i]! * q[i]!;
    return s;
  }

  private filter(opts: SearchOptions): ((index: number) => boolean) | undefined {
    const { kinds, allowSource } = opts;
    if (!kinds?.length && !allowSource) return undefined;
    const kindSet = kinds?.length ? new Set(kinds) : null;
    return (i) => {
      const c = this.chunks[i]!;
      return (!kindSet || kindSet.has(c.kind)) && (!allowSource || allowSource(c.source));
    };
  }
}

/** `ptsm search --json` shape. */
export function toSearchHit(s: ScoredChunk): SearchHit {
  const c = s.chunk;
  return { source: c.source, title: c.title, kind: c.kind, page: c.page, section: c.section, text: c.text, score: Number(s.score.toFixed(6)) };
}
