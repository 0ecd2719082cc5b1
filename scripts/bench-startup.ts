/**
 * Startup section of `npm run bench`: process wall time of the real `ptsm`
 * binary (compiled dist/) for a few commands on the sample corpus, next to
 * `node -e 0` measured in the same run, interleaved so that a busy machine
 * slows every command alike. Medians of `runs` runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface StartupFigures {
  runs: number;
  /** Median wall time per command, in ms. */
  medianMs: Record<string, number>;
  /** Median divided by the median of `node -e 0`. */
  ratio: Record<string, number>;
}

/** Issue 13's targets, as multiples of `node -e 0`. */
export const STARTUP_TARGETS: Record<string, number> = { 'ptsm --help': 5, 'ptsm ask': 12 };

const BIN = path.resolve('bin/ptsm.js');
const ENTRY = path.resolve('dist/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function wallMs(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} a échoué (code ${r.status}) : ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function benchStartup(opts: { runs?: number; warn?: (s: string) => void } = {}): Promise<StartupFigures> {
  const runs = opts.runs ?? 7;
  if (!fs.existsSync(ENTRY)) throw new Error('dist/ absent : lancez « npm run build » avant le banc de démarrage.');
  if (newestMtime(path.resolve('src')) > fs.statSync(ENTRY).mtimeMs) opts.warn?.('  (attention : src/ est plus récent que dist/ — « npm run build » pour mesurer le code actuel)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ptsm-bench-startup-'));
  try {
    const data = path.join(tmp, 'data');
    wallMs([BIN, 'index', path.resolve('corpus'), '--data', data, '--json']);
    const commands: Record<string, string[]> = {
      'node -e 0': ['-e', '0'],
      'ptsm --help': [BIN, '--help'],
      'ptsm when "fin 2026"': [BIN, 'when', 'fin 2026'],
      'ptsm search': [BIN, 'search', 'pair-aidance', '--data', data],
      'ptsm ask': [BIN, 'ask', 'Qui pilote la fiche sur la pair-aidance ?', '--data', data],
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (const args of Object.values(commands)) wallMs(args); // warm the file cache
    for (let i = 0; i < runs; i++) {
      for (const [name, args] of Object.entries(commands)) times[name]!.push(wallMs(args));
    }
    const medianMs = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const base = medianMs['node -e 0']!;
    const ratio = Object.fromEntries(Object.entries(medianMs).map(([k, v]) => [k, v / base]));
    return { runs, medianMs, ratio };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
