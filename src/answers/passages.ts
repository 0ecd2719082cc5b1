import type { Chunk } from '../core/types.js';
import { foldForMatch } from '../text/fold.js';
import { analyze } from '../text/french.js';
import type { AnalyzedQuestion } from './question.js';

/** A topic term of the question, the corpus terms that count as it, and its weight. */
export interface QueryTerm { term: string; alts: readonly string[]; weight: number; /** The corpus never uses the word nor a word it abbreviates. */ unknown?: boolean; /** Carried from the previous turn of a follow-up. */ carried?: boolean }

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

/**
 * The question's constraints a unit fails, next to the fact itself: the
 * year, the day, the month, the fiche and the meeting asked about (names are
 * checked against the unit's whole document: AnswerUnit.namesAbsent). They are features of
 * the answer decision (src/answers/unit-features.ts), not vetoes.
 */
export function failedConstraints(u: { chunk: Chunk; text: string; section: string | null }, q: AnalyzedQuestion): Array<'year' | 'day' | 'fiche' | 'meeting' | 'month'> {
  const failed: Array<'year' | 'day' | 'fiche' | 'meeting' | 'month'> = [];
  const chunk = u.chunk;
  const context = foldForMatch(`${chunk.title} ${chunk.headingPath.join(' ')} ${u.section ?? ''} ${chunk.source}`);
  const unit = foldForMatch(u.text);
  const near = `${context} ${unit}`;
  const meetingQuestion = q.type === 'decision' || q.meetings.length > 0;
  // For a meeting, its minutes' title and date say when; for any other fact, the year or month is written next to it.
  const local = meetingQuestion ? near : `${foldForMatch(u.section ?? '')} ${unit}`;
  if (q.years.some((y) => !local.includes(y) && !(meetingQuestion && (chunk.date ?? '').startsWith(y)))) failed.push('year');
  const datedDoc = (d: { text: string; iso: string }): boolean => chunk.date === d.iso || Boolean(d.iso === '' && chunk.date && dayText(chunk.date) === d.text);
  // "le COPIL du 2 juillet" is that meeting's own minutes, not a line announcing it.
  if (q.days.some((d) => (q.type === 'decision' ? !datedDoc(d) && !context.includes(d.text) : !near.includes(d.text) && !datedDoc(d)))) failed.push('day');
  if (q.ficheNumbers.some((n) => !new RegExp(`\\b(fiche(\\s+action)?|fa)\\s*(n°\\s*)?${n.replace('.', '\\.')}\\b`).test(near))) failed.push('fiche');
  if (meetingQuestion && q.meetings.some((m) => !meetingMentioned(context, m) && !meetingMentioned(unit, m))) failed.push('meeting');
  if (q.months.length && !q.days.length) {
    // "le COPIL de juin" is the minutes of June's COPIL: a later report that mentions June does not count.
    const minutesOfThatMonth = q.type === 'decision' && chunk.kind === 'compte-rendu' && chunk.date !== null;
    if (minutesOfThatMonth ? !q.months.includes(monthOfDate(chunk.date) ?? '') : !q.months.some((m) => local.includes(m))) failed.push('month');
  }
  return failed;
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
