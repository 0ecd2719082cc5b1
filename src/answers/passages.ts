import type { Chunk } from '../core/types.js';
import { splitSentences } from '../ingestion/chunker.js';
import { foldForMatch } from '../ingestion/fold.js';
import type { ScoredChunk } from '../search/knowledge-base.js';
import { analyze } from '../text/french.js';
import { fieldCue, hasEvidence } from './evidence.js';
import type { AnalyzedQuestion } from './question.js';

/** A sentence or list line of a retrieved chunk, scored against the question. */
export interface Unit {
  chunk: Chunk;
  text: string;
  /** IDF-weighted share of the question's topic terms this unit (with its chunk's headings) covers. */
  coverage: number;
  /** Same, counting only the unit's own words. */
  ownScore: number;
  evidence: boolean;
  cue: boolean;
  /** Heading the unit sits under (may differ from the chunk's first heading). */
  section: string | null;
  retrievalRank: number;
}

export interface TermWeights { terms: string[]; weight: (t: string) => number }

/** Terms of the question that name its topic (not its question words or field label). */
const FIELD_TERMS = new Set(analyze(
  'pilote pilotes piloté pilotage porteur porte qui fiche fiches action actions quel quels quelle quelles indicateur indicateurs ' +
  'partenaire partenaires public publics cible échéance échéances calendrier date quand budget montant objectif objectifs étape étapes ' +
  'décidé décision prochaine réunion combien dit veut dire quoi est-ce sont ' +
  // Verbs of asking: they say nothing of the topic and corpora rarely use them.
  'prévoit prévu prévue prévus concerne parle explique expliquer sais savoir connaître trouve trouver peux pouvez peut donner donne ' +
  'indiquer indique rappeler rappelle voudrais aimerais cherche besoin merci bonjour stp svp exactement actuellement aujourd hui',
));

export function topicTerms(question: string, extra = ''): string[] {
  const terms = analyze(`${question} ${extra}`).filter((t) => !FIELD_TERMS.has(t));
  return [...new Set(terms)];
}

/** Splits a chunk into units: list lines and table rows stay whole, prose is split into sentences. */
export function unitsOf(chunk: Chunk): string[] {
  const out: string[] = [];
  for (const line of chunk.text.split('\n')) {
    const t = line.trim();
    if (!t || t === '…') continue;
    if (/^[-•]|\|/.test(t) || t.length < 200) out.push(t.replace(/^…\s*/, ''));
    else out.push(...splitSentences(t));
  }
  return out;
}

/**
 * Scores every unit of the retrieved chunks. The chunk's title and headings
 * count for coverage (a line "Mme Vasseur (GEM)" under the heading "Pilote"
 * of the fiche "Pair-aidance" answers "qui pilote la pair-aidance").
 */
export function scoreUnits(hits: readonly ScoredChunk[], q: AnalyzedQuestion, w: TermWeights, headingsOf: (docId: string) => ReadonlySet<string> = () => new Set()): Unit[] {
  const total = w.terms.reduce((s, t) => s + w.weight(t), 0) || 1;
  const units: Unit[] = [];
  hits.forEach((hit, rank) => {
    const c = hit.chunk;
    const contextTerms = new Set(analyze(`${c.title} ${c.headingPath.join(' ')} ${c.date ?? ''}`));
    const chunkTerms = new Set(analyze(c.text));
    const chunkCover = w.terms.reduce((s, t) => s + (contextTerms.has(t) || chunkTerms.has(t) ? w.weight(t) : 0), 0);
    const list = unitsOf(c);
    const headings = headingsOf(c.docId);
    let section = c.section ?? '';
    list.forEach((text, i) => {
      // Headings are lines of the chunk: the unit's own section is the last one above it.
      const isHeading = headings.has(text) || text === c.title;
      if (isHeading) section = text;
      const own = new Set(analyze(text));
      const ownScore = w.terms.reduce((s, t) => s + (own.has(t) ? w.weight(t) : 0), 0) / total;
      const unitText = withFollowers(text, list.slice(i + 1));
      // A bare heading is a signpost, not an answer.
      if (isHeading && unitText === text) return;
      units.push({
        chunk: c,
        text: unitText,
        coverage: chunkCover / total,
        ownScore,
        evidence: hasEvidence(q.type, unitText),
        cue: fieldCue(q.type, unitText) || fieldCue(q.type, section),
        section: section || null,
        retrievalRank: rank,
      });
    });
  });
  return units;
}

/**
 * A label line ("Pilote(s) :") or a heading line ("Les six axes du PTSM") is
 * answered by what follows it: the next line, or the list under it.
 */
function withFollowers(text: string, rest: string[]): string {
  const next = rest[0];
  if (!next) return text;
  const isItem = (l: string): boolean => /^[-•]/.test(l);
  const isLabel = /:\s*$/.test(text) || (!isItem(text) && text.length <= 80 && !/[.!?;,»)]$/.test(text) && isItem(next));
  if (!isLabel) return text;
  if (!isItem(next)) return `${text} ${next}`;
  const items: string[] = [];
  for (const l of rest) { if (!isItem(l) || items.length >= 8) break; items.push(l); }
  return `${text}\n${items.join('\n')}`;
}

/** The passage must satisfy the question's constraints: named places/organisations, years, meeting and month. */
export function meetsConstraints(chunk: Chunk, q: AnalyzedQuestion): boolean {
  const hay = foldForMatch(`${chunk.title} ${chunk.headingPath.join(' ')} ${chunk.text} ${chunk.source}`);
  for (const name of q.names) if (!hay.includes(foldForMatch(name))) return false;
  for (const y of q.years) if (!hay.includes(y) && !(chunk.date ?? '').startsWith(y)) return false;
  if (q.type === 'decision' || q.meetings.length) {
    for (const m of q.meetings) if (!meetingMentioned(hay, m)) return false;
    if (q.months.length && !q.months.some((m) => hay.includes(m) || monthOfDate(chunk.date) === m)) return false;
  }
  return true;
}

function meetingMentioned(hay: string, meeting: string): boolean {
  switch (meeting) {
    case 'copil': return /\bcopil\b|comite de pilotage/.test(hay);
    case 'cotech': return /\bcotech\b|comite technique/.test(hay);
    case 'pleniere': return /pleniere/.test(hay);
    case 'groupe de travail': return /groupe de travail|\bgt\b/.test(hay);
    default: return hay.includes(meeting);
  }
}

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];
function monthOfDate(date: string | null): string | null {
  if (!date) return null;
  return MONTHS[Number(date.slice(5, 7)) - 1] ?? null;
}
