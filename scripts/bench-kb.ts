/**
 * Benchmark of the knowledge base at 10,000 to 1,000,000 passages, wired
 * into `npm run bench` (section `kb`, sizes from BENCH_SIZES).
 *
 * The corpus is synthetic French PTSM prose written as Markdown files and
 * indexed through the real pipeline (parse, chunk, analyse, embed, SQLite
 * FTS5, HNSW). Its vocabulary follows Zipf's law, as real text does: a few
 * words in most passages (santé, mentale, fiche…), a long tail of place
 * names, structures and rare words. (A generator drawing every word from a
 * dozen phrases, as the first version of this bench did, puts every query
 * word in half the index, which no real corpus does.)
 *
 * Serving figures (open time, search and `ask` latency, RSS) come from a
 * fresh child process that opens the index as `ptsm serve` would, so they
 * do not include the indexer's memory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { indexPaths } from '../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../src/search/embedders/local-hashing.js';

/**
 * `passagesPerDocument` (BENCH_KB_PASSAGES_PER_DOC, default 10): 1 gives as many documents as passages, which is what the open time grows with.
 * `keepDir` (BENCH_KB_DIR): corpora and indexes are kept there, one folder per size, instead of a temporary folder;
 * a second run finds the corpus unchanged and measures a re-index with nothing to do (1M passages take more than an hour to index).
 */
export interface KbBenchOptions { sizes: number[]; log: (s: string) => void; passagesPerDocument?: number; keepDir?: string | undefined }

// Deterministic pseudo-random generator, so two runs index the same text.
let seed = 12345;
const rand = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const COMMON = ['santé mentale', 'la fiche action', 'le PTSM', 'les partenaires', 'le territoire', 'les usagers', 'le groupe de travail', 'la coordination', "l'ARS", 'le COPIL', 'les professionnels', 'les familles'];
const VERBS = ['organise', 'renforce', 'coordonne', 'évalue', 'déploie', 'accompagne', 'forme', 'finance', 'pilote', 'réunit', 'anime', 'structure', 'prévoit', 'développe', 'soutient'];
const SYLLABLES = ['va', 'lu', 'bre', 'mon', 'cal', 'ver', 'li', 'ron', 'de', 'sau', 'gé', 'mar', 'tin', 'ro', 'che', 'pla', 'nel', 'bou', 'ris', 'tan', 'fo', 'gny', 'lac', 'sel', 'mu', 'dor', 'pé', 'zan', 'qui', 'lon'];
const SUFFIXES = ['', 'ais', 'ien', 'ois', 'elle', 'age', 'ment', 'ique', 'eur', 'ade'];

/** A long tail of words: 30³ × 10 candidates, the first ones most frequent (Zipf, s = 1). */
const VOCABULARY_SIZE = 60_000;
const vocabulary: string[] = [];
{
  const seen = new Set<string>();
  let i = 0;
  while (vocabulary.length < VOCABULARY_SIZE) {
    const a = SYLLABLES[i % 30]!; const b = SYLLABLES[Math.floor(i / 30) % 30]!; const c = SYLLABLES[Math.floor(i / 900) % 30]!;
    const w = a + b + (i >= 900 ? c : '') + SUFFIXES[Math.floor(i / 27_000) % 10]!;
    if (!seen.has(w)) { seen.add(w); vocabulary.push(w); }
    i++;
  }
}
const harmonic = vocabulary.reduce((s, _w, r) => s + 1 / (r + 1), 0);
const cumulative = (() => {
  const out = new Float64Array(VOCABULARY_SIZE);
  let acc = 0;
  for (let r = 0; r < VOCABULARY_SIZE; r++) { acc += 1 / (r + 1) / harmonic; out[r] = acc; }
  return out;
})();
function zipfWord(): string {
  const u = rand();
  let lo = 0; let hi = VOCABULARY_SIZE - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid]! < u) lo = mid + 1; else hi = mid; }
  return vocabulary[lo]!;
}
const sentence = (): string => `${pick(COMMON)} ${pick(VERBS)} ${Array.from({ length: 7 }, zipfWord).join(' ')} avec ${zipfWord()} ${zipfWord()}.`;

function writeSyntheticCorpus(dir: string, chunks: number, perDoc: number): void {
  const perFolder = 1000;
  for (let d = 0; d < chunks / perDoc; d++) {
    const folder = path.join(dir, `lot-${String(Math.floor(d / perFolder)).padStart(4, '0')}`);
    if (d % perFolder === 0) fs.mkdirSync(folder, { recursive: true });
    let md = `# Fiche action ${d + 1} — ${zipfWord()} ${zipfWord()}\n\n`;
    for (let s = 0; s < perDoc; s++) {
      // Each section is ~900 characters: one chunk per section.
      md += `## Section ${s + 1} : ${pick(['Constat', 'Objectifs', 'Étapes', 'Partenaires', 'Calendrier', 'Indicateurs'])}\n\n`;
      md += Array.from({ length: 9 }, sentence).join(' ') + '\n\n';
    }
    fs.writeFileSync(path.join(folder, `doc-${String(d).padStart(6, '0')}.md`), md);
  }
}

