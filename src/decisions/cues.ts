/**
 * The vocabulary of minutes, as data. Every pattern is written on folded
 * text (lowercase, no accents: see `foldForMatch`) and compiled once by
 * `compile()`; the extractor (`extract.ts`) only applies these tables.
 *
 * Add a wording here, never as a regex in the engine.
 */

/** Bodies whose minutes hold decisions; the first cue found in a document's title (then its opening) names the meeting. */
export const MEETING_CUES: ReadonlyArray<{ meeting: string; cues: string[] }> = [
  { meeting: 'COPIL', cues: ['copil', 'comite de pilotage'] },
  { meeting: 'COTECH', cues: ['cotech', 'comite technique', 'comite de suivi technique'] },
  { meeting: 'plénière', cues: ['pleniere', 'assemblee generale'] },
  { meeting: 'groupe de travail', cues: ['groupe de travail', 'gt ', 'sous-groupe', 'atelier thematique', 'commission'] },
  { meeting: 'CTS', cues: ['conseil territorial de sante', 'cts', 'cssm', 'commission specialisee en sante mentale'] },
  { meeting: 'CLSM', cues: ['clsm', 'conseil local de sante mentale'] },
  { meeting: 'bureau', cues: ['bureau du ptsm', 'reunion de bureau'] },
];

/** What makes a document minutes at all, when the indexer did not already file it as `compte-rendu`. */
export const MINUTES_CUES = ['compte rendu', 'compte-rendu', 'releve de decisions', 'proces-verbal', 'proces verbal', 'minutes de'];

/**
 * Section headings. `decisions`: every item below is a decision;
 * `actions`: every item is something someone is to do; `other`: a heading
 * that ends the previous section. Checked in order: the first match wins.
 */
export type SectionKind = 'decisions' | 'actions' | 'proposals' | 'other';
export const SECTION_CUES: ReadonlyArray<{ kind: SectionKind; cues: string[] }> = [
  { kind: 'proposals', cues: ['propositions transmises', 'propositions soumises', 'propositions au copil', 'pour avis', 'ordre du jour'] },
  { kind: 'actions', cues: ['suites a donner', 'prochaines etapes', 'plan d\'action', 'actions a mener', 'a faire', 'releve des actions', 'tableau des actions', 'qui fait quoi', 'engagements'] },
  { kind: 'decisions', cues: ['releve de decision', 'releve des decision', 'decision', 'a retenir', 'conclusions', 'arbitrages', 'validations', 'points actes'] },
];

/**
 * Sentence cues outside decision sections: what was decided, postponed or
 * given to someone. `postpones` marks a change of date.
 */
export interface SentenceCue { kind: 'décision' | 'action'; postpones?: boolean; pattern: string }
export const SENTENCE_CUES: readonly SentenceCue[] = [
  { kind: 'décision', pattern: '\\bil est (decide|convenu|acte|valide|retenu|arrete)\\b' },
  { kind: 'décision', pattern: '\\bil a ete (decide|convenu|acte|valide|retenu|arrete)\\b' },
  { kind: 'décision', pattern: '\\b(copil|cotech|comite|groupe|pleniere|assemblee|bureau|cts|clsm|instance|membres)( \\w+){0,3} (decide|decident|valide|valident|adopte|adoptent|approuve|approuvent|acte|actent|entérine|entérinent|enterine|arrete|retient|donne son accord|emet un avis favorable|se prononce (en faveur|pour))\\b' },
  { kind: 'décision', pattern: '\\b(est|sont|a ete|ont ete) (adoptee?s?|approuvee?s?|validee?s?|actee?s?|enterinee?s?|decidee?s?|arretee?s?)\\b' },
  { kind: 'décision', pattern: '\\b(accord|feu vert) (pour|de principe|sur|du copil|du cotech)\\b' },
  { kind: 'décision', pattern: '\\b(decision|decide) :' },
  { kind: 'décision', pattern: '\\bactee?s?\\b\\s*[.:;]' },
  { kind: 'décision', pattern: '\\bavis favorable\\b' },
  { kind: 'décision', pattern: '\\b(se prononce|se prononcent) favorablement\\b' },
  { kind: 'décision', pattern: '\\b(la )?decision (est|a ete) prise\\b' },
  { kind: 'décision', postpones: true, pattern: '\\b(est|sont|a ete|ont ete|sera|seront) (reportee?s?|decalee?s?|repoussee?s?|prolongee?s?|differee?s?)\\b' },
  { kind: 'décision', postpones: true, pattern: '^\\W*(report|decalage|prolongation) (de|du|des)\\b' },
  { kind: 'action', pattern: '\\ba faire\\s*:' },
  { kind: 'action', pattern: '\\baction\\s*:' },
];

/** Wordings that look like a decision but are not one (a proposal, the approval of the minutes themselves). */
export const NOT_DECISION_CUES: readonly string[] = [
  '\\bcompte[ -]rendu (est )?(valide|approuve|adopte)',
  '\\b(valide|approuve) par les participants\\b',
  '\\bsous reserve de (validation|l\'accord)\\b',
  '\\bne (peut|peuvent|pourra|pourront) pas etre\\b',
  '\\bn\'est pas (acte|valide|adopte|reporte)',
  '\\bpropose(nt)? (de|que|d\')',
  '\\b(sera|seront) (soumise?s?|presentee?s?) (au|a la|pour)',
];

/** Headings of a table's columns: who is to act, by when, what. */
export const TABLE_COLUMNS = {
  who: ['responsable', 'qui', 'pilote', 'porteur', 'referent', 'en charge', 'acteur'],
  due: ['echeance', 'quand', 'date', 'delai', 'pour le', 'calendrier', 'avant le'],
  what: ['action', 'decision', 'objet', 'sujet', 'quoi', 'point', 'tache'],
} as const;

/** Words before a date that make it the deadline of an action ("avant fin mars", "d'ici juin"). */
export const DEADLINE_MARKERS = ['avant', 'd\'ici', 'au plus tard', 'pour le', 'pour fin', 'pour la fin', 'echeance', 'date limite', 'jusqu\'au', 'd\'ici a'];

/** A paragraph opening with these announces the next meeting: it ends the relevé above it. */
export const NEXT_MEETING_CUES = ['prochaine reunion', 'prochaine seance', 'prochain copil', 'prochain cotech', 'prochaine pleniere', 'prochaine assemblee', 'date de la prochaine'];

/** Civilities and titles that open a person's name. */
export const CIVILITIES = ['m', 'mme', 'mlle', 'mr', 'dr', 'pr', 'me', 'docteur', 'professeur', 'monsieur', 'madame', 'commandant', 'capitaine', 'commissaire'];

/** Roles minutes name instead of a person ("la coordinatrice relancera…"). */
export const ROLES = [
  'coordinatrice', 'coordinateur', 'coordination', 'pilote', 'pilotes', 'copilote', 'copilotes', 'referent', 'referente', 'secretariat',
  'president', 'presidente', 'directeur', 'directrice', 'groupe de travail', 'cotech', 'copil', 'ars', 'mdph', 'delegation departementale',
  'chargee de mission', 'charge de mission',
];

/** Words that hand a task to someone: "confiée au groupe de travail", "rédigé par le Dr X" (written with accents: matched on the text as written). */
export const ASSIGNMENT_CUES = [
  'confié à', 'confiée à', 'confiés à', 'confiées à', 'confié au', 'confiée au', 'confié aux', 'confiée aux',
  'par', 'porté par', 'portée par', 'assuré par', 'assurée par', 'piloté par', 'pilotée par', 'en charge :', 'responsable :', 'qui :',
];
