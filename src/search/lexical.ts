import { topK, type Bm25Hit, type Bm25Params } from './bm25.js';
import type { KbFile, KbStats } from './kb-file.js';

/**
 * The French lexical index on SQLite FTS5. FTS5 finds and orders the
 * candidates with its own bm25(); the candidates are then scored with the
 * project's BM25 (idf = ln(1 + (N − df + ½)/(df + ½)), query term counts),
 * so the ranking is the one the answer model was fitted on, at any size.
 *
 * On large indexes, terms held by more than PRUNE_SHARE of the passages are
 * left out of the FTS5 query (their idf is near zero, and matching them means
 * scoring most of the index), but they still count in the final score.
 */
export interface LexicalOptions {
  bm25: Bm25Params;
  /** Candidates read from FTS5 per page (at least 4 × k). */
  candidatePage: number;
  /** Pages read at most when a filter (channel scopes, kinds) rejects candidates. */
  maxPages: number;
  /** Below this many passages every query term goes to FTS5. */
  pruneMinChunks: number;
  /** Share of the passages above which a term is left out of the FTS5 query. */
  pruneShare: number;
  /** Terms kept in the FTS5 query when every term is frequent. */
  keepWhenAllFrequent: number;
}

export const DEFAULT_LEXICAL_OPTIONS: LexicalOptions = {
  bm25: { k1: 1.2, b: 0.75 }, candidatePage: 300, maxPages: 8, pruneMinChunks: 20_000, pruneShare: 0.05, keepWhenAllFrequent: 2,
};

const DF_CACHE_MAX = 50_000;

export class LexicalIndex {
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(private readonly file: KbFile, private readonly stats: KbStats, private readonly opts: LexicalOptions = DEFAULT_LEXICAL_OPTIONS) {
    this.avgLength = stats.chunks ? stats.totalTerms / stats.chunks : 0;
  }

  get size(): number {
    return this.stats.chunks;
  }

  documentFrequency(term: string): number {
    let n = this.df.get(term);
    if (n === undefined) {
      n = this.file.documentFrequency(term);
      if (this.df.size >= DF_CACHE_MAX) this.df.clear();
      this.df.set(term, n);
    }
    return n;
  }

  /** Inverse document frequency of an analysed term, 0 when unknown. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return df ? Math.log(1 + (this.stats.chunks - df + 0.5) / (df + 0.5)) : 0;
  }

  termsWithPrefix(prefix: string, max = 5): string[] {
    return this.file.termsWithPrefix(prefix, max);
  }

  search(queryTerms: readonly string[], k: number, allow?: (label: number) => boolean): Bm25Hit[] {
    const weights = new Map<string, number>();
    for (const t of queryTerms) weights.set(t, (weights.get(t) ?? 0) + 1);
    const known = [...weights.keys()].filter((t) => this.documentFrequency(t) > 0);
    if (!known.length || k <= 0) return [];
    const matchTerms = this.matchTerms(known);
    const page = Math.max(this.opts.candidatePage, 4 * k);
    const candidates: number[] = [];
    for (let p = 0; p < this.opts.maxPages; p++) {
      const ids = this.file.matchAny(matchTerms, page, p * page);
      for (const id of ids) if (!allow || allow(id)) candidates.push(id);
      if (ids.length < page || candidates.length >= page) break;
    }
    return topK(this.score(candidates, weights), k);
  }

  private matchTerms(known: string[]): string[] {
    if (this.stats.chunks < this.opts.pruneMinChunks) return known;
    const limit = this.opts.pruneShare * this.stats.chunks;
    const rare = known.filter((t) => this.documentFrequency(t) <= limit);
    if (rare.length) return rare;
    return [...known].sort((a, b) => this.documentFrequency(a) - this.documentFrequency(b)).slice(0, this.opts.keepWhenAllFrequent);
  }

  private score(ids: readonly number[], weights: ReadonlyMap<string, number>): Bm25Hit[] {
    const { k1, b } = this.opts.bm25;
    const idf = new Map([...weights.keys()].map((t) => [t, this.idf(t)]));
    const hits: Bm25Hit[] = [];
    for (const [id, text] of this.file.termsByIds(ids)) {
      const terms = text ? text.split(' ') : [];
      const tf = new Map<string, number>();
      for (const t of terms) if (weights.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
      let s = 0;
      const norm = k1 * (1 - b + (b * terms.length) / (this.avgLength || 1));
      for (const [t, f] of tf) s += weights.get(t)! * idf.get(t)! * ((f * (k1 + 1)) / (f + norm));
      if (s > 0) hits.push({ index: id, score: s });
    }
    return hits;
  }
}
