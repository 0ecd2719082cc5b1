/**
 * `npm run bench`: performance figures, printed (never asserted in tests).
 * - startup: wall time of the `ptsm` binary (`--help`, `when`, `search`, `ask`
 *   on the sample corpus) next to `node -e 0`, medians of BENCH_RUNS runs (7);
 * - knowledge base: indexes 10,000 and 100,000 synthetic French chunks
 *   (Markdown files through the real pipeline), then measures hybrid search
 *   latency, the offline `ask` latency, peak RSS and index size on disk;
 * - milestones: due-nudge computation over 10,000 milestones;
 * - Slack: 200 concurrent signed mentions against the HTTP app (acknowledgement latency);
 * - replicas: 3 scheduler processes on one throwaway PostgreSQL ledger, 10,000
 *   nudges due, one replica SIGKILLed mid-send and restarted (skipped without
 *   PostgreSQL server binaries).
 * `BENCH_SIZES=10000` limits the sizes; `BENCH_SECTIONS=startup` (or any of
 * startup,kb,milestones,slack,replicas) runs only those sections; `--json` prints the
 * figures as JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnswerService } from '../src/answers/answer-service.js';
import { silentLogger } from '../src/core/logger.js';
import { indexPaths } from '../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../src/search/embedders/local-hashing.js';
import { KnowledgeBase } from '../src/search/knowledge-base.js';

const asJson = process.argv.includes('--json');
const log = (s: string): void => { if (!asJson) process.stdout.write(s + '\n'); };
const sizes = (process.env['BENCH_SIZES'] ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const results: Record<string, unknown> = {};
const sections = new Set((process.env['BENCH_SECTIONS'] ?? 'startup,kb,milestones,slack,replicas').split(',').map((x) => x.trim()));

if (sections.has('startup')) {
  const { STARTUP_TARGETS, benchStartup } = await import('./bench-startup.js');
  const runs = Number(process.env['BENCH_RUNS'] ?? 7);
  const st = await benchStartup({ runs: Number.isInteger(runs) && runs > 0 ? runs : 7, warn: log });
  results['startup'] = st;
  log(`Démarrage du binaire ptsm (médiane de ${st.runs} exécutions, corpus d'exemple) :`);
  for (const [name, ms] of Object.entries(st.medianMs)) {
    const target = STARTUP_TARGETS[name];
    const verdict = target === undefined ? '' : `  (objectif ≤ ${target} × : ${st.ratio[name]! <= target ? 'tenu' : 'NON TENU'})`;
    log(`  ${name.padEnd(22)} ${ms.toFixed(0).padStart(5)} ms  ${st.ratio[name]!.toFixed(1).padStart(5)} × node -e 0${verdict}`);
  }
}

// Deterministic pseudo-random generator, so two runs index the same text.
let seed = 12345;
const rand = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const SUBJECTS = ['Le CMP de Vaubrun', "L'équipe mobile psychiatrie précarité", 'Le GEM L’Escale', 'La CPTS du Pays de Vaubrun', 'Le conseil local de santé mentale', "L'EPSM de la Lironde", 'La maison des adolescents', 'Le dispositif VigilanS', 'La coordinatrice du PTSM', 'Le groupe de travail logement', 'La délégation UNAFAM', 'Le centre hospitalier de Montcalvet'];
const VERBS = ['organise', 'renforce', 'coordonne', 'évalue', 'déploie', 'accompagne', 'forme', 'finance', 'pilote', 'réunit', 'anime', 'structure'];
const OBJECTS = ['le repérage précoce des troubles chez les jeunes', "l'accès aux soins somatiques des personnes suivies en psychiatrie", 'les premiers secours en santé mentale', 'la pair-aidance et les médiateurs de santé pairs', 'le logement accompagné', 'la prévention du suicide', 'le soutien aux aidants familiaux', 'la gestion des situations de crise', "l'insertion professionnelle", 'la télépsychiatrie en zone rurale', 'la déstigmatisation', 'la santé mentale périnatale'];
const TAILS = ['en lien avec les partenaires du territoire', "d'ici fin 2026", 'au premier semestre 2026', 'avec un budget de 45 000 €', 'selon les indicateurs de la fiche', 'dans les quatre communautés de communes', 'après validation en COPIL', 'avec le soutien de l’ARS'];
const sentence = (): string => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(TAILS)}.`;

function writeSyntheticCorpus(dir: string, chunks: number): void {
  const perDoc = 10;
  for (let d = 0; d < chunks / perDoc; d++) {
    let md = `# Fiche action ${d + 1} — ${pick(OBJECTS)}\n\n`;
    for (let s = 0; s < perDoc; s++) {
      // Each section is ~1,000 characters: one chunk per section.
      md += `## Section ${s + 1} : ${pick(['Constat', 'Objectifs', 'Étapes', 'Partenaires', 'Calendrier', 'Indicateurs'])}\n\n`;
      md += Array.from({ length: 10 }, sentence).join(' ') + '\n\n';
    }
    fs.writeFileSync(path.join(dir, `doc-${String(d).padStart(6, '0')}.md`), md);
  }
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return total;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const QUERIES = ['pair-aidance', 'qui pilote la prévention du suicide', 'budget logement accompagné', 'premiers secours en santé mentale formation', 'indicateurs télépsychiatrie', 'CMP Vaubrun délais', 'soutien aux aidants UNAFAM', 'repérage précoce jeunes maison des adolescents', 'gestion de crise', 'insertion professionnelle emploi accompagné'];

for (const n of sections.has('kb') ? sizes : []) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `ptsm-bench-${n}-`));
  const corpus = path.join(tmp, 'corpus');
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(corpus);
  writeSyntheticCorpus(corpus, n);
  const embedder = new LocalHashingEmbedder();
  const t0 = performance.now();
  const report = await indexPaths([corpus], { dataDir, embedder, logger: silentLogger, cwd: tmp });
  const indexSeconds = (performance.now() - t0) / 1000;
  const tLoad = performance.now();
  const kb = KnowledgeBase.open(dataDir, embedder);
  const loadMs = performance.now() - tLoad;
  for (const q of QUERIES) await kb.search(q, { k: 10 }); // warm-up
  const lat: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await kb.search(QUERIES[i % QUERIES.length]!, { k: 10 });
    lat.push(performance.now() - t);
  }
  const figures: Record<string, number> = {
    chunks: report.chunks,
    indexSeconds,
    indexChunksPerSecond: report.chunks / indexSeconds,
    openMs: loadMs,
    searchP50Ms: percentile(lat, 50),
    searchP99Ms: percentile(lat, 99),
    indexBytesOnDisk: dirSize(path.join(dataDir, 'kb')),
  };
  if (n <= 10_000) {
    const service = new AnswerService({ kb, logger: silentLogger });
    for (const q of QUERIES) await service.ask(q);
    const askLat: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await service.ask(`Qui pilote ${QUERIES[i % QUERIES.length]} ?`);
      askLat.push(performance.now() - t);
    }
    figures['askP50Ms'] = percentile(askLat, 50);
    figures['askP99Ms'] = percentile(askLat, 99);
  }
  figures['peakRssMB'] = process.resourceUsage().maxRSS / 1024;
  results[`kb_${n}`] = figures;
  log(`Base documentaire, ${report.chunks} passages :`);
  log(`  indexation        ${figures['indexChunksPerSecond']!.toFixed(0)} passages/s (${indexSeconds.toFixed(1)} s)`);
  log(`  ouverture         ${loadMs.toFixed(0)} ms`);
  log(`  recherche hybride p50 ${figures['searchP50Ms']!.toFixed(2)} ms, p99 ${figures['searchP99Ms']!.toFixed(2)} ms`);
  if (figures['askP50Ms'] !== undefined) log(`  ask (hors ligne)  p50 ${figures['askP50Ms']!.toFixed(2)} ms, p99 ${figures['askP99Ms']!.toFixed(2)} ms`);
  log(`  taille sur disque ${(figures['indexBytesOnDisk']! / 1e6).toFixed(1)} Mo ; pic mémoire (RSS) ${figures['peakRssMB']!.toFixed(0)} Mo`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

const milestonesBench = path.resolve('scripts/bench-milestones.ts');
if (sections.has('milestones') && fs.existsSync(milestonesBench)) {
  const mod = (await import(milestonesBench)) as { benchMilestones?: () => Promise<Record<string, number>> };
  if (mod.benchMilestones) {
    const m = await mod.benchMilestones();
    results['milestones'] = m;
    log(`Jalons : ${m['milestones']} jalons sur ${m['fiches']} fiches — calcul d'un tick p50 ${m['tickP50Ms']!.toFixed(2)} ms, p99 ${m['tickP99Ms']!.toFixed(2)} ms`);
  }
}
const slackBench = path.resolve('scripts/bench-slack.ts');
if (sections.has('slack') && fs.existsSync(slackBench)) {
  const mod = (await import(slackBench)) as { benchSlack?: () => Promise<Record<string, number>> };
  if (mod.benchSlack) {
    const sb = await mod.benchSlack();
    results['slack'] = sb;
    log(`Slack (HTTP, répondeur hors ligne) : ${sb['answered']}/${sb['mentions']} mentions simultanées répondues — accusé de réception p50 ${sb['ackP50Ms']!.toFixed(0)} ms, p99 ${sb['ackP99Ms']!.toFixed(0)} ms`);
  }
}
const replicasBench = path.resolve('scripts/bench-replicas.ts');
if (sections.has('replicas') && fs.existsSync(replicasBench)) {
  const mod = (await import(replicasBench)) as typeof import('./bench-replicas.js');
  const r = await mod.benchReplicas();
  results['replicas'] = r;
  log(mod.describeReplicasBench(r));
}
if (asJson) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
