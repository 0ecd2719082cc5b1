/**
 * Scores offline drafts against hand-written expectations (eval/threads*\/).
 *
 * Recall: an expected item is found when its folded text (lowercase, no
 * accents, dashes as spaces) appears in the draft's text for that field;
 * milestones match on their due date, ±1 day.
 *
 * Precision: each drafted item (one objective, one partner, one milestone…)
 * is correct when it contains, or is contained in, an expected item or an
 * `acceptable` one (wording a coordinator would also keep, not required);
 * anything else — a greeting taken as an objective, a rejected indicator —
 * counts against it. Title, axis and context are single texts: recall only.
 *
 * Drafts are made as if today were EVAL_NOW, long after every thread: dates
 * must come from the messages' own timestamps, never from "today".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Thread, type FicheDraft } from '../src/core/fiche.js';
import { draftFicheOffline } from '../src/fiches/draft/index.js';
import { foldLoose } from '../src/fiches/draft/text.js';

export const EVAL_NOW = '2027-01-15T09:00:00.000Z';

const Milestone = z.object({ dueText: z.string(), due: z.string() });
export const ExpectedDraft = z.object({
  title: z.array(z.string()).optional(),
  axis: z.array(z.string()).optional(),
  context: z.array(z.string()).optional(),
  objectives: z.array(z.string()).optional(),
  steps: z.array(z.string()).optional(),
  targetPublic: z.array(z.string()).optional(),
  pilots: z.array(z.string()).optional(),
  partners: z.array(z.string()).optional(),
  indicators: z.array(z.string()).optional(),
  milestones: z.array(Milestone).optional(),
  funding: z.array(z.string()).optional(),
});
export type ExpectedDraft = z.infer<typeof ExpectedDraft>;

export const EvalThreadFile = z.object({
  thread: Thread,
  /** Day of the thread's last message (kept for readers; drafting uses the messages' timestamps). */
  ref: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  expected: ExpectedDraft,
  /** Items a coordinator could also keep: never required, never counted against precision. */
  acceptable: ExpectedDraft.optional(),
});
export type EvalThreadFile = z.infer<typeof EvalThreadFile>;

/** Fields scored for precision: lists of items. */
export const LIST_FIELDS = ['objectives', 'steps', 'targetPublic', 'pilots', 'partners', 'milestones', 'indicators', 'funding'] as const;
type ListField = (typeof LIST_FIELDS)[number];
const isListField = (f: string): f is ListField => (LIST_FIELDS as readonly string[]).includes(f);

export interface FieldScore {
  expected: number;
  found: number;
  /** Items the draft produced for the field (list fields only). */
  drafted?: number;
  /** Drafted items an expected or acceptable item supports. */
  correct?: number;
  /** Drafted items nothing settled, for reading the errors. */
  wrong?: string[];
  /** Expected items the draft missed. */
  missed?: string[];
}

export interface DraftScore {
  perField: Record<string, FieldScore>;
  recall: number;
  precision: number;
}

/** The draft's items for one list field, as a reader would count them. */
export function draftedItems(draft: FicheDraft, field: ListField): string[] {
  const f = draft.fiche;
  switch (field) {
    case 'objectives': return [...f.objectives.general, ...f.objectives.operational];
    case 'steps': return f.steps;
    case 'targetPublic': return f.targetPublic;
    case 'pilots': return f.pilots.map((p) => `${p.name} ${p.organisation ?? ''}`.trim());
    case 'partners': return f.partners;
    case 'indicators': return f.indicators.map((i) => `${i.label} ${i.target ?? ''}`.trim());
    case 'funding': return f.funding ? f.funding.split(' ; ') : [];
    case 'milestones': return f.milestones.map((m) => m.due ?? '');
  }
}

/** The draft's text for one field, as a reader would search it. */
export function fieldText(draft: FicheDraft, field: string): string {
  const f = draft.fiche;
  switch (field) {
    case 'title': return f.title;
    case 'axis': return f.axis ?? '';
    case 'context': return f.context ?? '';
    case 'milestones': return f.milestones.map((m) => `${m.label} ${m.dueText}`).join(' | ');
    default: return isListField(field) ? draftedItems(draft, field).join(' | ') : '';
  }
}

