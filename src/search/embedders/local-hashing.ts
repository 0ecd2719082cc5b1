import { analyze, foldAccents, tokenize } from '../../text/french.js';
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

  async embedQuery(text: string): Promise<number[]> {
    return this.embedSync(text);
  }

  embedSync(text: string): number[] {
    const v = new Float32Array(this.dimensions);
    // Feature → occurrence count; the kind of feature (prefix) sets its weight.
    const counts = new Map<string, number>();
    const add = (f: string): void => { counts.set(f, (counts.get(f) ?? 0) + 1); };
    const stems = analyze(text);
    stems.forEach((s, i) => {
      add(`w:${s}`);
      if (i > 0) add(`b:${stems[i - 1]}_${s}`);
    });
    for (const word of tokenize(text)) {
      const folded = foldAccents(word);
      if (folded.length < 3) continue;
      const padded = `<${folded}>`;
      for (let n = this.opts.ngramMin; n <= this.opts.ngramMax; n++) {
        for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`);
      }
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
}

/** FNV-1a 32-bit, as an unsigned integer. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
