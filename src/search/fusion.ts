/**
 * Reciprocal rank fusion: robust to the two retrievers' incomparable score
 * scales (BM25 is unbounded, cosine is in [-1, 1]). k = 60 as in Cormack et al.
 */
export function reciprocalRankFusion(lists: ReadonlyArray<ReadonlyArray<{ index: number }>>, k = 60, weights?: readonly number[]): Array<{ index: number; score: number }> {
  const scores = new Map<number, number>();
  lists.forEach((list, li) => {
    const w = weights?.[li] ?? 1;
    list.forEach((hit, rank) => scores.set(hit.index, (scores.get(hit.index) ?? 0) + w / (k + rank + 1)));
  });
  return [...scores].map(([index, score]) => ({ index, score })).sort((a, b) => b.score - a.score);
}