function daysApart(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

const dueMatches = (a: string, b: string): boolean => !!a && !!b && daysApart(a, b) <= 1;

function textSupports(drafted: string, reference: string): boolean {
  const d = foldLoose(drafted);
  const r = foldLoose(reference);
  return d === r || (d.length >= 3 && r.length >= 2 && (d.includes(r) || r.includes(d)));
}

export function scoreDraft(draft: FicheDraft, expected: ExpectedDraft, acceptable: ExpectedDraft = {}): DraftScore {
  const perField: Record<string, FieldScore> = {};
  let total = 0, found = 0, drafted = 0, correct = 0;
  const fields = new Set<string>([...Object.keys(expected), ...LIST_FIELDS]);
  for (const field of fields) {
    const items = (expected as Record<string, unknown[] | undefined>)[field] ?? [];
    const score: FieldScore = { expected: items.length, found: 0, missed: [] };
    if (field === 'milestones') {
      const dues = draft.fiche.milestones.map((m) => m.due ?? '');
      for (const m of items as Array<{ due: string; dueText: string }>) {
        if (dues.some((d) => dueMatches(d, m.due))) score.found++;
        else score.missed!.push(`${m.dueText} → ${m.due}`);
      }
    } else {
      const text = foldLoose(fieldText(draft, field));
      for (const item of items as string[]) {
        if (text.includes(foldLoose(item))) score.found++;
        else score.missed!.push(item);
      }
    }
    if (isListField(field)) {
      const refs = [...((expected[field] ?? []) as unknown[]), ...((acceptable[field] ?? []) as unknown[])];
      const mine = draftedItems(draft, field);
      const wrong: string[] = [];
      let ok = 0;
      mine.forEach((d, i) => {
        const supported = field === 'milestones'
          ? refs.some((r) => dueMatches(d, (r as { due: string }).due))
          : refs.some((r) => textSupports(d, r as string));
        if (supported) ok++;
        else wrong.push(field === 'milestones' ? `${draft.fiche.milestones[i]!.label} (${draft.fiche.milestones[i]!.dueText} → ${d})` : d);
      });
      Object.assign(score, { drafted: mine.length, correct: ok, wrong });
      drafted += mine.length;
      correct += ok;
    }
    if (score.expected === 0 && !score.drafted) continue;
    perField[field] = score;
    total += score.expected;
    found += score.found;
  }
  return { perField, recall: total === 0 ? 1 : found / total, precision: drafted === 0 ? 1 : correct / drafted };
}

export interface DraftEvalResult {
  threads: number;
  /** Recall per field over all threads (found / expected). */
  perField: Record<string, number>;
  /** Precision per list field over all threads (correct / drafted; 1 when nothing was drafted). */
  perFieldPrecision: Record<string, number>;
  overallRecall: number;
  overallPrecision: number;
  pilotsRecall: number;
  milestonesRecall: number;
  /** Per thread, for reading what was missed or wrongly drafted. */
  perThread: Array<{ file: string; recall: number; precision: number; perField: Record<string, FieldScore> }>;
}

export function loadEvalThread(path: string): EvalThreadFile {
  return EvalThreadFile.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function runDraftEval(dir = 'eval/threads'): DraftEvalResult {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const sums: Record<string, { expected: number; found: number; drafted: number; correct: number }> = {};
  const perThread: DraftEvalResult['perThread'] = [];
  for (const file of files) {
    const data = loadEvalThread(join(dir, file));
    const draft = draftFicheOffline(data.thread, { now: EVAL_NOW });
    const score = scoreDraft(draft, data.expected, data.acceptable);
    perThread.push({ file, recall: score.recall, precision: score.precision, perField: score.perField });
    for (const [field, s] of Object.entries(score.perField)) {
      const acc = (sums[field] ??= { expected: 0, found: 0, drafted: 0, correct: 0 });
      acc.expected += s.expected;
      acc.found += s.found;
      acc.drafted += s.drafted ?? 0;
      acc.correct += s.correct ?? 0;
    }
  }
  const perField: Record<string, number> = {};
  const perFieldPrecision: Record<string, number> = {};
  let expected = 0, found = 0, drafted = 0, correct = 0;
  for (const [field, s] of Object.entries(sums)) {
    if (s.expected) perField[field] = s.found / s.expected;
    if (isListField(field)) perFieldPrecision[field] = s.drafted ? s.correct / s.drafted : 1;
    expected += s.expected;
    found += s.found;
    drafted += s.drafted;
    correct += s.correct;
  }
  return {
    threads: files.length,
    perField,
    perFieldPrecision,
    overallRecall: expected ? found / expected : 1,
    overallPrecision: drafted ? correct / drafted : 1,
    pilotsRecall: perField['pilots'] ?? 1,
    milestonesRecall: perField['milestones'] ?? 1,
    perThread,
  };
}

/** The evaluation sets, in the order they are reported. */
export const DRAFT_EVAL_SETS = [
  { name: "fils d'exemple (eval/threads)", dir: 'eval/threads' },
  { name: 'fils réalistes, dev (eval/threads-real/dev)', dir: 'eval/threads-real/dev' },
  { name: 'fils réalistes, holdout (eval/threads-real/holdout)', dir: 'eval/threads-real/holdout' },
] as const;

/** A French table: one line per field, recall and precision. */
export function formatDraftEval(name: string, r: DraftEvalResult): string[] {
  const lines = [`Rédaction de fiches — ${name} (${r.threads} fils) : rappel ${r.overallRecall.toFixed(3)}, précision ${r.overallPrecision.toFixed(3)}`];
  const fields = [...new Set([...Object.keys(r.perField), ...Object.keys(r.perFieldPrecision)])];
  for (const f of fields) {
    const rec = r.perField[f] === undefined ? '  —  ' : r.perField[f]!.toFixed(3);
    const prec = r.perFieldPrecision[f] === undefined ? '  —  ' : r.perFieldPrecision[f]!.toFixed(3);
    lines.push(`  ${f.padEnd(14)} rappel ${rec}  précision ${prec}`);
  }
  return lines;
}
