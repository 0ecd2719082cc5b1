import type { Chunk } from '../core/types.js';
import { splitSentences } from '../ingestion/chunker.js';
import { foldForMatch } from '../text/fold.js';
import type { ScoredChunk } from '../search/knowledge-base.js';
import { analyze } from '../text/french.js';
import { countNoun, fieldCue, hasCountOf, hasEvidence } from './evidence.js';
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

/** A topic term of the question, the corpus terms that count as it, and its weight. */
export interface QueryTerm { term: string; alts: readonly string[]; weight: number }

/** Terms of the question that name its field or the act of asking, not its topic. */
const FIELD_TERMS = new Set(analyze(
  'pilote pilotes piloté pilotage porteur porte qui fiche fiches action actions quel quels quelle quelles indicateur indicateurs ' +
  'partenaire partenaires public publics cible échéance échéances calendrier date quand budget montant objectif objectifs étape étapes ' +
  'décidé décision décisions prochaine réunion combien dit veut dire quoi est-ce sont responsable responsables référent référente ' +
  'coordonne coordonner anime occupe chargé chargée nom appelle appellent ' +
  // Verbs of asking: they say nothing of the topic and corpora rarely use them.
  'prévoit prévu prévue prévus concerne parle explique expliquer sais savoir connaître trouve trouver peux pouvez peut donner donne ' +
  'indiquer indique rappeler rappelle voudrais aimerais cherche besoin merci bonjour stp svp exactement actuellement aujourd hui ' +
  'concrètement court courir fonctionne passe passé retenir veut faire fait gens paie paye payer nb nbre ' +
  // Time words set constraints (checked separately), they do not name the topic.
  'dernier dernière derniers premier première trimestre semestre mois année années an ans semaine depuis jusqu actuel',
));

export function topicTerms(question: string): string[] {
  return [...new Set(analyze(question).filter((t) => !FIELD_TERMS.has(t)))];
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

function covered(terms: readonly QueryTerm[], present: ReadonlySet<string>): number {
  let s = 0;
  for (const t of terms) if (t.alts.some((a) => present.has(a))) s += t.weight;
  return s;
}

/**
 * Scores every unit of the retrieved chunks. The chunk's title and headings
 * count for coverage (a line "Mme Vasseur (GEM)" under the heading "Pilote"
 * of the fiche "Pair-aidance" answers "qui pilote la pair-aidance").
 */
export function scoreUnits(hits: readonly ScoredChunk[], q: AnalyzedQuestion, terms: readonly QueryTerm[], headingsOf: (docId: string) => ReadonlySet<string> = () => new Set()): Unit[] {
  const total = terms.reduce((s, t) => s + t.weight, 0) || 1;
  const units: Unit[] = [];
  const noun = q.type === 'count' ? countNoun(q.text) : null;
  hits.forEach((hit, rank) => {
    const c = hit.chunk;
    // The file name counts too: "2025-10-07-gt-crise-urgences.txt" says what the meeting was.
    const chunkTerms = new Set(analyze(`${c.title} ${c.headingPath.join(' ')} ${c.date ?? ''} ${c.source.replace(/[-_/.]+/g, ' ')} ${c.text}`));
    const chunkCover = covered(terms, chunkTerms);
    const list = unitsOf(c);
    const headings = headingsOf(c.docId);
    let section = c.section ?? '';
    list.forEach((text, i) => {
      // Headings are lines of the chunk: the unit's own section is the last one above it.
      const isHeading = headings.has(text) || text === c.title;
      if (isHeading) section = text;
      const unitText = withFollowers(text, list.slice(i + 1));
      // A bare heading is a signpost, not an answer.
      if (isHeading && unitText === text) return;
      const own = new Set(analyze(unitText));
      units.push({
        chunk: c,
        text: unitText,
        coverage: chunkCover / total,
        ownScore: covered(terms, own) / total,
        // Under "Relevé de décisions", every line is a decision.
        evidence: noun ? hasCountOf(noun, unitText) : hasEvidence(q.type, unitText) || (q.type === 'decision' && hasEvidence('decision', section)),
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

/**
 * The unit must satisfy the question's constraints: named places and
 * organisations (anywhere in its document's passage), and — next to the fact
 * itself — the year, the day, the month and the fiche asked about.
 */
export function meetsConstraints(u: Pick<Unit, 'chunk' | 'text' | 'section'>, q: AnalyzedQuestion): boolean {
  const chunk = u.chunk;
  const context = foldForMatch(`${chunk.title} ${chunk.headingPath.join(' ')} ${u.section ?? ''} ${chunk.source}`);
  const unit = foldForMatch(u.text);
  const hay = `${context} ${foldForMatch(chunk.text)}`;
  for (const name of q.names) if (!hay.includes(foldForMatch(name))) return false;
  const near = `${context} ${unit}`;
  const meetingQuestion = q.type === 'decision' || q.meetings.length > 0;
  // For a meeting, its minutes' title and date say when; for any other fact, the year or month is written next to it.
  const local = meetingQuestion ? near : `${foldForMatch(u.section ?? '')} ${unit}`;
  for (const y of q.years) if (!local.includes(y) && !(meetingQuestion && (chunk.date ?? '').startsWith(y))) return false;
  const datedDoc = (d: { text: string; iso: string }): boolean => chunk.date === d.iso || Boolean(d.iso === '' && chunk.date && dayText(chunk.date) === d.text);
  for (const d of q.days) {
    // "le COPIL du 2 juillet" is that meeting's own minutes, not a line announcing it.
    if (q.type === 'decision' ? !datedDoc(d) && !context.includes(d.text) : !near.includes(d.text) && !datedDoc(d)) return false;
  }
  for (const n of q.ficheNumbers) {
    if (!new RegExp(`\\b(fiche(\\s+action)?|fa)\\s*(n°\\s*)?${n.replace('.', '\\.')}\\b`).test(near)) return false;
  }
  if (meetingQuestion) {
    for (const m of q.meetings) if (!meetingMentioned(context, m) && !meetingMentioned(unit, m)) return false;
  }
  if (q.months.length && !q.days.length) {
    // "le COPIL de juin" is the minutes of June's COPIL: a later report that mentions June does not count.
    const minutesOfThatMonth = q.type === 'decision' && chunk.kind === 'compte-rendu' && chunk.date !== null;
    if (minutesOfThatMonth ? !q.months.includes(monthOfDate(chunk.date) ?? '') : !q.months.some((m) => local.includes(m))) return false;
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
function dayText(iso: string): string {
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]}`;
}
