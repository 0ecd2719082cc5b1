/** Okapi BM25 shapes (the index itself is SQLite FTS5: see lexical.ts). */
export interface Bm25Params { k1: number; b: number }

export interface Bm25Hit { index: number; score: number }

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
