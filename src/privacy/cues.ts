/**
 * What a mention of a patient is made of, as data. Each cue belongs to one
 * category; the detector (detector.ts) adds the weight of each category
 * present in a sentence once, plus a bonus when a person is identified AND
 * something clinical or personal is said of them. Negative categories are
 * what institutional PTSM prose looks like (roles, statistics, meetings).
 *
 * Word lists are matched case- and accent-insensitively as whole words;
 * `patterns` are regular expressions matched as written (names need their
 * capitals, "HO" must not match "ho").
 */

export type CueGroup = 'identity' | 'clinical' | 'personal' | 'identifier' | 'institutional';

export interface CueCategory {
  id: string;
  group: CueGroup;
  weight: number;
  words?: readonly string[];
  patterns?: readonly string[];
  /** What this cue matched singles a person out: it is what masking removes first. */
  identifying?: true;
}

/** Capital letters as a plain class: Unicode property escapes make these patterns an order of magnitude slower. */
const UPPER = '[A-ZÀ-ÖØ-Þ]';
const CIVILITY = String.raw`(?:M\.|Mr\.?|Mme|Mlle|Monsieur|Madame|Mademoiselle)`;
/** A capitalised name word, or an initial ("L.", "J.-P."). */
const NAME_WORD = String.raw`\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*`;
const NAME = String.raw`(?:${NAME_WORD}(?:\s${NAME_WORD}){0,2}|\p{Lu}\.(?:\s?-?\p{Lu}\.)*)`;
const DATE = String.raw`\d{1,2}(?:er)?(?:[/.-]\d{1,2}[/.-]\d{2,4}|\s+\p{L}+\s+\d{4})`;
const PATIENT_NOUN = String.raw`(?:patiente?|usagère|usager|jeune|adolescente?|résidente?|enfant)`;

