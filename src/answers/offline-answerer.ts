import type { Answer, Chunk, Citation } from '../core/types.js';
import type { ScoredChunk } from '../search/knowledge-base.js';
import { logit, probability, type FeatureVector } from './model/logistic.js';
import type { AnswerModel } from './model/answer-model.js';
import type { QueryTerm } from './passages.js';
import type { AnalyzedQuestion, QuestionType } from './question.js';
import { answerFeatures, unitFeatures, type ScoredUnit } from './unit-features.js';
import { answerUnits, type DocumentLookup } from './units.js';
import { clip, focusedClip } from './quote.js';
import { isListLine, listMarker } from '../ingestion/blocks/normalize.js';

export interface OfflineTuning {
  /** Citations at most in one answer. */
  maxCitations: number;
}

export const DEFAULT_TUNING: OfflineTuning = { maxCitations: 3 };

const LIST_TYPES: ReadonlySet<QuestionType> = new Set(['indicators', 'partners', 'public', 'objectives', 'steps']);

/** What the offline pipeline decided, stage by stage (eval and `--explain` read it). */
export interface OfflineTrace {
  question: AnalyzedQuestion;
  terms: readonly QueryTerm[];
  passages: Chunk[];
  ranked: ScoredUnit[];
  decision: FeatureVector;
  /** Probability that the question is answered by the ranked units. */
  confidence: number;
}

/** Ranks the answer units of the retrieved passages with the fitted unit ranker. */
export function rankUnits(q: AnalyzedQuestion, hits: readonly ScoredChunk[], terms: readonly QueryTerm[], model: AnswerModel, docs?: DocumentLookup): ScoredUnit[] {
  const scored = answerUnits(hits, q.names, docs).map((u) => {
    const features = unitFeatures(u, q, terms);
    return { ...u, features, score: logit(model.ranker, features) };
  });
  return scored.sort((a, b) => b.score - a.score || a.retrievalRank - b.retrievalRank || a.position - b.position);
}

/**
 * Extractive answering: retrieve → units → rank units → decide → compose.
 * One calibrated decision (the answer model) says whether the best units
 * answer the question; the quotes are the units that hold the fact.
 */
export function answerOffline(q: AnalyzedQuestion, hits: readonly ScoredChunk[], terms: readonly QueryTerm[], model: AnswerModel, tuning: OfflineTuning = DEFAULT_TUNING, docs?: DocumentLookup): { answer: Answer; trace: OfflineTrace } {
  const ranked = rankUnits(q, hits, terms, model, docs);
  const passages = hits.map((h) => h.chunk);
  const decision = answerFeatures(ranked, q, terms, passages);
  const confidence = probability(model.answer, decision);
  const trace = { question: q, terms, passages, ranked, decision, confidence };
  if (!ranked.length || confidence < model.answer.threshold) return { answer: abstain(hits), trace };
  return { answer: compose(q, ranked, terms, tuning), trace };
}

/** The best unit answers; the next ones, if nearly as good, join it; up to three are cited with their quotes. */
function compose(q: AnalyzedQuestion, ranked: readonly ScoredUnit[], terms: readonly QueryTerm[], tuning: OfflineTuning): Answer {
  const chosen: ScoredUnit[] = [];
  for (const u of ranked) {
    if (chosen.length >= tuning.maxCitations) break;
    if (chosen.some((c) => c.text === u.text || c.text.includes(u.text) || u.text.includes(c.text))) continue;
    chosen.push(u);
  }
  const best = chosen[0]!;
  // The second unit joins the answer when the ranker can hardly tell it from the first.
  const shown = chosen.filter((u, i) => i === 0 || (i === 1 && best.score - u.score < 1 && u.chunk.id !== best.chunk.id));
  const parts = shown.map((u, i) => {
    const body = LIST_TYPES.has(q.type) ? listAnswer(u) : `« ${focusedClip(u.text, 400, terms)} »`;
    return `D'après ${describe(u.chunk)} : ${body} [${i + 1}]`;
  });
  const citations: Citation[] = chosen.map((u) => ({ ...citationOf(u.chunk, quoteOf(u), terms), page: u.page, section: u.section ?? u.chunk.section }));
  return { answer: parts.join('\n'), abstained: false, citations };
}

/**
 * A unit is quoted with the line after it when both fit in a quote (the fact
 * and its continuation read as one), and a short one with the line before it
 * too ("Montant : 78 550 €" means little without "Enveloppe n° 2 : …").
 */
function quoteOf(u: ScoredUnit): string {
  let quote = u.text;
  if (u.next && !quote.includes(u.next) && quote.length + u.next.length < QUOTE_MAX) quote = `${quote} ${u.next}`;
  const before = u.context.split('\n').pop() ?? '';
  if (u.text.length < 80 && before && !quote.includes(before) && quote.length + before.length < QUOTE_MAX) quote = `${before} ${quote}`;
  return quote;
}

const QUOTE_MAX = 320;

/**
 * For list questions, the whole list the best line belongs to (or the list
 * right under it when the best line is the section's label): the contiguous
 * run of "- " lines, which never crosses a heading line of the chunk.
 */
function listAnswer(u: ScoredUnit): string {
  const lines = u.chunk.text.split('\n').map((l) => l.trim()).filter(Boolean);
  let at = lines.findIndex((l) => u.text.startsWith(l.replace(/^…\s*/, '')) || l.includes(u.text));
  if (at >= 0 && !isListLine(lines[at]!) && at + 1 < lines.length && isListLine(lines[at + 1]!)) at += 1;
  if (at < 0 || !isListLine(lines[at]!)) return `« ${clip(u.text, 400)} »`;
  let start = at;
  let end = at;
  while (start > 0 && isListLine(lines[start - 1]!)) start--;
  while (end + 1 < lines.length && isListLine(lines[end + 1]!)) end++;
  // Bullets are drawn again below; a number as printed stays with its item (« 4. Créer au CHU… »).
  const items = lines.slice(start, end + 1).map((l) => l.replace(/^[-•*]\s*/, ''));
  if (items.length < 2 || items.length > 20) return `« ${clip(u.text, 400)} »`;
  const label = start > 0 && !isListLine(lines[start - 1]!) && lines[start - 1]!.length < 80 ? ` ${lines[start - 1]!.replace(/\s*:$/, '')} :` : '';
  return `${label}\n${items.map((i) => `  ${listMarker(i) ? '' : '- '}${clip(i, 200)}`).join('\n')}\n `;
}

export function abstain(hits: readonly ScoredChunk[]): Answer {
  const titles = [...new Set(hits.slice(0, 5).map((h) => `« ${h.chunk.title} »`))].slice(0, 3);
  const suggestion = titles.length ? ` Documents les plus proches : ${titles.join(', ')}.` : '';
  return {
    answer: `Je n'ai pas trouvé la réponse dans les documents du PTSM.${suggestion}`,
    abstained: true,
    citations: [],
  };
}

/** A citation of a passage; a quote too long is cut around the question's words when they are given. */
export function citationOf(chunk: Chunk, quote: string, terms: readonly QueryTerm[] = []): Citation {
  return { source: chunk.source, title: chunk.title, page: chunk.page, section: chunk.section, quote: focusedClip(quote, QUOTE_MAX, terms) };
}

export function describe(chunk: Chunk): string {
  const page = chunk.page ? ` (p. ${chunk.page})` : '';
  const kind = chunk.kind === 'fiche' ? 'la fiche' : chunk.kind === 'compte-rendu' ? 'le compte rendu' : 'le document';
  return `${kind} « ${chunk.title} »${page}`;
}

