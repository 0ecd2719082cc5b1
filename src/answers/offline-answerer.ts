import type { Answer, Chunk, Citation } from '../core/types.js';
import type { ScoredChunk } from '../search/knowledge-base.js';
import { meetsConstraints, scoreUnits, type QueryTerm, type Unit } from './passages.js';
import type { AnalyzedQuestion, QuestionType } from './question.js';

export interface OfflineTuning {
  /** Minimum share of the question's topic (IDF-weighted) that the answering passage must cover. */
  minCoverage: number;
  /** Citations at most in one answer. */
  maxCitations: number;
}

/**
 * minCoverage 0.5 was the best of 0.4–0.8 on eval/questions.json
 * (`npm run eval -- --min-coverage=0.6` to compare): higher refuses answerable
 * questions, lower answers questions the corpus cannot.
 */
export const DEFAULT_TUNING: OfflineTuning = { minCoverage: 0.5, maxCitations: 3 };

const NAMED_PERSON = /\b(M\.|Mme|Mmes|Dr|Pr|Docteure?|Professeure?|Madame|Monsieur)\s+\p{Lu}/u;

const LIST_TYPES: ReadonlySet<QuestionType> = new Set(['indicators', 'partners', 'public', 'objectives', 'steps']);

/**
 * Extractive answering: picks the units (sentences, list lines) that answer
 * the question and quotes them with numbered citations. Abstains when no
 * passage covers the question's topic, satisfies its constraints and holds
 * the kind of fact asked for.
 */
export function answerOffline(q: AnalyzedQuestion, hits: readonly ScoredChunk[], terms: readonly QueryTerm[], tuning: OfflineTuning = DEFAULT_TUNING, headingsOf?: (docId: string) => ReadonlySet<string>): Answer {
  const units = scoreUnits(hits, q, terms, headingsOf);
  // A typed fact must sit in a line about the topic, or under the right heading — not anywhere in a passage that covers the topic.
  const anchored = (u: Unit): boolean => q.type === 'generic' || q.type === 'decision' || u.ownScore > 0 || u.cue;
  const eligible = units.filter((u) => u.coverage >= tuning.minCoverage && u.evidence && anchored(u) && meetsConstraints(u, q)
    // The glossary defines acronyms; it does not answer who, when or how much.
    && !(q.type !== 'acronym' && q.type !== 'generic' && /glossaire|lexique/i.test(u.chunk.source)));
  if (!eligible.length) return abstain(hits);
  // Typed questions ("qui pilote", "quels indicateurs") want the line of the right field more than the line repeating the topic.
  const cueWeight = q.type === 'generic' ? 0.1 : 0.4;
  // The latest word wins: minutes of 2026 update a fiche written in 2024.
  const dates = [...new Set(eligible.map((u) => u.chunk.date ?? ''))].sort();
  const recency = (u: Unit): number => (dates.length > 1 ? dates.indexOf(u.chunk.date ?? '') / (dates.length - 1) : 0);
  const names = (u: Unit): boolean => (q.type === 'pilot' || q.type === 'person') && NAMED_PERSON.test(u.text);
  // "reportée à quand ?", "a-t-elle été signée ?": what happened since the fiche is in the minutes.
  const update = (u: Unit): number => (q.asksUpdate && u.chunk.kind === 'compte-rendu' ? 0.3 : 0);
  const recencyWeight = q.type === 'deadline' ? 0.2 : 0.1;
  const rank = (u: Unit): number => u.coverage * 0.45 + u.ownScore * 0.25 + (u.cue ? cueWeight : 0) + 0.15 / (1 + u.retrievalRank)
    + recencyWeight * recency(u) + (names(u) ? 0.2 : 0) + update(u);
  eligible.sort((a, b) => rank(b) - rank(a));
  const best = eligible[0]!;

  const chosen: Unit[] = [best];
  for (const u of eligible.slice(1)) {
    if (chosen.length >= tuning.maxCitations) break;
    if (chosen.some((c) => c.chunk.id === u.chunk.id || c.text === u.text)) continue;
    // A second source only when it is nearly as good: better one sure citation than three loose ones.
    if (best.cue && !u.cue) continue;
    if (LIST_TYPES.has(q.type) && chosen.some((c) => c.chunk.docId === u.chunk.docId)) continue;
    if (rank(u) >= rank(best) * 0.85 && u.ownScore > 0) chosen.push(u);
  }

  const citations: Citation[] = chosen.map((u) => ({ ...citationOf(u.chunk, u.text), section: u.section ?? u.chunk.section }));
  const parts = chosen.map((u, i) => {
    const body = LIST_TYPES.has(q.type) ? listAnswer(u) : `« ${clip(u.text, 400)} »`;
    return `D'après ${describe(u.chunk)} : ${body} [${i + 1}]`;
  });
  return { answer: parts.join('\n'), abstained: false, citations };
}

/**
 * For list questions, the whole list the best line belongs to (or the list
 * right under it when the best line is the section's label): the contiguous
 * run of "- " lines, which never crosses a heading line of the chunk.
 */
function listAnswer(u: Unit): string {
  const lines = u.chunk.text.split('\n').map((l) => l.trim()).filter(Boolean);
  const isItem = (l: string): boolean => /^[-•]/.test(l);
  let at = lines.findIndex((l) => u.text.startsWith(l.replace(/^…\s*/, '')) || l.includes(u.text));
  if (at >= 0 && !isItem(lines[at]!) && at + 1 < lines.length && isItem(lines[at + 1]!)) at += 1;
  if (at < 0 || !isItem(lines[at]!)) return `« ${clip(u.text, 400)} »`;
  let start = at;
  let end = at;
  while (start > 0 && isItem(lines[start - 1]!)) start--;
  while (end + 1 < lines.length && isItem(lines[end + 1]!)) end++;
  const items = lines.slice(start, end + 1).map((l) => l.replace(/^[-•]\s*/, ''));
  if (items.length < 2 || items.length > 20) return `« ${clip(u.text, 400)} »`;
  const label = start > 0 && !isItem(lines[start - 1]!) && lines[start - 1]!.length < 80 ? ` ${lines[start - 1]!.replace(/\s*:$/, '')} :` : '';
  return `${label}\n${items.map((i) => `  - ${clip(i, 200)}`).join('\n')}\n `;
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

export function citationOf(chunk: Chunk, quote: string): Citation {
  return { source: chunk.source, title: chunk.title, page: chunk.page, section: chunk.section, quote: clip(quote, 300) };
}

export function describe(chunk: Chunk): string {
  const page = chunk.page ? ` (p. ${chunk.page})` : '';
  const kind = chunk.kind === 'fiche' ? 'la fiche' : chunk.kind === 'compte-rendu' ? 'le compte rendu' : 'le document';
  return `${kind} « ${chunk.title} »${page}`;
}

export function clip(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1).replace(/\s+\S*$/, '') + '…';
}
