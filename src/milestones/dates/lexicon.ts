/** French words of the calendar, normalised (lower case, no accents). */

export const MONTHS: Record<string, number> = {
  janvier: 1, janv: 1, jan: 1,
  fevrier: 2, fevr: 2, fev: 2, fevier: 2,
  mars: 3,
  avril: 4, avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7, juil: 7,
  aout: 8,
  septembre: 9, sept: 9, sep: 9,
  octobre: 10, oct: 10,
  novembre: 11, nov: 11,
  decembre: 12, dec: 12,
};

/** Month words that are also numbers ("sept" = seven): yearless, they need a clear date word before them. */
export const AMBIGUOUS_MONTHS = new Set(['sept', 'sep']);

export const MONTH_NAMES = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];

export const WEEKDAYS: Record<string, number> = {
  lundi: 1, mardi: 2, mercredi: 3, jeudi: 4, vendredi: 5, samedi: 6, dimanche: 7,
};

/** Abbreviations, accepted only right before a day number ("mer." is also "sea"). */
export const WEEKDAY_ABBR: Record<string, number> = {
  lun: 1, mar: 2, mer: 3, jeu: 4, ven: 5, sam: 6, dim: 7,
};

export const WEEKDAY_NAMES = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

export type Season = 'printemps' | 'ete' | 'automne' | 'hiver';
export const SEASONS: Record<string, Season> = {
  printemps: 'printemps', ete: 'ete', automne: 'automne', hiver: 'hiver',
};

/** Ordinal words and abbreviations: "1er", "1ère", "premier", "2e", "2ème", "2nd", "second"… */
export const ORDINALS: Record<string, number> = {
  premier: 1, premiere: 1, '1er': 1, '1ere': 1, '1re': 1, '1ier': 1, '1e': 1,
  deuxieme: 2, second: 2, seconde: 2, '2e': 2, '2eme': 2, '2nd': 2, '2nde': 2, '2d': 2, '2de': 2,
  troisieme: 3, '3e': 3, '3eme': 3,
  quatrieme: 4, '4e': 4, '4eme': 4,
};

const UNITS: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9,
  dix: 10, onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16,
};
const TENS: Record<string, number> = { vingt: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60 };

/**
 * A small cardinal number written in words ("six", "quinze", "dix-huit",
 * "vingt-quatre", "trente et un"), from its parts without hyphens. Null when not one.
 */
export function wordsToNumber(parts: string[]): number | null {
  const ps = parts.filter((p, i) => !(p === 'et' && i > 0));
  const first = ps[0];
  if (first === undefined) return null;
  if (ps.length === 1) return UNITS[first] ?? TENS[first] ?? null;
  const second = ps[1];
  if (ps.length !== 2 || second === undefined) return null;
  const head = first === 'dix' ? 10 : TENS[first];
  const unit = UNITS[second];
  if (head === undefined || unit === undefined || unit >= 10) return null;
  return head + unit;
}

export const NUMBER_WORDS = new Set([...Object.keys(UNITS), ...Object.keys(TENS), 'et']);

/** Duration units; value = [unit, multiplier]. */
export const DURATION_UNITS: Record<string, ['day' | 'week' | 'month' | 'year', number]> = {
  jour: ['day', 1], jours: ['day', 1], j: ['day', 1],
  semaine: ['week', 1], semaines: ['week', 1], sem: ['week', 1],
  mois: ['month', 1],
  trimestre: ['month', 3], trimestres: ['month', 3],
  semestre: ['month', 6], semestres: ['month', 6],
  an: ['year', 1], ans: ['year', 1], annee: ['year', 1], annees: ['year', 1],
};

/**
 * Words after a number that show it is not a year ("2000 personnes", "2025 €").
 * Checked only for a bare year found inside free text.
 */
export const NOT_A_YEAR_AFTER = new Set([
  '€', '$', '%', 'eur', 'euro', 'euros', 'k', 'ke', 'k€', 'm€', 'keur', 'personnes', 'personne', 'participants',
  'participant', 'habitants', 'patients', 'usagers', 'places', 'lits', 'etp', 'heures', 'h', 'km', 'm', 'jours',
  'mois', 'ans', 'professionnels', 'dossiers', 'appels', 'actes', 'passages', 'consultations', 'sejours',
  'journees', 'enfants', 'jeunes', 'eleves', 'beneficiaires', 'inscrits', 'logements', 'x',
]);

/**
 * Words that may precede a yearless month, quarter or semester in free text
 * ("en mars", "au T2", "fin juin", "d'ici S2"). Without one of them a bare
 * "T2" is more likely a flat ("logement T2") than a date.
 */
export const DATE_CONTEXT_BEFORE = new Set([
  'en', 'au', 'du', 'de', 'le', 'la', 'fin', 'debut', 'mi', 'milieu', 'courant', 'ici', 'avant', 'apres', 'des',
  'depuis', 'entre', 'et', 'a', 'pour', 'vers', 'mois', 'jusqu', 'partir', 'compter', 'cours', '-', 'tard',
  'prevu', 'prevue', 'prevus', 'prevues', 'horizon', 'dici',
]);

/** Bare prepositions and articles a mention does not need to start with. */
export const BARE = new Set(['le', 'la', 'les', 'l', 'au', 'aux', 'en', 'du', 'de', 'des', 'd', 'a', 'pour', "'", 'dans', 'sur']);

/** Label words that may surround a deadline without changing it ("Échéance : T2 2025"). */
export const FILLERS = new Set([
  ...BARE, 'echeance', 'echeances', 'date', 'dates', 'limite', 'cible', 'objectif', 'prevu', 'prevue', 'prevus',
  'prevues', 'prevision', 'previsionnel', 'previsionnelle', 'calendrier', 'delai', 'realisation', 'vise', 'visee',
  'environ', 'approximativement', 'horizon', 'matin', 'soir', 'midi', 'journee', 'et', 'ou', ':', ',', ';', '.', '(', ')', '[', ']', '-', '/',
  '!', '?', '"', '*', '•',
]);