export const CUE_CATEGORIES: readonly CueCategory[] = [
  // Who: a person singled out.
  { id: 'civility-name', group: 'identity', weight: 1, identifying: true, patterns: [String.raw`\b${CIVILITY}\s+${NAME}`] },
  { id: 'patient-named', group: 'identity', weight: 1.5, identifying: true, patterns: [String.raw`(?:\b[Ll]e|\b[Ll]a|\b[Dd]u|\b[Dd]e la|\b[Ll]')\s*${PATIENT_NOUN}\s+(?:${CIVILITY}\s+)?(?:${NAME}|X|Y|Z)(?![\p{L}])`] },
  { id: 'initials', group: 'identity', weight: 1, identifying: true, patterns: [String.raw`(?<![\p{L}.])${UPPER}\.\s?-?${UPPER}\.(?:\s?${UPPER}\.)?(?![\p{L}])`, String.raw`(?<![\p{L}.])${UPPER}{2}\.?,\s*\d{1,3}\s?ans\b`] },
  { id: 'patient-singular', group: 'identity', weight: 0.5, words: ['le patient', 'la patiente', 'du patient', 'de la patiente', "l'usager", "l'usagère", 'un patient', 'une patiente', 'ce patient', 'cette patiente', 'patiente', 'adolescente', 'le jeune', 'la jeune'] },

  // What is said of them.
  {
    id: 'diagnosis', group: 'clinical', weight: 1,
    words: [
      'bipolaire', 'bipolarité', 'schizophrénie', 'schizophrène', 'schizo-affectif', 'schizoaffectif', 'psychose', 'psychotique', 'délirant', 'délirante',
      'bouffée délirante', 'dépression', 'dépressif', 'dépressive', 'mélancolie', 'mélancolique', 'maniaque', 'anorexie', 'anorexique', 'boulimie',
      'troubles du comportement alimentaire', 'trouble anxieux', 'troubles anxieux', 'borderline', 'trouble de la personnalité', 'démence', 'alzheimer',
      'korsakoff', 'alcoolodépendance', 'alcoolodépendant', 'alcoolisme', 'toxicomanie', 'addiction', 'autisme', 'autiste', 'phobie', 'idées suicidaires',
      'crise suicidaire', 'scarifications', 'trouble psychotique', 'trouble bipolaire', 'troubles des conduites', 'post-partum',
    ],
    patterns: [String.raw`\b(?:TSA|TDAH|TOC|TCA|TSPT)\b`],
  },
  {
    id: 'hospitalisation-mode', group: 'clinical', weight: 1,
    words: [
      'soins sans consentement', 'hospitalisée sans consentement', 'hospitalisé sans consentement', 'programme de soins', 'péril imminent',
      "demande d'un tiers", "représentant de l'état", 'isolement', 'chambre d\'isolement', 'contention', 'unité fermée', 'arrêté du préfet',
      'hospitalisation complète', 'soins psychiatriques',
    ],
    patterns: [String.raw`\b(?:SDT|SDRE|SPDT|SPDRE|SPI|HDT|HO|UMD)\b`],
  },
  {
    id: 'care-event', group: 'clinical', weight: 0.8,
    words: [
      'hospitalisé', 'hospitalisée', 'réhospitalisé', 'réhospitalisée', 'suivi pour', 'suivie pour', 'suivi au', 'suivie au', 'suivi par', 'suivie par',
      'sous traitement', 'son traitement', 'refuse son', 'décompensé', 'décompensée', 'a décompensé', 'tentative de suicide', 'admis aux urgences', 'admise aux urgences',
      'aux urgences', 'rupture de soins', 'rupture de traitement', 'a rechuté', 'sevrage', 'sismothérapie', 'électroconvulsivothérapie', 'sous lithium',
      'sorti contre avis médical', 'a fugué', 'injection retard', 'neuroleptique', 'antipsychotique', 'sous tutelle', 'sous curatelle', 'curateur',
      'transféré', 'transférée', 'permission de sortie', 'sortie prévue', 'est sorti', 'est sortie', 'placé en', 'placée en', 'mis sous', 'mise sous',
    ],
    patterns: [String.raw`\b(?:TS|ECT)\b`],
  },
  // Personal facts.
  {
    id: 'age', group: 'personal', weight: 0.8, identifying: true,
    // The context is checked behind the match (not before it): much faster, same spans.
    patterns: [String.raw`\d{1,3}\s?ans\b(?<=(?:^|[,(]\s*|\bâgée? de\s+|\b(?:a|patiente?|jeune|homme|femme|adolescente?|enfant|fille|fils|garçon)\s+(?:de\s+)?)\d{1,3}\s?ans)`],
  },
  { id: 'residence', group: 'personal', weight: 1, identifying: true, words: ['domicilié', 'domiciliée', 'habite', 'réside', 'demeurant', 'vit au', 'vit seul', 'vit seule', 'vit à la rue', 'à son domicile', 'à domicile', 'sans domicile'] },
  { id: 'street-address', group: 'personal', weight: 0.3, identifying: true, patterns: [String.raw`\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|allée|boulevard|bd|impasse|chemin|place|route|quai|cours|square)\b(?:\s+(?!(?:et|est|a|qui|pour|depuis|où)\b)[\p{L}'’-]+){0,5}`] },
  { id: 'phone', group: 'personal', weight: 0.5, identifying: true, patterns: [String.raw`(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)`] },

  // Identifiers: enough on their own.
  { id: 'birth-date', group: 'identifier', weight: 2.5, identifying: true, patterns: [String.raw`\b[Nn]ée?\s+le\s+${DATE}`, String.raw`\b[Dd]ate de naissance(?:\s*:?\s*${DATE})?`] },
  { id: 'nir', group: 'identifier', weight: 3, identifying: true, patterns: [String.raw`(?<!\d)[12]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?!\d)`] },
  { id: 'record-id', group: 'identifier', weight: 3, identifying: true, patterns: [String.raw`\b(?:IPP|NIR|[Nn]°\s*(?:de\s+)?sécu(?:rité sociale)?|[Nn]uméro de sécurité sociale|[Nn]°\s*de dossier(?: patient)?|dossier patient)\s*:?\s*(?:est le\s+)?\d(?:[\s-]?[\dAB])*`] },
  { id: 'patient-contact', group: 'identifier', weight: 2.5, identifying: true, patterns: [String.raw`\b(?:[Aa]dresse|[Tt]éléphone|[Tt]él\.?|[Pp]ortable|[Cc]oordonnées|[Dd]ossier)\s+(?:du|de la|de l')\s*(?:patiente?|usagère|usager)\b`] },

  // What institutional prose looks like.
  {
    id: 'professional-role', group: 'institutional', weight: -1.5,
    words: [
      'dr', 'pr', 'docteur', 'docteure', 'professeur', 'psychiatre', 'pédopsychiatre', 'médecin', 'infirmier', 'infirmière', 'cadre de santé', 'directeur',
      'directrice', 'chargé de mission', 'chargée de mission', 'coordinateur', 'coordinatrice', 'président', 'présidente', 'élu', 'élue', 'maire',
      'assistante sociale', 'assistant social', 'éducateur', 'éducatrice', 'psychologue', 'médiateur', 'médiatrice', 'pilote', 'pilotes', 'pilotent',
      'copilote', 'référent', 'référente', 'représentante des', 'représentant des', 'anime', 'animera', 'présentera', 'intervient', 'partenaire',
    ],
  },
  {
    id: 'statistic', group: 'institutional', weight: -1,
    words: ['taux', 'nombre de', 'file active', 'pour 100 000', 'représentent', 'environ', 'soit'],
    patterns: [String.raw`%`, String.raw`\b\d{1,3}\s\d{3}\b`],
  },
  {
    id: 'plural-population', group: 'institutional', weight: -1,
    words: ['les patients', 'des patients', 'aux patients', 'les patientes', 'les personnes', 'des personnes', 'aux personnes', 'les usagers', 'des usagers', 'les jeunes', 'des jeunes', 'des mères', 'les familles', 'les adolescents', 'la population'],
  },
  {
    id: 'governance', group: 'institutional', weight: -1,
    words: ['copil', 'comité de pilotage', 'réunion', 'séance', 'groupe de travail', 'compte rendu', 'ordre du jour', 'fiche action', 'indicateur', 'objectif', 'budget', 'échéance', 'partenaires', 'axe', 'convention', 'ptsm', 'dispositif'],
    patterns: [String.raw`\b[Ff]iches?\s+\d`],
  },
];

