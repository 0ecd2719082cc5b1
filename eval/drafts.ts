/**
 * `npm run eval:drafts [-- --verbose] [-- --set dev|holdout|sample]`: recall and
 * precision per field of offline drafting, without indexing the corpus.
 */
import path from 'node:path';
import { DRAFT_EVAL_SETS, formatDraftEval, runDraftEval } from './draft-score.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const verbose = process.argv.includes('--verbose');
const only = process.argv.includes('--set') ? process.argv[process.argv.indexOf('--set') + 1] : null;
const asJson = process.argv.includes('--json');
const out: Record<string, unknown> = {};
for (const set of DRAFT_EVAL_SETS) {
  if (only && !set.dir.includes(only) && !(only === 'sample' && set.dir === 'eval/threads')) continue;
  const r = runDraftEval(path.join(root, set.dir));
  out[set.dir] = r;
  if (asJson) continue;
  process.stdout.write(formatDraftEval(set.name, r).join('\n') + '\n');
  if (verbose) {
    for (const t of r.perThread) {
      const lines: string[] = [];
      for (const [field, s] of Object.entries(t.perField)) {
        if (s.missed?.length) lines.push(`    ${field} manqué : ${s.missed.join(' | ')}`);
        if (s.wrong?.length) lines.push(`    ${field} en trop : ${s.wrong.join(' | ')}`);
      }
      if (lines.length) process.stdout.write(`  ${t.file} (rappel ${t.recall.toFixed(2)}, précision ${t.precision.toFixed(2)})\n${lines.join('\n')}\n`);
    }
  }
  process.stdout.write('\n');
}
if (asJson) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
