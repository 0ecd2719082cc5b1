import { analyze } from '../text/french.js';
import { countNoun, fieldCue, hasCountOf, hasEvidence } from './evidence.js';
import type { FeatureVector } from './model/logistic.js';
import { failedConstraints, type QueryTerm } from './passages.js';
import type { AnalyzedQuestion } from './question.js';
import type { AnswerUnit } from './units.js';

/** Question types whose answer has a recognisable shape (a date, an amount, a name…). */
const TYPED = new Set(['deadline', 'budget', 'count', 'rate', 'pilot', 'person', 'decision', 'contact']);

export interface ScoredUnit extends AnswerUnit {
  features: FeatureVector;
  /** The unit ranker's score (a logit: only comparisons between units, and its level across questions, mean something). */
  score: number;
}

/** Share of the terms' weight that the set holds. */
function coverage(terms: readonly QueryTerm[], present: ReadonlySet<string>): number {
  const total = terms.reduce((s, t) => s + t.weight, 0) || 1;
  let s = 0;
  for (const t of terms) if (t.alts.some((a) => present.has(a))) s += t.weight;
  return s / total;
}

/** This turn's own terms (a follow-up's carried topic aside). */
const askedTerms = (terms: readonly QueryTerm[]): QueryTerm[] => terms.filter((t) => !t.carried);

/** Analysed terms of a passage with its title, headings and file name; every unit of a passage shares them. */
const passageTermsCache = new WeakMap<AnswerUnit['chunk'], ReadonlySet<string>>();
function passageTerms(c: AnswerUnit['chunk']): ReadonlySet<string> {
  let set = passageTermsCache.get(c);
  if (!set) {
    set = new Set(analyze(`${c.title} ${c.headingPath.join(' ')} ${c.source.replace(/[-_/.]+/g, ' ')} ${c.text}`));
    passageTermsCache.set(c, set);
  }
  return set;
}

/**
 * The features of one unit for the unit ranker. Question analysis (type,
 * years, names, fiche numbers…) enters here as features, never as a veto:
 * the fitted weights say how much a failed constraint or a missing date
 * counts against a unit.
 */
export function unitFeatures(u: AnswerUnit, q: AnalyzedQuestion, terms: readonly QueryTerm[]): FeatureVector {
  // A unit's own words are matched with this turn's topic only: a follow-up's carried topic chose the passage.
  const asked = askedTerms(terms);
  const own = new Set(analyze(u.text));
  const local = new Set(analyze(`${u.text} ${u.context} ${u.section ?? ''}`));
  const passage = coverage(terms, passageTerms(u.chunk));
  const typed = TYPED.has(q.type);
  const noun = q.type === 'count' ? countNoun(q.text) : null;
  const found = noun ? hasCountOf(noun, u.text) || hasEvidence('count', u.text) : hasEvidence(q.type, u.text);
  const failed = failedConstraints(u, q);
  // The rarest words of the question (a place, a programme, a body) say most about which unit answers.
  const rare = [...asked].sort((a, b) => b.weight - a.weight).slice(0, 2);
  const glossary = /glossaire|lexique/i.test(`${u.chunk.source} ${u.section ?? ''}`);
  return {
    own: coverage(asked, own),
    local: coverage(asked, local),
    rare: coverage(rare, own),
    next: coverage(asked, new Set(analyze(u.next))),
    passage,
    rank: 1 / (1 + u.retrievalRank),
    bm25: u.bm25,
    cosine: u.cosine,
    lead: 1 / (1 + u.position),
    length: Math.min(1, u.text.length / 200),
    typedFound: typed && found ? 1 : 0,
    typedMissing: typed && !found ? 1 : 0,
    cue: fieldCue(q.type, u.text) || fieldCue(q.type, u.section ?? '') ? 1 : 0,
    // A typed question is answered by the line of its field in a passage about its topic, even when that line does not repeat the topic.
    cueInTopic: (fieldCue(q.type, u.text) || fieldCue(q.type, u.section ?? '')) && q.type !== 'generic' ? passage : 0,
    typedInTopic: typed && found ? passage : 0,
    failedName: q.names.length ? u.namesAbsent / q.names.length : 0,
    failedDate: failed.some((f) => f === 'year' || f === 'day' || f === 'month') ? 1 : 0,
    failedOther: failed.some((f) => f === 'fiche' || f === 'meeting') ? 1 : 0,
    glossaryForOther: glossary && q.type !== 'acronym' ? 1 : 0,
  };
}

