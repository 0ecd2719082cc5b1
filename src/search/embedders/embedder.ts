/**
 * The vector side of the index goes through this one port, shaped like
 * LangChain's EmbeddingsInterface so any provider fits. `id` names the model
 * and its parameters: vectors from another id are never mixed in one index.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
  /**
   * Optional: vectors of texts the indexer has already analysed
   * (`analyzeAndTokenize`), same result as embedDocuments on the texts. The
   * local embedder uses the analysis; remote ones do not need it.
   */
  embedAnalyzed?(items: ReadonlyArray<{ terms: readonly string[]; tokens: readonly string[] }>): number[][];
}

export function l2normalize(v: Float32Array | number[]): number[] {
  let n = 0;
  for (const x of v) n += x * x;
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Array.from(v, (x) => x * inv);
}