/** Questions as users type them: a few words of the tail, some common ones. */
function queries(n: number): string[] {
  return Array.from({ length: n }, (_v, i) => {
    const words = Array.from({ length: 2 + (i % 3) }, zipfWord).join(' ');
    return [`qui pilote ${words} ?`, `${pick(COMMON)} ${words}`, `budget ${words} en 2026`, `${words}`][i % 4]!;
  });
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

export async function benchKnowledgeBase(opts: KbBenchOptions): Promise<Record<string, Record<string, number>>> {
  const results: Record<string, Record<string, number>> = {};
  for (const n of opts.sizes) {
    const perDoc = opts.passagesPerDocument ?? 10;
    const kept = opts.keepDir ? path.join(opts.keepDir, `kb-${n}-per${perDoc}`) : null;
    const tmp = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), `ptsm-bench-${n}-`));
    try {
      const corpus = path.join(tmp, 'corpus');
      const dataDir = path.join(tmp, 'data');
      const reindex = kept !== null && fs.existsSync(path.join(dataDir, 'kb', 'CURRENT'));
      if (reindex) {
        opts.log(`Base documentaire, ${n} passages (${n / perDoc} documents) : corpus et index repris de ${tmp}, réindexation sans changement…`);
      } else {
        fs.rmSync(corpus, { recursive: true, force: true });
        fs.mkdirSync(corpus, { recursive: true });
        opts.log(`Base documentaire, ${n} passages (${n / perDoc} documents) : écriture du corpus synthétique…`);
        writeSyntheticCorpus(corpus, n, perDoc);
      }
      const embedder = new LocalHashingEmbedder();
      const t0 = performance.now();
      let last = 0;
      const report = await indexPaths([corpus], {
        dataDir, embedder, logger: silentLogger, cwd: tmp,
        onProgress: (done, total) => {
          const now = performance.now();
          if (now - last > 30_000) { last = now; opts.log(`  indexation… ${done}/${total} fichiers (${((now - t0) / 1000).toFixed(0)} s)`); }
        },
      });
      const indexSeconds = (performance.now() - t0) / 1000;
      const indexerRssMB = process.memoryUsage().rss / 1e6;
      const questionsFile = path.join(tmp, 'questions.json');
      // Questions from a seed of their own: a kept index (no corpus written) gets the same ones.
      seed = 777;
      fs.writeFileSync(questionsFile, JSON.stringify(queries(300)));
      const serve = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'scripts/bench-kb-serve.ts', dataDir, questionsFile], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Record<string, number>;
      const figures: Record<string, number> = {
        chunks: report.chunks,
        reindexUnchanged: reindex ? 1 : 0,
        indexSeconds,
        indexChunksPerSecond: report.chunks / indexSeconds,
        indexerRssMB,
        ...serve,
        indexBytesOnDisk: dirSize(path.join(dataDir, 'kb')),
      };
      results[perDoc === 10 ? `kb_${n}` : `kb_${n}_per${perDoc}`] = figures;
      opts.log(`Base documentaire, ${report.chunks} passages :`);
      opts.log(reindex
        ? `  réindexation sans changement ${indexSeconds.toFixed(1)} s (mémoire de l'indexeur ${indexerRssMB.toFixed(0)} Mo)`
        : `  indexation        ${figures['indexChunksPerSecond']!.toFixed(0)} passages/s (${indexSeconds.toFixed(1)} s ; mémoire de l'indexeur ${indexerRssMB.toFixed(0)} Mo)`);
      opts.log(`  ouverture         ${figures['openMs']!.toFixed(0)} ms (processus neuf, comme « ptsm serve ») ; graphe des vecteurs chargé en arrière-plan en ${figures['graphLoadedMs']!.toFixed(0)} ms`);
      opts.log(`  recherche hybride p50 ${figures['searchP50Ms']!.toFixed(2)} ms, p99 ${figures['searchP99Ms']!.toFixed(2)} ms`);
      opts.log(`  ask (hors ligne)  p50 ${figures['askP50Ms']!.toFixed(2)} ms, p99 ${figures['askP99Ms']!.toFixed(2)} ms`);
      opts.log(`  mémoire (RSS) après ouverture ${figures['rssAfterOpenMB']!.toFixed(0)} Mo, après les questions ${figures['rssMB']!.toFixed(0)} Mo ; taille sur disque ${(figures['indexBytesOnDisk']! / 1e6).toFixed(0)} Mo`);
    } finally {
      if (!kept) fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return results;
}
