/**
 * `npm run bench`: performance figures, printed (never asserted in tests).
 * - startup: wall time of the `ptsm` binary (`--help`, `when`, `search`, `ask`
 *   on the sample corpus) next to `node -e 0`, medians of BENCH_RUNS runs (7);
 * - knowledge base (bench-kb.ts): indexes 10,000, 100,000 and 1,000,000
 *   synthetic French passages (Markdown files through the real pipeline),
 *   then opens the index in a fresh process and measures open time, hybrid
 *   search and offline `ask` latency, RSS and index size on disk;
 * - milestones: due-nudge computation over 10,000 milestones;
 * - Slack: 200 concurrent signed mentions against the HTTP app (acknowledgement latency);
 * - replicas: 3 `ptsm serve` processes on one throwaway PostgreSQL answering
 *   500 concurrent questions (bench-serve-replicas.ts), and
 *   3 scheduler processes on one throwaway PostgreSQL ledger, 10,000
 *   nudges due, one replica SIGKILLed mid-send and restarted (skipped without
 *   PostgreSQL server binaries).
 * `BENCH_SIZES=10000,100000` limits the sizes; `BENCH_KB_PASSAGES_PER_DOC=1` indexes one
 * document per passage (the open time grows with documents); `BENCH_KB_DIR=dir` keeps the corpora and
 * indexes there and, when run again, re-indexes them unchanged instead of building them anew; `BENCH_SECTIONS=startup` (or any of
 * startup,kb,milestones,slack,replicas) runs only those sections; `--json` prints the
 * figures as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';

const asJson = process.argv.includes('--json');
const log = (s: string): void => { if (!asJson) process.stdout.write(s + '\n'); };
const sizes = (process.env['BENCH_SIZES'] ?? '10000,100000,1000000').split(',').map(Number).filter((n) => n > 0);
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

if (sections.has('kb')) {
  const { benchKnowledgeBase } = await import('./bench-kb.js');
  Object.assign(results, await benchKnowledgeBase({ sizes, log, passagesPerDocument: Number(process.env['BENCH_KB_PASSAGES_PER_DOC'] ?? 10), keepDir: process.env['BENCH_KB_DIR'] || undefined }));
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
  const serveReplicas = await import('./bench-serve-replicas.js');
  const q = await serveReplicas.benchServeReplicas();
  results['serveReplicas'] = q;
  log(serveReplicas.describeServeReplicasBench(q));
}
if (asJson) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
