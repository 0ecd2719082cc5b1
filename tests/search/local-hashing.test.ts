import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { l2normalize } from '../../src/search/embedders/embedder.js';
import { DEFAULT_LOCAL_OPTIONS, LocalHashingEmbedder, fnv1a } from '../../src/search/embedders/local-hashing.js';
import { analyze, analyzeAndTokenize, foldAccents, tokenize } from '../../src/text/french.js';

/** The embedder as first written (no caches, two tokenizations): the optimised one must give the same vectors. */
function referenceVector(text: string): number[] {
  const o = DEFAULT_LOCAL_OPTIONS;
  const v = new Float32Array(o.dimensions);
  const counts = new Map<string, number>();
  const add = (f: string): void => { counts.set(f, (counts.get(f) ?? 0) + 1); };
  const stems = analyze(text);
  stems.forEach((s, i) => { add(`w:${s}`); if (i > 0) add(`b:${stems[i - 1]}_${s}`); });
  for (const word of tokenize(text)) {
    const folded = foldAccents(word);
    if (folded.length < 3) continue;
    const padded = `<${folded}>`;
    for (let n = o.ngramMin; n <= o.ngramMax; n++) for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`);
  }
  for (const [f, count] of counts) {
    const w = (f[0] === 'c' ? o.charWeight : f[0] === 'b' ? o.bigramWeight : 1) * (1 + Math.log(count));
    const h = fnv1a(f);
    v[h % o.dimensions]! += (h & 0x80000000) ? -w : w;
  }
  return l2normalize(v);
}

function corpusParagraphs(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|txt)$/.test(e.name)) out.push(...fs.readFileSync(p, 'utf8').split(/\n\s*\n/).filter((x) => x.trim()));
    }
  };
  walk(path.resolve('corpus'));
  return out;
}

describe('local hashing embedder', () => {
  it('gives exactly the vectors of its first version, through embedSync and through the indexer’s analysed path', () => {
    const embedder = new LocalHashingEmbedder();
    const texts = [...corpusParagraphs(), "L'équipe mobile — pair-aidance : 45 000 € en 2026 (n°3), CLSM/CLS", 'œuvre Œdipe İstanbul'];
    expect(texts.length).toBeGreaterThan(200);
    const analysed = embedder.embedAnalyzed(texts.map(analyzeAndTokenize));
    texts.forEach((t, i) => {
      const ref = referenceVector(t);
      expect(embedder.embedSync(t)).toEqual(ref);
      expect(analysed[i]).toEqual(ref);
    });
  });
});
