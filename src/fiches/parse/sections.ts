import { foldForMatch } from '../../text/fold.js';

/**
 * The vocabulary of fiche action sections, as French départements actually
 * title them ("Pilote(s)", "Porteur de l'action", "3. Partenaires associés :",
 * "Indicateurs de processus / de résultat"…), mapped to `Fiche` fields.
 * Matching ignores case, accents, "(s)", numbering, trailing ":" and plurals.
 */
export type SectionField =
  | 'title' | 'number' | 'axis' | 'context' | 'objectives' | 'steps' | 'targetPublic'
  | 'pilots' | 'partners' | 'milestones' | 'indicators' | 'funding' | 'status';

export interface SectionMatch {
  field: SectionField;
  /** objectives: general / operational / unsplit; indicators: processus / resultat / autre. */
  variant?: 'general' | 'operational' | 'any' | 'processus' | 'resultat' | 'autre';
  /** "Étapes et calendrier": the lines are steps as well as milestones. */
  alsoSteps?: boolean;
  /** Only a sub-label inside a section of the same field ("Processus :" under "Indicateurs"). */
  weak?: boolean;
}

/**
 * Folds a label for matching: "3. Pilote(s) de l'action :" → "pilote de l'action".
 * Words are singularised so "Indicateurs d'évaluation" and "Indicateur d'évaluation" meet.
 */
export function normalizeLabel(raw: string): string {
  let s = foldForMatch(raw)
    .replace(/\*\*|__/g, '')
    .replace(/\((?:e?s|x|nes|trices?)\)/g, '') // "pilote(s)", "partenaire(s)", "référent(e)(s)"
    .replace(/\(e\)/g, '')
    .trim();
  // Leading numbering: "3.", "3)", "3.1", "III.", "A.", "a)", "1 -", "n° 3"
  s = s.replace(/^(?:(?:\d+(?:\.\d+)*|[ivx]{1,5})\s*[.)\-–—:]\s*|[a-h][.)]\s+|\d+(?:\.\d+)+\s+|\d+\s+(?=\D))/u, '');
  s = s.replace(/[\s:.\-–—]+$/u, '').replace(/^[\s\-–—•*]+/u, '');
  s = s.replace(/\s*\/\s*/g, ' / ').replace(/\s+/g, ' ');
  return s.split(' ').map(singular).join(' ');
}

function singular(w: string): string {
  if (w.length > 3 && /[^s]s$/.test(w)) return w.slice(0, -1);
  if (w.length > 4 && /aux$/.test(w)) return w.slice(0, -3) + 'al'; // "moyens humains et financiers" stays, "locaux" → "local"
  return w;
}

