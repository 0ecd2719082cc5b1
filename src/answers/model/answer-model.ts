import { z } from 'zod';
import shipped from './answer-model.json' with { type: 'json' };
import type { LogisticModel } from './logistic.js';

/**
 * The fitted decisions of the offline answerer: which unit holds the answer
 * (ranker) and whether the best units answer the question at all (answer).
 * Refit with `npm run fit:answers` (scripts/fit-answer-model.ts), which
 * writes answer-model.json with its cross-validated figures.
 */
export interface AnswerModel { ranker: LogisticModel; answer: LogisticModel }

const Logistic = z.object({ features: z.array(z.string()), weights: z.array(z.number()), bias: z.number(), threshold: z.number() })
  .refine((m) => m.features.length === m.weights.length, 'autant de poids que de variables');
const AnswerModelFile = z.object({ ranker: Logistic, answer: Logistic });

export function parseAnswerModel(data: unknown): AnswerModel {
  return AnswerModelFile.parse(data);
}

export const SHIPPED_ANSWER_MODEL: AnswerModel = parseAnswerModel(shipped);