/**
 * The features of the decision to answer at all, read off the ranked units:
 * how sure the ranker is of its best unit, how much of the question the
 * retrieved passages leave unexplained, and whether the fact asked for is
 * there in the shape asked for.
 */
export function answerFeatures(ranked: readonly ScoredUnit[], q: AnalyzedQuestion, terms: readonly QueryTerm[], allPassages: readonly AnswerUnit['chunk'][]): FeatureVector {
  const best = ranked[0];
  const top = ranked.slice(0, 3);
  const anywhere = new Set(analyze(allPassages.map((c) => `${c.title} ${c.headingPath.join(' ')} ${c.text}`).join('\n')));
  const max = (name: string): number => Math.max(0, ...top.map((u) => u.features[name] ?? 0));
  // A unit consistent with the whole question: its document names what the question names, its dates agree,
  // and — for a typed question — it holds a fact of the asked shape. Near misses ("the budget of a PTSM whose
  // documents give no amount") have good units, but no consistent one.
  const consistent = ranked.slice(0, 5).filter((u) => (u.features['failedName'] ?? 0) === 0 && (u.features['failedDate'] ?? 0) === 0 && (u.features['failedOther'] ?? 0) === 0
    && (!TYPED.has(q.type) || (u.features['typedFound'] ?? 0) === 1));
  // What the consistent unit's document, as retrieved, says of the question's topic: a near miss ("the CTSM of a
  // territory whose page is about its DTP") names the territory but not the thing asked, however well the unit ranks.
  const asked = askedTerms(terms);
  // One document of a collected PDF is its own document here: its passages carry its title.
  const topicOf = (u: ScoredUnit): ReadonlySet<string> => new Set(allPassages.filter((c) => c.docId === u.chunk.docId && c.title === u.chunk.title).flatMap((c) => [...passageTerms(c)]));
  const topics = consistent.map(topicOf);
  // The words of the thing asked, the names aside (the document already answers for those).
  const nameTerms = new Set(analyze(q.names.join(' ')));
  const attributes = asked.filter((t) => !t.alts.some((a) => nameTerms.has(a)) && !nameTerms.has(t.term));
  const attributeCoverage = (u: ScoredUnit): number => (attributes.length ? coverage(attributes, new Set(analyze(`${u.text} ${u.context} ${u.next}`))) : 1);
  const second = ranked[1];
  // Logits scaled to about [-1, 1]: a model over features of one range fits and reads better.
  const scaled = (z: number): number => Math.max(-1.5, Math.min(1.5, z / 10));
  return {
    bestScore: best ? scaled(best.score) : -1.5,
    margin: best && second ? Math.min(1, (best.score - second.score) / 5) : 1,
    consistent: consistent.length ? 1 : 0,
    consistentOwn: Math.max(0, ...consistent.map((u) => u.features['own'] ?? 0)),
    consistentRare: Math.max(0, ...consistent.map((u) => u.features['rare'] ?? 0)),
    consistentTopic: Math.max(0, ...topics.map((t) => coverage(asked, t))),
    // How far below the best unit the first consistent one ranks: a near miss finds one, but far down.
    consistentGap: consistent.length && best ? Math.min(1, (best.score - consistent[0]!.score) / 5) : 1,
    consistentAttributes: Math.max(0, ...consistent.map(attributeCoverage)),
    bestOwn: max('own'),
    bestLocal: max('local'),
    bestPassage: best ? best.features['passage'] ?? 0 : 0,
    unexplained: 1 - coverage(terms, anywhere),
    // A word the documents never use ("télépsychiatrie" in a corpus without it) names what they do not hold.
    unknownWords: Math.min(1, terms.filter((t) => t.unknown).length / 2),
    typedMissing: TYPED.has(q.type) && top.every((u) => (u.features['typedMissing'] ?? 0) === 1) ? 1 : 0,
    failedName: best ? best.features['failedName'] ?? 0 : 0,
    failedDate: best ? best.features['failedDate'] ?? 0 : 0,
    failedOther: best ? best.features['failedOther'] ?? 0 : 0,
  };
}
