/**
 * Child of bench-kb.ts: opens an index in a fresh process, as `ptsm serve`
 * does, and prints its serving figures as JSON on stdout.
 * Usage: node bin/run-ts.js scripts/bench-kb-serve.ts <dataDir> <questions.json>
 */
import fs from 'node:fs';
import { AnswerService } from '../src/answers/answer-service.js';
import { silentLogger } from '../src/core/logger.js';
import { LocalHashingEmbedder } from '../src/search/embedders/local-hashing.js';
import { KnowledgeBase } from '../src/search/knowledge-base.js';

const [dataDir, questionsFile] = process.argv.slice(2);
if (!dataDir || !questionsFile) {
  process.stderr.write('usage : bench-kb-serve.ts <dossier de données> <questions.json>\n');
  process.exit(2);
}
const questions = JSON.parse(fs.readFileSync(questionsFile, 'utf8')) as string[];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const embedder = new LocalHashingEmbedder();
const tOpen = performance.now();
const kb = KnowledgeBase.open(dataDir, embedder);
const service = new AnswerService({ kb, logger: silentLogger });
const openMs = performance.now() - tOpen;
const rssAfterOpenMB = process.memoryUsage().rss / 1e6;
// The vector graph loads in the background after the open: when it is in memory, searches stop waiting for it.
await kb.loaded();
const graphLoadedMs = performance.now() - tOpen;
process.stderr.write(`  (ouverture ${openMs.toFixed(0)} ms ; graphe des vecteurs en mémoire ${graphLoadedMs.toFixed(0)} ms après le début de l'ouverture)\n`);

// The first questions pay for cold pages of the file: measured apart.
const tFirst = performance.now();
await kb.search(questions[0]!, { k: 10 });
const firstSearchMs = performance.now() - tFirst;
for (const q of questions.slice(0, 20)) await kb.search(q, { k: 10 });
const searchLat: number[] = [];
for (const q of questions) {
  const t = performance.now();
  await kb.search(q, { k: 10 });
  searchLat.push(performance.now() - t);
}
const askLat: number[] = [];
for (const q of questions.slice(0, 200)) {
  const t = performance.now();
  await service.ask(q);
  askLat.push(performance.now() - t);
}
process.stdout.write(JSON.stringify({
  openMs,
  graphLoadedMs,
  firstSearchMs,
  searchP50Ms: percentile(searchLat, 50),
  searchP99Ms: percentile(searchLat, 99),
  askP50Ms: percentile(askLat, 50),
  askP99Ms: percentile(askLat, 99),
  rssAfterOpenMB,
  rssMB: process.memoryUsage().rss / 1e6,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
}) + '\n');
kb.close();
