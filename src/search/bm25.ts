/**
 * Okapi BM25 over pre-analysed terms (see src/text/french.ts). Postings are
 * typed arrays built once at load; a query touches only the postings of its
 * terms, so latency follows the rarity of the words, not the corpus size.
 */
export interface Bm25Params { k1: number; b: number }

export interface Bm25Hit { index: number; score: number }

interface Postings { docs: Int32Array; tfs: Float32Array; idf: number }

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: Float32Array;
  private readonly avgLength: number;
  private readonly scores: Float64Array;

  constructor(docsTerms: ReadonlyArray<readonly string[]>, private readonly params: Bm25Params = { k1: 1.2, b: 0.75 }) {
    const n = docsTerms.length;
    this.lengths = new Float32Array(n);
    this.scores = new Float64Array(n);
    const acc = new Map<string, { docs: number[]; tfs: number[] }>();
    let total = 0;
    docsTerms.forEach((terms, doc) => {
      this.lengths[doc] = terms.length;
      total += terms.length;
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, c] of tf) {
        let p = acc.get(t);
        if (!p) { p = { docs: [], tfs: [] }; acc.set(t, p); }
        p.docs.push(doc);
        p.tfs.push(c);
      }
    });
    this.avgLength = n ? total / n : 0;
    for (const [t, p] of acc) {
      const df = p.docs.length;
      this.postings.set(t, {
        docs: Int32Array.from(p.docs),
        tfs: Float32Array.from(p.tfs),
        idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)),
      });
    }
  }

  get size(): number { return this.lengths.length; }

  /** Inverse document frequency of a term, 0 when unknown. */
  idf(term: string): number { return this.postings.get(term)?.idf ?? 0; }

  /** Known terms starting with a prefix ("telepsy" → "telepsychiatr"): abbreviations in chat questions. */
  termsWithPrefix(prefix: string, max = 5): string[] {
    if (!this.sortedTerms) this.sortedTerms = [...this.postings.keys()].sort();
    const terms = this.sortedTerms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (terms[mid]! < prefix) lo = mid + 1; else hi = mid; }
    const out: string[] = [];
    for (let i = lo; i < terms.length && out.length < max && terms[i]!.startsWith(prefix); i++) out.push(terms[i]!);
    return out;
  }

  private sortedTerms: string[] | null = null;

  search(queryTerms: readonly string[], k: number, allow?: (index: number) => boolean): Bm25Hit[] {
    const { k1, b } = this.params;
    const touched: number[] = [];
    const scores = this.scores;
    const weights = new Map<string, number>();
    for (const t of queryTerms) weights.set(t, (weights.get(t) ?? 0) + 1);
    for (const [term, qtf] of weights) {
      const p = this.postings.get(term);
      if (!p) continue;
      const { docs, tfs, idf } = p;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        const norm = tf + k1 * (1 - b + (b * this.lengths[d]!) / (this.avgLength || 1));
        if (scores[d] === 0) touched.push(d);
        scores[d]! += qtf * idf * ((tf * (k1 + 1)) / norm);
      }
    }
    const hits: Bm25Hit[] = [];
    for (const d of touched) {
      const s = scores[d]!;
      scores[d] = 0;
      if (s > 0 && (!allow || allow(d))) hits.push({ index: d, score: s });
    }
    return topK(hits, k);
  }
}

/** Top k by score without sorting everything (touched sets can be large). */
export function topK<T extends { score: number }>(items: T[], k: number): T[] {
  if (items.length <= k * 4) return items.sort((a, b) => b.score - a.score).slice(0, k);
  const heap: T[] = [];
  for (const it of items) {
    if (heap.length < k) { heap.push(it); if (heap.length === k) heap.sort((a, b) => a.score - b.score); }
    else if (it.score > heap[0]!.score) {
      heap[0] = it;
      // sift down (min-heap kept as sorted insertion for small k)
      let i = 0;
      while (i + 1 < heap.length && heap[i]!.score > heap[i + 1]!.score) { [heap[i], heap[i + 1]] = [heap[i + 1]!, heap[i]!]; i++; }
    }
  }
  return heap.sort((a, b) => b.score - a.score);
}
