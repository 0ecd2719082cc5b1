/**
 * Benchmark of three `ptsm serve` replicas on one PostgreSQL: the real
 * binary (bin/ptsm.js, so `npm run build` first), each replica with its own
 * copy of the sample corpus's data folder and the reminders' ledger shared in
 * a throwaway PostgreSQL cluster (Unix socket only). 500 questions are sent
 * at once to the web API, spread over the replicas; every answer must come
 * back (HTTP 200, an answer or an honest abstention). Wired into
 * `npm run bench` (BENCH_SECTIONS=replicas, after the scheduler replicas).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../src/core/logger.js';
import { indexPaths } from '../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../src/search/embedders/local-hashing.js';
import { locatePostgresBin, startPostgres } from '../tests/helpers/postgres.js';

const REPLICAS = 3;
const QUESTIONS = 500;
const TOKEN = 'jeton-de-banc-d-essai';
const ASKED = [
  'Qui pilote la fiche pair-aidance ?', "Qu'a-t-on décidé au COPIL de mars ?", 'Quel est le budget de la fiche logement ?',
  'Quand a lieu le prochain COPIL ?', 'Que veut dire CLSM ?', 'Quels sont les partenaires de la fiche prévention du suicide ?',
  'Quels indicateurs pour la télépsychiatrie ?', 'Qui finance les premiers secours en santé mentale ?',
];

export interface ServeReplicasBench { replicas: number; questions: number; answered: number; abstained: number; failed: number; p50Ms: number; p99Ms: number; elapsedSeconds: number }

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function startReplica(dataDir: string, databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.resolve('bin/ptsm.js'), 'serve'], {
    cwd: path.dirname(dataDir),
    env: { ...process.env, PTSM_DATA_DIR: dataDir, PORT: '0', PTSM_WEB_TOKEN: TOKEN, PTSM_DATABASE_URL: databaseUrl, PTSM_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ptsm serve n'a pas démarré : ${stderr}`)), 60_000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`ptsm serve s'est arrêté (code ${code}) : ${stderr}`)); });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /en service sur (http:\/\/\S+)/.exec(stderr);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
  });
  return { url, child };
}

export async function benchServeReplicas(): Promise<ServeReplicasBench | { skipped: string }> {
  const bin = locatePostgresBin();
  if (!bin) return { skipped: 'binaires du serveur PostgreSQL introuvables (apt-get install -y postgresql)' };
  if (!fs.existsSync(path.resolve('dist/cli/main.js'))) return { skipped: 'dist/ absent : lancez « npm run build »' };
  const pg = await startPostgres({ bin });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptsm-bench-serve-replicas-'));
  const children: ChildProcess[] = [];
  try {
    const base = path.join(dir, 'base');
    await indexPaths([path.resolve('corpus')], { dataDir: base, embedder: new LocalHashingEmbedder(), logger: silentLogger, cwd: dir });
    const replicas: string[] = [];
    for (let i = 0; i < REPLICAS; i++) {
      const d = path.join(dir, `replica-${i + 1}`, 'data');
      fs.cpSync(base, d, { recursive: true });
      const r = await startReplica(d, pg.url);
      children.push(r.child);
      replicas.push(r.url);
    }
    for (const url of replicas) {
      const ready = await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (!ready.ok) throw new Error(`réplique ${url} pas prête : ${await ready.text()}`);
    }
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: QUESTIONS }, async (_v, i) => {
      const started = performance.now();
      try {
        const res = await fetch(`${replicas[i % REPLICAS]}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify({ question: ASKED[i % ASKED.length] }),
        });
        const body = (await res.json()) as { answer?: string; abstained?: boolean };
        return { ok: res.status === 200 && typeof body.answer === 'string' && body.answer.length > 0, abstained: body.abstained === true, ms: performance.now() - started };
      } catch {
        return { ok: false, abstained: false, ms: performance.now() - started };
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    const lat = results.map((r) => r.ms);
    return {
      replicas: REPLICAS, questions: QUESTIONS,
      answered: results.filter((r) => r.ok).length,
      abstained: results.filter((r) => r.ok && r.abstained).length,
      failed: results.filter((r) => !r.ok).length,
      p50Ms: Math.round(percentile(lat, 50)), p99Ms: Math.round(percentile(lat, 99)),
      elapsedSeconds: Math.round(elapsed * 100) / 100,
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function describeServeReplicasBench(r: ServeReplicasBench | { skipped: string }): string {
  if ('skipped' in r) return `Répliques de ptsm serve : ignoré — ${r.skipped}.`;
  return [
    `Répliques de ptsm serve : ${r.replicas} processus sur un PostgreSQL, ${r.questions} questions simultanées (API web)`,
    `  répondues         ${r.answered}/${r.questions} (dont abstentions honnêtes : ${r.abstained}) ; échecs ${r.failed}`,
    `  latence           p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms ; durée totale ${r.elapsedSeconds.toFixed(2)} s`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchServeReplicas().then((r) => console.log(process.argv.includes('--json') ? JSON.stringify(r) : describeServeReplicasBench(r)), (e: unknown) => { console.error(e); process.exit(1); });
}
