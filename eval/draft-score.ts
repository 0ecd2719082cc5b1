/**
 * Scores offline drafts against hand-written expectations (eval/threads/*.json).
 * An expected item is found when its folded text (lowercase, no accents,
 * dashes as spaces) appears in the draft's text for that field; milestones
 * match on their due date.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Thread, type FicheDraft } from '../src/core/fiche.js';
import { draftFicheOffline } from '../src/fiches/draft/index.js';
import { foldLoose } from '../src/fiches/draft/text.js';

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
  milestones: z.array(z.object({ dueText: z.string(), due: z.string() })).optional(),
  funding: z.array(z.string()).optional(),
});
export type ExpectedDraft = z.infer<typeof ExpectedDraft>;

export const EvalThreadFile = z.object({ thread: Thread, ref: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), expected: ExpectedDraft });
export type EvalThreadFile = z.infer<typeof EvalThreadFile>;

export interface FieldScore {
  expected: number;
  found: number;
}

export interface DraftScore {
  perField: Record<string, FieldScore>;
  recall: number;
}

/** The draft's text for one field, as a reader would search it. */
export function fieldText(draft: FicheDraft, field: string): string {
  const f = draft.fiche;
  switch (field) {
    case 'title': return f.title;
    case 'axis': return f.axis ?? '';
    case 'context': return f.context ?? '';
    case 'objectives': return [...f.objectives.general, ...f.objectives.operational].join(' | ');
    case 'steps': return f.steps.join(' | ');
    case 'targetPublic': return f.targetPublic.join(' | ');
    case 'pilots': return f.pilots.map((p) => `${p.name} ${p.organisation ?? ''}`).join(' | ');
    case 'partners': return f.partners.join(' | ');
    case 'indicators': return f.indicators.map((i) => `${i.label} ${i.target ?? ''}`).join(' | ');
    case 'funding': return f.funding ?? '';
    case 'milestones': return f.milestones.map((m) => `${m.label} ${m.dueText}`).join(' | ');
    default: return '';
  }
}

export function scoreDraft(draft: FicheDraft, expected: ExpectedDraft): DraftScore {
  const perField: Record<string, FieldScore> = {};
  let total = 0;
  let found = 0;
  for (const [field, items] of Object.entries(expected)) {
    if (!items || items.length === 0) continue;
    let hit = 0;
    if (field === 'milestones') {
      const dues = new Set(draft.fiche.milestones.map((m) => m.due));
      for (const m of items as Array<{ due: string }>) if (dues.has(m.due)) hit++;
    } else {
      const text = foldLoose(fieldText(draft, field));
      for (const item of items as string[]) if (text.includes(foldLoose(item))) hit++;
    }
    perField[field] = { expected: items.length, found: hit };
    total += items.length;
    found += hit;
  }
  return { perField, recall: total === 0 ? 1 : found / total };
}

export interface DraftEvalResult {
  threads: number;
  /** Recall per field over all threads (found / expected). */
  perField: Record<string, number>;
  overallRecall: number;
  pilotsRecall: number;
  milestonesRecall: number;
  /** Per thread, for reading what was missed. */
  perThread: Array<{ file: string; recall: number; perField: Record<string, FieldScore> }>;
}

export function loadEvalThread(path: string): EvalThreadFile {
  return EvalThreadFile.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function runDraftEval(dir = 'eval/threads'): DraftEvalResult {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const sums: Record<string, FieldScore> = {};
  const perThread: DraftEvalResult['perThread'] = [];
  for (const file of files) {
    const data = loadEvalThread(join(dir, file));
    const draft = draftFicheOffline(data.thread, { now: `${data.ref}T09:00:00.000Z`, ref: data.ref });
    const score = scoreDraft(draft, data.expected);
    perThread.push({ file, recall: score.recall, perField: score.perField });
    for (const [field, s] of Object.entries(score.perField)) {
      const acc = (sums[field] ??= { expected: 0, found: 0 });
      acc.expected += s.expected;
      acc.found += s.found;
    }
  }
  const perField: Record<string, number> = {};
  let expected = 0;
  let found = 0;
  for (const [field, s] of Object.entries(sums)) {
    perField[field] = s.expected ? s.found / s.expected : 1;
    expected += s.expected;
    found += s.found;
  }
  return {
    threads: files.length,
    perField,
    overallRecall: expected ? found / expected : 1,
    pilotsRecall: perField['pilots'] ?? 1,
    milestonesRecall: perField['milestones'] ?? 1,
    perThread,
  };
}