/**
 * A question asked after a case (« M. Dupont, hospitalisé pour schizophrénie :
 * qui pilote la fiche 4 ? ») is a sentence of its own: its institutional words
 * must not offset the case before it. A colon or semicolon followed by one of
 * these opens a new sentence.
 */
export const QUESTION_STARTS: readonly string[] = [
  'qui', 'que', "qu'est-ce", 'quoi', 'quel', 'quelle', 'quels', 'quelles', 'quand', 'comment', 'où', 'pourquoi', 'combien',
  'est-ce', 'peut-on', 'peut-il', 'peut-elle', 'faut-il', 'doit-on', 'y a-t-il', 'a-t-on', 'existe-t-il', 'vers qui', 'à qui', 'auprès de qui',
];

/** Groups whose presence, next to an identified person, says something personal about them. */
export const ABOUT_PERSON_GROUPS: readonly CueGroup[] = ['clinical', 'personal'];
/** Identity cues strong enough to single someone out (a generic "le patient" is not). */
export const STRONG_IDENTITY: readonly string[] = ['civility-name', 'patient-named', 'initials'];
/** Personal cues that, alone with a name, say nothing about care: a pilot's phone number or office address. */
export const NOT_ABOUT_PERSON: readonly string[] = ['phone', 'street-address'];

/** Weight added once when an identified person and something clinical or personal about them share a sentence. */
export const CO_OCCURRENCE_BONUS = 1;
/** A sentence whose score reaches this is treated as a mention of a patient. Tuned on eval/privacy/mentions.jsonl only. */
export const DECISION_THRESHOLD = 2;
