/**
 * Deadlines without a date: events ("au prochain COPIL"), conditions ("selon
 * financement"), continuous or recurring actions. Each pattern is a plain
 * alternation with at most one bounded gap, so matching stays linear.
 */
import { REASONS } from './reasons.js';

const RULES: Array<[RegExp, string]> = [
  [
    /\b(?:duree|tout au long|au long|vie|temps)\s+(?:du|de la|de l'|des)\s*(?:ptsm|ctsm|contrat|projet|plan|programme|dispositif)\b|\b(?:pendant|durant|sur) (?:le|la|les) (?:5 ans |cinq ans )?(?:du )?(?:ptsm|ctsm)\b|\b(?:5|cinq) ans du (?:ptsm|ctsm|contrat)\b/,
    REASONS.ptsmDuration,
  ],
  [
    /\b(?:chaque|tous les|toutes les)\s+(?:annees?|ans|mois|semaines?|trimestres?|semestres?|jours)\b|\b(?:annuel(?:le)?s?|annuellement|mensuel(?:le)?s?|mensuellement|trimestriel(?:le)?s?|trimestriellement|semestriel(?:le)?s?|bimestriel(?:le)?s?|hebdomadaires?|recurrent(?:e)?s?|periodique(?:s|ment)?|regulierement|une fois par (?:an|mois|semaine|trimestre|semestre))\b/,
    REASONS.recurring,
  ],
  [
    /\b(?:en continu|continue?s?|continuellement|permanent(?:e|s|es)?|en permanence|au fil de l'eau|en cours|perenne|toute l'annee|au long cours|tout au long de l'annee)\b/,
    REASONS.continuous,
  ],
  [
    /\b(?:des que possible|au plus vite|le plus tot possible|le plus rapidement possible|asap|rapidement|immediatement|sans delai|urgent|urgence|au plus tot)\b/,
    REASONS.asap,
  ],
  [
    /\b(?:selon|sous reserve|en fonction d|si (?:financement|obtention|accord|validation)|conditionne|sous conditions?|subordonne|sous couvert)/,
    REASONS.conditional,
  ],
  [
    /\bprochain(?:e|s|es)?\s+(?!semaine|mois|an\b|annee|trimestre|semestre|ete|hiver|printemps|automne|rentree|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)[a-z]|\bmi-?\s?parcours\b|\b(?:apres|suivant|qui suivent|a compter d\w*|suite a|suite au|lors d\w*|a l'issue d\w*|a reception d\w*|une fois|au moment d\w*|en attente d\w*|des (?:la|le|l'|reception|validation|signature|obtention)|a la suite d\w*|a la|au|a l')\s[^.;\n]{0,60}?\b(?:validation|valide|signature|signe|adoption|adopte|accord|recrutement|recrute|arrivee|publication|vote|deliberation|notification|reception|obtention|installation|ouverture|avis|retour|decision|election|appel a projets|nomination|creation|mise en place|livraison|evaluation|diagnostic|copil|cotech|pleniere|reunion|comite|cts|ars|assemblee|seance|instance|financement|subvention)\b/,
    REASONS.event,
  ],
  [
    /\b(?:a definir|a determiner|a preciser|a confirmer|a fixer|a caler|a programmer|a planifier|tbd|nc|n\/c|nd|non definie?|non determinee?|non precisee?|inconnue?|en attente|pas de date|sans date|date a venir)\b/,
    REASONS.toBeDefined,
  ],
];

/** The reason a (normalised) text names no date, or null when none of the patterns applies. */
export function undatedReason(normalized: string): string | null {
  const text = normalized.slice(0, 600);
  for (const [re, reason] of RULES) if (re.test(text)) return reason;
  return null;
}