/** Exact labels (already normalised by `normalizeLabel`). */
const EXACT: ReadonlyArray<[string[], SectionMatch]> = [
  [['intitule', "intitule de l'action", "intitule de la fiche", 'titre', "titre de l'action", "nom de l'action", 'action', 'fiche action', "libelle de l'action", 'libelle'], { field: 'title' }],
  [['numero', "numero de fiche", "numero de l'action", 'n°', 'no', 'numero de la fiche'], { field: 'number' }],
  [['axe', 'axe strategique', 'axe du ptsm', 'priorite', 'priorite du ptsm', 'priorite nationale', 'axe de travail', 'thematique', 'axe / priorite', 'priorite / axe', 'orientation strategique'], { field: 'axis' }],
  [['statut', "etat d'avancement", 'etat', 'avancement', "statut de l'action", "statut de la fiche", "niveau d'avancement"], { field: 'status' }],
  [['constat', 'contexte', 'element de diagnostic', 'elements du diagnostic', 'element du diagnostic', 'problematique', 'justification', 'contexte et constat', 'constat et contexte', 'contexte / constat', 'constat / contexte', 'diagnostic', 'constat partage', 'enjeu', 'contexte et enjeu', "justification de l'action", 'rappel du diagnostic', 'besoin identifie', 'constat / besoin identifie'], { field: 'context' }],
  [['objectif general', 'objectif generaux', 'finalite', 'objectif strategique', 'but'], { field: 'objectives', variant: 'general' }],
  [['objectif operationnel', 'objectif specifique', 'objectif operationnel / specifique'], { field: 'objectives', variant: 'operational' }],
  [['objectif', "objectif de l'action", 'objectif general et operationnel', 'objectif general et specifique', 'objectif vise'], { field: 'objectives', variant: 'any' }],
  [['etape', 'etape de mise en oeuvre', 'modalite de mise en oeuvre', 'modalite', 'action a mener', 'actions a mener', "description de l'action", 'description', 'deroulement', "deroulement de l'action", 'mise en oeuvre', 'contenu', "contenu de l'action", 'plan d\'action', 'methode', 'methodologie', 'modalite operationnelle', 'action prevue', 'actions prevue', 'sous-action', 'etapes cle'], { field: 'steps' }],
  [['public cible', 'public vise', 'public', 'beneficiaire', 'population cible', 'population visee', 'public concerne', 'personne concernee', 'public beneficiaire', 'public et territoire', 'public cible et territoire'], { field: 'targetPublic' }],
  [['pilote', 'pilotes', 'co-pilote', 'copilote', 'co-pilotes', 'pilotage', 'porteur', "porteur de l'action", "porteur du projet", 'porteur de projet', 'porteur / pilote', 'pilote / porteur', "pilote de l'action", 'responsable', "responsable de l'action", 'referent', "referent de l'action", 'coordination', 'coordonnateur', 'coordinateur', 'pilote et co-pilote', 'pilote / co-pilote', 'co-pilotage', 'copilotage', 'structure pilote', 'structure porteuse', 'porteur et partenaire'], { field: 'pilots' }],
  [['partenaire', 'partenaires', 'acteur concerne', 'acteurs concerne', 'partenaire associe', 'partenaire mobilise', 'partenaire associe / mobilise', 'partenaire associe / partenaire mobilise', 'partenaire a mobiliser', 'partenaire associes', 'acteur', 'acteur associe', 'acteur mobilise', 'acteur a mobiliser', 'partenaire et acteur', 'partenaire et acteur concerne', 'partenariat', 'partenaire potentiel', 'partenaire identifie', 'contributeur'], { field: 'partners' }],
  [['calendrier', 'echeancier', 'calendrier previsionnel', 'planning', 'echeance', 'echeances', 'calendrier de mise en oeuvre', 'duree', 'calendrier / echeance', 'echeance / calendrier', 'date de mise en oeuvre', 'periode de realisation', 'temporalite', 'jalon', 'echeancier previsionnel', 'delai', 'delai de mise en oeuvre', 'date de realisation', 'planning previsionnel', 'calendrier de realisation'], { field: 'milestones' }],
  [['etape et calendrier', 'calendrier et etape', 'etape / calendrier', 'calendrier / etape', 'etape et echeance', 'etape / echeance', 'etape et echeancier', 'modalite et calendrier', 'mise en oeuvre et calendrier', 'action et calendrier', 'etape cle et calendrier', 'deroulement et calendrier'], { field: 'milestones', alsoSteps: true }],
  [['indicateur', "indicateur d'evaluation", 'indicateur de suivi', 'indicateur de suivi et d\'evaluation', "critere d'evaluation", 'evaluation', 'indicateur de suivi / evaluation', 'indicateur et cible', 'modalite d\'evaluation', 'indicateur de realisation', 'suivi et evaluation', 'critere de reussite', 'indicateur de suivi et de resultat', 'indicateur de processus et de resultat', 'indicateur de processus / de resultat', 'indicateur de processus / resultat', 'indicateur de processus et resultat', 'indicateur de moyen', "modalite de suivi et d'evaluation"], { field: 'indicators', variant: 'autre' }],
  [['indicateur de processus', 'indicateur processus', 'indicateur de process', 'indicateur de mise en oeuvre'], { field: 'indicators', variant: 'processus' }],
  [['indicateur de resultat', 'indicateur resultat', "indicateur d'impact", 'indicateur de resultat attendu'], { field: 'indicators', variant: 'resultat' }],
  [['processus', 'process', 'de processus'], { field: 'indicators', variant: 'processus', weak: true }],
  [['resultat', 'de resultat', 'impact'], { field: 'indicators', variant: 'resultat', weak: true }],
  [['moyen', 'moyens', 'financement', 'budget', 'ressource', 'moyen humain et financier', 'moyen humains et financier', 'moyen necessaire', 'moyen mobilise', 'cout', 'cout estime', 'financement envisage', 'financement et moyen', 'moyen et financement', 'budget previsionnel', 'budget et financement', 'ressource necessaire', 'moyen / financement', 'source de financement', 'financeur', 'moyen financier', 'moyen humain', 'ressource mobilisee', 'moyen a mobiliser', 'cout et financement', 'budget / financement'], { field: 'funding' }],
];

