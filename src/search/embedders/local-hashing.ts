import { LruMap } from '../../core/lru.js';
import { analyzeAndTokenize, foldAccents } from '../../text/french.js';
import { type Embedder, l2normalize } from './embedder.js';

/**
 * The default embedder: no weights, no network, corpus-independent (so
 * vectors of unchanged documents are reused across re-indexes). A text is
 * the sum of hashed features — stems, stem bigrams and character n-grams of
 * folded words — projected with signed feature hashing. Character n-grams
 * give what BM25 lacks: typos, inflections the stemmer misses, compounds
 * written apart or together ("pair-aidance", "pairaidance", "pair aidants").
 */
export interface LocalHashingOptions { dimensions: number; ngramMin: number; ngramMax: number; charWeight: number; bigramWeight: number }

export const DEFAULT_LOCAL_OPTIONS: LocalHashingOptions = { dimensions: 384, ngramMin: 3, ngramMax: 5, charWeight: 0.6, bigramWeight: 0.5 };

export class LocalHashingEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(private readonly opts: LocalHashingOptions = DEFAULT_LOCAL_OPTIONS) {
    this.dimensions = opts.dimensions;
    this.id = `local-hashing-v1:d${opts.dimensions}:n${opts.ngramMin}-${opts.ngramMax}:c${opts.charWeight}:b${opts.bigramWeight}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedSync(t));
  }

  embedAnalyzed(items: ReadonlyArray<{ terms: readonly string[]; tokens: readonly string[] }>): number[][] {
    return items.map((it) => this.embedTokens(it.terms, it.tokens));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedSync(text);
  }

  embedSync(text: string): number[] {
    const { terms, tokens } = analyzeAndTokenize(text);
    return this.embedTokens(terms, tokens);
  }

  /** The vector of a text already analysed (`analyzeAndTokenize`): the indexer analyses each passage once. */
  embedTokens(stems: readonly string[], tokens: readonly string[]): number[] {
    const v = new Float32Array(this.dimensions);
    // Feature → occurrence count; the kind of feature (prefix) sets its weight.
    const counts = new Map<string, number>();
    const add = (f: string): void => { counts.set(f, (counts.get(f) ?? 0) + 1); };
    stems.forEach((s, i) => {
      add(`w:${s}`);
      if (i > 0) add(`b:${stems[i - 1]}_${s}`);
    });
    for (const word of tokens) {
      for (const f of this.charFeatures(word)) add(f);
    }
    for (const [f, count] of counts) {
      const kindWeight = f[0] === 'c' ? this.opts.charWeight : f[0] === 'b' ? this.opts.bigramWeight : 1;
      // Sublinear term frequency: repeating a word should not dominate the vector.
      const weight = kindWeight * (1 + Math.log(count));
      const h = fnv1a(f);
      v[h % this.dimensions]! += (h & 0x80000000) ? -weight : weight;
    }
    return l2normalize(v);
  }

  /** Character n-grams of a folded word, cached: the same words come back in every passage. */
  private charFeatures(word: string): readonly string[] {
    let features = this.wordCache.get(word);
    if (features) return features;
    const folded = foldAccents(word);
    const out: string[] = [];
    if (folded.length >= 3) {
      const padded = `<${folded}>`;
      for (let n = this.opts.ngramMin; n <= this.opts.ngramMax; n++) {
        for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
      }
    }
    features = out;
    this.wordCache.set(word, features);
    return features;
  }

  private readonly wordCache = new LruMap<string, readonly string[]>(WORD_CACHE_SIZE);
}

/** Distinct words whose n-grams are kept (a few MB). */
const WORD_CACHE_SIZE = 50_000;

/** FNV-1a 32-bit, as an unsigned integer. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
