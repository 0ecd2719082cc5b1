import { foldForMatch } from '../text/fold.js';

/** What kind of fact a question asks for (drives passage checks and answer shape). */
export type QuestionType =
  | 'person' | 'pilot' | 'deadline' | 'indicators' | 'partners' | 'public' | 'objectives' | 'steps'
  | 'budget' | 'count' | 'rate' | 'acronym' | 'decision' | 'contact' | 'generic';

export interface AnalyzedQuestion {
  text: string;
  type: QuestionType;
  /** The acronym asked about ("c'est quoi un CPTS ?"). */
  acronym: string | null;
  /** Years named in the question: the passage must speak of them. */
  years: string[];
  /** Months named ("COPIL de mars"). */
  months: string[];
  /** Meeting bodies named (copil, cotech, plénière, groupe de travail…). */
  meetings: string[];
  /** "prochaine réunion": the answer's date must be after the document's date. */
  wantsNext: boolean;
  /** Capitalised names in the question (places, organisations, people) that a passage must contain. */
  names: string[];
  /** Full dates named ("COPIL du 2 juillet 2026"), as "2 juillet 2026" folded strings and ISO dates. */
  days: Array<{ text: string; iso: string }>;
  /** Fiche numbers named ("fiche n° 17", "FA 3", "fiche 1.2"). */
  ficheNumbers: string[];
  /** "reportée à quand ?", "a-t-elle été signée ?": asks what happened since the fiche was written. */
  asksUpdate: boolean;
}

const CHANGE_RE = /\b(report\w*|decal\w*|repouss\w*|modifi\w*|chang\w*|remplac\w*|signee?s?|ouvert\w*|demarr\w*|lance\w*|finalement|depuis quand|a-t-(il|elle) ete)\b/;