const TABLE = new Map<string, SectionMatch>();
for (const [labels, match] of EXACT) for (const l of labels) TABLE.set(normalizeLabel(l), match);

/**
 * The field a section label stands for, or null for labels the parser keeps
 * as they are in `extra` ("Points de vigilance", "Lien avec le PRS"…).
 */
export function matchSection(raw: string): SectionMatch | null {
  // "Pilote : Mme X" is a label with its value, not a label: callers split at the colon first.
  if (/:\s*\S/.test(raw)) return null;
  const label = normalizeLabel(raw);
  if (!label || label.length > 80 || label.split(' ').length > 9) return null;
  const exact = TABLE.get(label);
  if (exact) return exact;
  return matchByPattern(label);
}

/** Less common wordings, recognised by their head words. */
function matchByPattern(l: string): SectionMatch | null {
  if (/^indicateur/.test(l) || /^critere(s)? d'evaluation/.test(l)) {
    const processus = /process/.test(l);
    const resultat = /resultat|impact/.test(l);
    return { field: 'indicators', variant: processus && !resultat ? 'processus' : resultat && !processus ? 'resultat' : 'autre' };
  }
  if (/^objectif/.test(l)) {
    const general = /genera|strategi/.test(l);
    const operational = /operationnel|specifique/.test(l);
    return { field: 'objectives', variant: general && !operational ? 'general' : operational && !general ? 'operational' : 'any' };
  }
  if (/^(co-?)?pilot|^porteur|^(structure )?(pilote|porteuse)|^referent|^responsable (de l'action|du projet|de la fiche|operationnel)/.test(l)) return { field: 'pilots' };
  if (/^partenai|^acteur(s)? (concerne|associe|mobilise|implique|a mobiliser)/.test(l)) return { field: 'partners' };
  if (/^(public|population|beneficiaire)/.test(l)) return { field: 'targetPublic' };
  if (/^(etape|action|modalite|mise en oeuvre|deroulement).*\b(calendrier|echeanc)/.test(l) || /^calendrier.*\betape/.test(l)) return { field: 'milestones', alsoSteps: true };
  if (/^(calendrier|echeanc|planning|jalon)/.test(l)) return { field: 'milestones' };
  if (/^(moyen|financement|budget|ressource|cout)/.test(l)) return { field: 'funding' };
  if (/^(constat|contexte|element(s)? d[eu] diagnostic|problematique|justification)/.test(l)) return { field: 'context' };
  if (/^(etape|modalite(s)? de mise en oeuvre|action(s)? a (mener|conduire|mettre en oeuvre)|description de l'action|deroulement)/.test(l)) return { field: 'steps' };
  if (/^(axe|priorite)( strategique| du ptsm| de travail)?$/.test(l)) return { field: 'axis' };
  if (/^(statut|etat d'avancement)/.test(l)) return { field: 'status' };
  return null;
}

/** "Fiche action n° 4", "FICHE ACTION N°4", "FA 7", "Fiche 1.2", "Fiche-action 12" at the start of a text. */
export const FICHE_HEADING_RE = /^\s*(?:fiche[\s-]*action|fiche|fa)\s*(?:n\s*[°ºo]\.?|no\.?|num(?:e|é)ro|#)?\s*(\d{1,3}(?:[.-]\d{1,2})?)(?![\d%])/iu;

/** What a fiche heading says: the number as written and the title after it. */
export function parseFicheHeading(text: string): { numberText: string; title: string } | null {
  const m = FICHE_HEADING_RE.exec(text);
  if (!m) return null;
  const rest = text.slice(m[0].length).replace(/^\s*(?:[:.\-–—|]\s*)+/u, '').trim();
  return { numberText: m[1]!.replace('-', '.'), title: rest };
}
