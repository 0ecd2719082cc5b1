/**
 * Figures of the answerer per question set — realdev as text files, realdev
 * as one PDF (pages), the sample corpus — for a given way of answering (the
 * shipped model, or each question's out-of-fold model).
 */
import type { AnswerService } from '../../src/answers/answer-service.js';
import type { Answer } from '../../src/core/types.js';
import { fitAnswerModel, folds, serviceWith, type Collected, type LabelledQuestion } from './cv.js';
import { answerText, baseName as base, containsAll, emptyTally, record, summary } from './metrics.js';
import type { EvalSets } from './sets.js';

export type Figures = ReturnType<typeof summary> & { questions: number };


/** Scores answers the way each set is scored: realdev by its README, the sample by its sources and facts. */
export function score(set: string, pairs: ReadonlyArray<{ q: LabelledQuestion; a: Answer; pages?: number[] }>): Figures {
  const t = emptyTally();
  for (const { q, a, pages } of pairs) {
    if (set === 'sample') {
      t.n++;
      if (!q.answerable) { t.unanswerable++; if (a.abstained) t.abstainTrue++; continue; }
      t.answerable++;
      if (a.abstained) { t.abstainFalse++; continue; }
      if (a.citations.slice(0, 3).some((c) => (q.sources ?? []).includes(c.source))) t.cited++;
      // The sample's facts are short strings (names, dates): all of them must be in the answer text.
      if (!q.facts?.length || containsAll(a.answer, q.facts)) t.fact++;
      if (!q.facts?.length || containsAll(answerText(a), q.facts)) t.evidence++;
      continue;
    }
    const cited = a.citations.slice(0, 3).some((c) => (set === 'realdev-pdf' ? c.page !== null && (pages ?? []).includes(c.page) : base(c.source) === base(q.sourceFile ?? '')));
    record(t, { id: q.id, question: q.question, answer: q.answerable ? q.answer ?? '' : 'NOT_IN_CORPUS', ...(q.evidence ? { evidence: q.evidence } : {}) }, { abstained: a.abstained, cited, text: answerText(a) });
  }
  return { ...summary(t), questions: t.n };
}

export type AskFor = (q: LabelledQuestion) => AnswerService;

export async function figuresBySet(sets: EvalSets, askFor: AskFor): Promise<Record<string, Figures>> {
  const bySet = new Map<string, Array<{ q: LabelledQuestion; a: Answer; pages?: number[] }>>();
  for (const q of sets.questions) {
    const a = await askFor(q).ask(q.question);
    const list = bySet.get(q.set) ?? [];
    list.push({ q, a, ...(q.pages ? { pages: q.pages } : {}) });
    bySet.set(q.set, list);
  }
  return Object.fromEntries([...bySet].map(([set, pairs]) => [set, score(set, pairs)]));
}

/** k-fold: each question answered by the model fitted without its fold. */
export async function crossValidatedReport(sets: EvalSets, items: readonly Collected[], k: number, log: (s: string) => void): Promise<Record<string, Figures>> {
  const parts = folds(items, k);
  const serviceOf = new Map<string, AnswerService>();
  parts.forEach((part, i) => {
    const model = fitAnswerModel(parts.filter((_, j) => j !== i).flat());
    const services = new Map<string, AnswerService>();
    for (const { q } of part) {
      let s = services.get(q.set);
      if (!s) { s = serviceWith(sets.indexes[q.set]!.deps, model); services.set(q.set, s); }
      serviceOf.set(`${q.set}:${q.id}`, s);
    }
  });
  const figures = await figuresBySet(sets, (q) => serviceOf.get(`${q.set}:${q.id}`)!);
  log(`Validation croisée à ${k} plis (chiffres hors pli) :`);
  printFigures(figures, log);
  return figures;
}

const fmt = (x: number | null): string => (x === null ? '  —  ' : x.toFixed(3));
export function printFigures(figures: Record<string, Figures>, log: (s: string) => void): void {
  log(`  ${'jeu'.padEnd(14)} ${'q.'.padStart(4)}   cit@3   evid    fact    abstention P / R`);
  for (const [set, f] of Object.entries(figures)) log(`  ${set.padEnd(14)} ${String(f.questions).padStart(4)}   ${fmt(f.citationRecallAt3)}   ${fmt(f.evidence)}   ${fmt(f.fact)}   ${fmt(f.abstentionPrecision)} / ${fmt(f.abstentionRecall)}`);
}