const TYPE_PATTERNS: Array<[QuestionType, RegExp]> = [
  // A phone number, an e-mail or a postal address is a fact of its own shape: asked for, it must be there.
  ['contact', /\b(numero de (telephone|tel)|telephone|\btel\b|adresse (mail|e-?mail|electronique|postale)|\be-?mail\b|\bcourriel|\bmail\b|joindre|contacter|(quelle|l'|son|leur) ?adresse)\b/],
  ['acronym', /^(c'?est quoi|c est quoi|c ?koi|c ?quoi|ckoi|kesako|qu'?est[- ]ce qu(e|'?un|'?une)|que (veut dire|signifie)|ca veut dire quoi|definitions? de?s?|significations? de?s?|a quoi correspond)\b|\b(veut dire|signifie|designe|ca designe) (quoi|le sigle|l'acronyme)?\b|\bsigle\b|\bacronyme\b|\bdefinition\b|\bsignification\b/],
  ['person', /\b(comment s'?appelle|quel est (le|son) nom|quels sont (les|leurs) noms|qui (est|sont) (le|la|les) (nouveau|nouvelle|medecin|psychiatre|directeur|directrice|coordinat)|qui a (signe|ete recrute|ete nomme))/],
  ['pilot', /\b(qui (pilote|porte|coordonne|anime|est (le |la |l')?(pilote|porteu|referent|responsable|coordinat))|qui s'?occupe|pilote[s]?\b|pilotee?s? par|porteur|portee? par|co-?pilot|referent|responsable de (la|l'|cette) (fiche|action))/],
  ['indicators', /\bindicateur|\bcomment (mesure|evalue)|criteres? d'?evaluation/],
  ['partners', /\bpartenaire|\bacteurs? (concerne|associe|mobilise)|\bavec qui\b|\bquels? (sont les )?acteurs/],
  ['public', /\bpublics?\b|\bbeneficiaire|\bpour qui\b|\ba qui s'?adresse|\bpopulation cible|\bcible[s]?\b(?! :)/],
  ['decision', /\bdecid|\bdecision|\bacte\b|\bactee|\barbitr|\bvalide[es]? (en|au|lors)|\bqu'?a[- ]t[- ]on (retenu|vote|valide|decide)|\bretenu (au|en|lors)|\bvote[es]? (au|en|lors)/],
  ['deadline', /\b(quand|jusqu'?a quand|date limite|echeance|calendrier|quelle date|a quelle date|quel (mois|delai|trimestre)|delai|prochaine? (reunion|seance|copil|cotech|pleniere)|pour quand|d'?ici quand|quelle periode|a quel moment)\b/],
  ['budget', /\b(budget|montant|enveloppe|cout|coute|financement|finance|financee?s?|euros?|credits?|subvention|dotation)\b|€/],
  ['objectives', /\bobjectif|\bbut\b|\ba quoi sert|\bfinalite|\bvise[- ]t|\bveut faire|\bprevoit quoi|\ben quoi consiste|\bconsiste\b|\bconcretement\b/],
  ['steps', /\betapes?\b|\bmodalites?\b|\bcomment (se deroule|va se|mettre en oeuvre)|\bmise en oeuvre/],
  ['rate', /\btaux\b|\bpourcentage\b|\bproportion\b|\bquelle part\b|\ben %/],
  ['count', /\bcombien\b|\bnombre de\b|\bnb\b|\bnbre\b/],
];

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];
const MONTH_ABBREVIATIONS = ['janv', 'fevr?', 'mar', 'avr', 'mai', 'juin', 'juil', 'aou', 'sept?', 'oct', 'nov', 'dec'];
const MEETINGS: Array<[string, RegExp]> = [
  ['copil', /\bcopil\b|comite de pilotage/],
  ['cotech', /\bcotech\b|comite technique/],
  ['pleniere', /\bpleniere/],
  ['groupe de travail', /\bgroupe de travail|\bgt\b/],
  ['cts', /\bcts\b|conseil territorial/],
  ['clsm', /\bclsm\b|conseil local de sante mentale/],
];

/** Words that start with a capital in questions without being names. */
const NOT_NAMES = new Set([
  'qui', 'que', 'quoi', 'quel', 'quelle', 'quels', 'quelles', 'quand', 'comment', 'combien', 'où', 'ou', 'est', 'et', 'le', 'la', 'les', 'un', 'une', 'des',
  'fiche', 'fiches', 'action', 'actions', 'axe', 'pilote', 'dr', 'mme', 'm', 'pr', 'c', 'qu', 'a', 'à', 'en', 'au', 'aux', 'du', 'de', 'd', 'l', 'sur',
  'santé', 'sante', 'mentale', 'projet', 'territorial', 'contrat', 'diagnostic', 'conseil', 'comité', 'comite', 'pilotage', 'technique',
  'janvier', 'février', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'aout', 'septembre', 'octobre', 'novembre', 'décembre', 'decembre',
]);

export function analyzeQuestion(text: string, knownAcronyms: ReadonlySet<string>): AnalyzedQuestion {
  const folded = foldForMatch(text).replace(/[’]/g, "'");
  let type: QuestionType = 'generic';
  for (const [t, re] of TYPE_PATTERNS) if (re.test(folded)) { type = t; break; }

  // "c'est quoi le numéro de téléphone de la MDA" asks for a number, not for the acronym.
  if (type === 'acronym' && ASKED_THING.test(folded)) type = secondaryType(folded);
  const acronymMatch = [...text.matchAll(/\b([A-Z][A-Za-z]*[A-Z]+[a-z]?|[A-Z]{2,})\b/g)].map((m) => m[1]!).filter((a) => a.length <= 10);
  let acronym: string | null = null;
  if (type === 'acronym') {
    acronym = acronymMatch.find((a) => knownAcronyms.has(a.toUpperCase())) ?? acronymMatch[0] ?? lastWord(text);
  }
  const years = [...folded.matchAll(/\b(20\d{2})\b/g)].map((m) => m[1]!);
  // Chat writes "nov 2025", "sept.", "fév" as often as the full month.
  const months = MONTHS.filter((m, i) => new RegExp(`\\b(${m}|${MONTH_ABBREVIATIONS[i]})\\b`).test(folded));
  const meetings = MEETINGS.filter(([, re]) => re.test(folded)).map(([name]) => name);
  const wantsNext = /\bprochaine?s?\b|\ba venir\b/.test(folded);
  const days = [...folded.matchAll(/\b(\d{1,2})(?:er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)(?: (20\d{2}))?\b/g)].map((m) => ({
    text: `${Number(m[1])} ${m[2]}`,
    iso: m[3] ? `${m[3]}-${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : '',
  }));
  const ficheNumbers = [...folded.matchAll(/\b(?:fiche(?: action)?|fa)\s*(?:n°|no|numero|n)?\s*(\d{1,2}(?:\.\d)?)\b/g)].map((m) => m[1]!);
  return { text, type, acronym: acronym ? acronym.toUpperCase() : null, years, months, meetings, wantsNext, names: properNames(text, knownAcronyms), days, ficheNumbers, asksUpdate: CHANGE_RE.test(folded) };
}

/** "c'est quoi le numéro de la MDA" asks for a thing about the acronym, not for its meaning. */
const ASKED_THING = /\b(numero|telephone|tel|adresse|mail|courriel|e-?mail|site|horaires?|nom|budget|montant|date|lieu|contact|role|mission)\b/;

function secondaryType(folded: string): QuestionType {
  for (const [t, re] of TYPE_PATTERNS) if (t !== 'acronym' && re.test(folded)) return t;
  return 'generic';
}

/** Capitalised words past the first word, and hyphenated place names ("Deux-Sèvres"), except known acronyms and common words. */
function properNames(text: string, knownAcronyms: ReadonlySet<string>): string[] {
  const names: string[] = [];
  const words = [...text.matchAll(/[\p{L}][\p{L}'’-]*/gu)];
  words.forEach((m, i) => {
    const w = m[0].replace(/^(l|d|qu)['’]/i, '');
    if (i === 0 && !w.includes('-')) return;
    if (!/^\p{Lu}/u.test(w) || w.length < 3) return;
    if (knownAcronyms.has(w.toUpperCase()) || /^[A-Z]{2,}$/.test(w)) return;
    if (NOT_NAMES.has(w.toLowerCase())) return;
    names.push(w);
  });
  return names;
}

function lastWord(text: string): string | null {
  const words = text.replace(/[?!.]+$/, '').trim().split(/\s+/);
  return words.length ? words[words.length - 1]! : null;
}
