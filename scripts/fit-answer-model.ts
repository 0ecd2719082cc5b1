/**
 * `npm run fit:answers`: refits the offline answerer's decisions (unit ranker
 * and answer/abstain) on the sample corpus questions and ../shared/realdev,
 * prints k-fold out-of-fold figures, and writes
 * src/answers/model/answer-model.json. `--folds N` (default 5), `--dry-run`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { collect, fitAnswerModel, folds } from '../eval/realdev/cv.js';
import { loadEvalSets } from '../eval/realdev/sets.js';
import { crossValidatedReport } from '../eval/realdev/report.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const k = Number(process.argv.find((a) => a.startsWith('--folds='))?.split('=')[1] ?? 5);
const sets = await loadEvalSets(root);
const items = await collect(Object.fromEntries(Object.entries(sets.indexes).map(([n, ix]) => [n, ix.service])), sets.questions);
const model = fitAnswerModel(items);
const report = await crossValidatedReport(sets, items, k, (s) => process.stdout.write(s + '\n'));
if (!process.argv.includes('--dry-run')) {
  const file = path.join(root, 'src/answers/model/answer-model.json');
  const meta = { fittedOn: sets.questions.length, folds: k, outOfFold: report };
  fs.writeFileSync(file, JSON.stringify({ ...model, meta }, null, 2) + '\n');
  process.stdout.write(`\nModèle écrit : ${path.relative(root, file)} (${folds(items, k).length} plis)\n`);
}
sets.close();
