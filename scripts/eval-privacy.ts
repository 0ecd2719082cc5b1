/**
 * `npm run eval:privacy`: precision and recall of the patient-data detector.
 * - eval/privacy/mentions.jsonl: the tuning set (cue tables, weights and the
 *   threshold were adjusted while looking at it: "in-fold" figures);
 * - eval/privacy/holdout.jsonl: written before the detector, never used for
 *   tuning ("out-of-fold" figures; its errors are printed only with
 *   --holdout-errors, to keep it unseen);
 * - corpus/ and scripts/corpus-src/: every sentence of the sample PTSM is
 *   institutional prose, so each one flagged is a false alarm.
 * `--verbose` lists the tuning set's errors and the corpus false alarms; `--json` prints the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DECISION_THRESHOLD } from '../src/privacy/cues.js';
import { detectPatientData, scoreSentence, sentenceSpans } from '../src/privacy/index.js';

interface Labelled { text: string; patient: boolean }
interface Figures { n: number; positives: number; tp: number; fp: number; fn: number; precision: number; recall: number }

const asJson = process.argv.includes('--json');
const verbose = process.argv.includes('--verbose');
const showHoldout = process.argv.includes('--holdout-errors');
const log = (s: string): void => { if (!asJson) process.stdout.write(s + '\n'); };
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function readSet(file: string): Labelled[] {
  return fs.readFileSync(path.join(root, file), 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    try { return JSON.parse(l) as Labelled; } catch { throw new Error(`${file}, ligne ${i + 1} : JSON invalide`); }
  });
}

function measure(set: readonly Labelled[], threshold: number): Figures & { errors: Array<Labelled & { score: number; cues: string[] }> } {
  let tp = 0; let fp = 0; let fn = 0;
  const errors: Array<Labelled & { score: number; cues: string[] }> = [];
  for (const item of set) {
    const flagged = detectPatientData(item.text, threshold).length > 0;
    if (flagged && item.patient) tp++;
    else if (flagged) fp++;
    else if (item.patient) fn++;
    if (flagged !== item.patient) {
      const best = sentenceSpans(item.text).map((s) => scoreSentence(item.text.slice(s.start, s.end))).sort((a, b) => b.score - a.score)[0] ?? { score: 0, cues: [] };
      errors.push({ ...item, ...best });
    }
  }
  const ratio = (a: number, b: number): number => (b ? Math.round((a / b) * 1000) / 1000 : 1);
  return { n: set.length, positives: set.filter((s) => s.patient).length, tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), errors };
}

function corpusSentences(): Array<{ source: string; text: string }> {
  const out: Array<{ source: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(md|txt|html?)$/i.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        for (const s of sentenceSpans(text)) out.push({ source: path.relative(root, p), text: text.slice(s.start, s.end) });
      }
    }
  };
  // corpus/ holds the Markdown, text and HTML documents; the DOCX and PDF ones are built from scripts/corpus-src/.
  for (const dir of ['corpus', 'scripts/corpus-src']) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return out;
}

const tuning = readSet('eval/privacy/mentions.jsonl');
const holdout = readSet('eval/privacy/holdout.jsonl');
const inFold = measure(tuning, DECISION_THRESHOLD);
const outOfFold = measure(holdout, DECISION_THRESHOLD);
const sentences = corpusSentences();
const alarms = sentences.filter((s) => detectPatientData(s.text).length > 0);

// Throughput on the sample corpus (indexing counts every sentence once per document content).
const corpusText = sentences.map((x) => x.text);
const chars = corpusText.reduce((n, t) => n + t.length, 0);
const t0 = performance.now();
for (let i = 0; i < 3; i++) for (const t of corpusText) detectPatientData(t);
const kbPerSecond = Math.round(chars / 1024 / ((performance.now() - t0) / 3 / 1000));

const line = (name: string, f: Figures): string => `${name.padEnd(34)} n=${String(f.n).padStart(3)} (${f.positives} patients)  précision ${f.precision.toFixed(3)}  rappel ${f.recall.toFixed(3)}  (VP ${f.tp}, FP ${f.fp}, FN ${f.fn})`;
log(`Détecteur de données patient (seuil ${DECISION_THRESHOLD})`);
log(line('réglage (mentions.jsonl, in-fold)', inFold));
log(line('contrôle (holdout.jsonl, out-of-fold)', outOfFold));
log(`corpus d'exemple : ${alarms.length} phrase(s) signalée(s) sur ${sentences.length} (fausses alertes) ; débit ${kbPerSecond} Ko/s`);
log('\nSeuil  précision/rappel (réglage)');
for (const t of [1.5, 2, 2.5, 3]) { const f = measure(tuning, t); log(`  ${t.toFixed(1)}   ${f.precision.toFixed(3)} / ${f.recall.toFixed(3)}`); }

const show = (title: string, errors: ReturnType<typeof measure>['errors']): void => {
  if (!errors.length) return;
  log(`\n${title}`);
  for (const e of errors) log(`  ${e.patient ? 'FN' : 'FP'} ${e.score.toFixed(2)} [${e.cues.join(', ')}] ${e.text}`);
};
if (verbose) {
  show('Erreurs (réglage)', inFold.errors);
  if (alarms.length) log(`\nFausses alertes du corpus\n${alarms.map((a) => `  ${a.source} : ${a.text.slice(0, 160)}`).join('\n')}`);
}
if (showHoldout) show('Erreurs (contrôle)', outOfFold.errors);
if (asJson) {
  const strip = ({ errors: _e, ...f }: ReturnType<typeof measure>): Figures => f;
  process.stdout.write(JSON.stringify({ threshold: DECISION_THRESHOLD, inFold: strip(inFold), outOfFold: strip(outOfFold), corpus: { sentences: sentences.length, flagged: alarms.length, kbPerSecond } }, null, 2) + '\n');
}
