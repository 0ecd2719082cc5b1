import { foldForMatch } from '../text/fold.js';
import type { QuestionType } from './question.js';

/**
 * Does a piece of text hold the *kind* of fact a question asks for? Lexical
 * or vector similarity cannot tell "le budget 2024" from a passage that only
 * talks about the PTSM: this check can.
 */
const DATE_RE = /\b(\d{1,2}(er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)|(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+20\d{2}|\d{1,2}\/\d{1,2}(\/\d{2,4})?|\b[ts][1-4]\s*20\d{2}|(1er|premier|2e|2eme|deuxieme|second|3e|4e)\s+(trimestre|semestre)|printemps|ete 20|automne|hiver|rentree|fin 20\d{2}|debut 20\d{2}|d'ici (fin )?20\d{2}|20\d{2}\s*[-–]\s*20\d{2}|(en|courant|avant|des|a partir de|fin|debut|mi-?)\s*20\d{2})/;
const AMOUNT_RE = /\d[\d\s.,]*\s*(€|euros?|k€|m€|keur|meur)|\b\d+([.,]\d+)?\s*etp\b/;
const PERSON_OR_ORG_RE = /\b(m\.|mme|mmes|dr|pr|docteur|professeur|madame|monsieur)\s+\p{L}|\b(ch|chu|epsm|ghT|cpts|gem|unafam|mda|ccas|ars|cmp|dac|pta|clsm|mission locale|conseil departemental|association|centre hospitalier|service|maison|equipe|reseau|plateforme|coordinat\w*|direct\w*|cadre|infirmi\w*|psychiatre|psychologue|mediat\w*|delegation)\b/iu;
const DECISION_RE = /\b(decid\w*|decision\w*|acte[es]?|valide[es]?|adopte[es]?|retenu[es]?|vote[es]?|arbitr\w*|approuve[es]?|convenu|accord\w*|entérin\w*|enterin\w*|report\w*|reconduit\w*|attribu\w*)\b/;
const NUMBER_RE = /\b\d+([.,]\d+)?\b|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cent)\b/;

/**
 * "combien de personnes / d'appels …": the count must be a number next to
 * that noun, not any number of the passage.
 */
export function countNoun(question: string): string | null {
  const m = /\b(?:combien (?:de |d')|nombre (?:de |d')|nbr?e? (?:de |d')?)(\p{L}{3,})/u.exec(foldForMatch(question));
  return m ? m[1]!.replace(/s$/, '').slice(0, 6) : null;
}

/** Words people use for the same count ("combien de gens" ↔ "participants"). */
const COUNT_SYNONYMS: Record<string, string> = {
  gen: '(?:gens|person|participan|acteur|professionn|habitan)',
  person: '(?:person|participan|gens|usager|patient|benefic)',
  monde: '(?:person|participan|gens)',
};

export function hasCountOf(noun: string, text: string): boolean {
  const f = foldForMatch(text);
  return new RegExp(`\\d[\\d\\s.,]*\\s+(?:\\S+\\s+){0,2}${COUNT_SYNONYMS[noun] ?? noun}`).test(f);
}

export function hasEvidence(type: QuestionType, text: string): boolean {
  const f = foldForMatch(text);
  switch (type) {
    case 'deadline': return DATE_RE.test(f);
    case 'budget': return AMOUNT_RE.test(f);
    case 'count': return NUMBER_RE.test(f);
    case 'rate': return /\d+([.,]\d+)?\s*%|\bpour (cent|mille)\b|\b\d+ sur \d+\b/.test(f);
    case 'pilot': return PERSON_OR_ORG_RE.test(f) || /\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+/u.test(text);
    case 'decision': return DECISION_RE.test(f);
    case 'contact': return /\b0\d([ .-]?\d{2}){4}\b|\+33\s?\d|[\w.+-]+@[\w-]+\.[\w.]+|\b\d{1,4},?\s+(rue|avenue|av\.|boulevard|bd|place|chemin|allee|impasse|route|quai)\b|\b\d{5}\s+\p{L}/iu.test(f);
    case 'person': return /\b(m\.|mme|mmes|dr|pr|docteur|professeur|madame|monsieur)\s+\p{Lu}/iu.test(text);
    default: return true;
  }
}

/** Words that say "this line is about the asked field" (the label of a fiche section, a verb of decision…). */
const FIELD_CUES: Partial<Record<QuestionType, RegExp>> = {
  pilot: /\b(pilot\w*|porteu\w*|porte(e)? par|co-?pilot\w*|referent\w*|responsable\w*|coordonn\w*)\b/,
  deadline: /\b(echeanc\w*|calendrier|date|delai\w*|prochaine|lancement|d'ici|au plus tard|avant)\b/,
  indicators: /\bindicateur\w*|\bcible\b|\btaux\b|\bnombre de\b/,
  partners: /\bpartenai\w*|\bacteurs?\b|\bassoci\w*/,
  public: /\bpublic|\bbeneficiair\w*|\bcible\w*|\bpopulation/,
  budget: /\bbudget|\bfinanc\w*|\bmontant|\benveloppe|\bcredit\w*|\bcout\w*|\bmoyens?\b|€/,
  objectives: /\bobjectif\w*|\bvise\w*|\bpermettre\b/,
  decision: DECISION_RE,
  steps: /\betape\w*|\bmodalit\w*|\bmise en oeuvre\b/,
};

export function fieldCue(type: QuestionType, text: string): boolean {
  const re = FIELD_CUES[type];
  return re ? re.test(foldForMatch(text)) : false;
}
