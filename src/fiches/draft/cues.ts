/**
 * How people write in PTSM working-group threads, as data plus small matchers.
 *
 * Every pattern here runs on text folded by `foldSameLength` (lowercase, no
 * accents, straight apostrophes, same length as the original), so patterns are
 * written without accents and indices still cut the original text.
 */
import type { FicheField } from '../../core/fiche.js';
import { CUES } from './cues/engine.js';

// ---------------------------------------------------------------------------
// Stance: proposal, decision, agreement, rejection, override, addition.

/** "on pourrait", "je propose", "pourquoi pas": an idea on the table, not settled. */
export const PROPOSAL_CUES = [
  "on pourrait", "je propose", "je vous propose", "proposition", "pourquoi pas", "on peut imaginer",
  "il faudrait", "ca pourrait", "peut-etre", "peut etre", "eventuellement", "je suggere", "suggestion",
  "et si on", "je verrais bien", "ce serait bien", "ce serait top", "on devrait", "a discuter",
  "qu'en pensez-vous", "qu'en dites-vous", "des avis", "proposes", "proposee", "propose :", "piste",
];
const PROPOSAL_RE = new RegExp(`(?:^|[^a-z])(?:${PROPOSAL_CUES.map(esc).join('|')})(?![a-z])`);

/** "on part sur", "c'est validé", "décision :": the group settled it. */
export const DECISION_CUES = [
  "on part sur", "on part la-dessus", "c'est valide", "valide", "validee", "validees", "valides", "decision", "decide",
  "ok pour", "d'accord pour", "on retient", "retenu", "retenue", "valide en copil", "c'est acte", "on acte", "acte :",
  "on garde", "go pour", "adopte", "arbitre", "on valide", "je valide", "je confirme", "c'est bon pour",
  "ca marche pour", "va pour", "on fait comme ca", "finalement", "au final", "c'est decide", "vendu", "tranche",
];
const DECISION_RE = new RegExp(`(?:^|[^a-z])(${DECISION_CUES.map(esc).join('|')})(?![a-z])`, 'g');

/** Words that turn a decision cue into its opposite ("pas d'accord pour"). */
const NEGATION_BEFORE = /(?:\bpas|\bne|\bn'|\bnon|\bjamais)\s*(?:\S+\s+)?$/;

/** "finalement", "plutôt", "non pas …": a later word replaces an earlier one. */
export const OVERRIDE_CUES = [
  "finalement", "au final", "en fait", "plutot", "a la place", "au lieu de", "changement", "correction",
  "rectification", "erratum", "je corrige", "on oublie", "non pas", "en definitive", "remplace", "dans ce cas",
  "reprend le pilotage", "reprendra le pilotage", "prend le relais", "succede",
];
const OVERRIDE_RE = new RegExp(`(?:^|[^a-z])(?:${OVERRIDE_CUES.map(esc).join('|')})(?![a-z])|^non\\b`);

/** "aussi", "en plus", "co-pilote": added to what is there, replaces nothing. */
const ADDITIVE_RE = /(?:^|[^a-z])(?:aussi|egalement|en plus|ajout\w*|rajout\w*|co-?pilot\w*|co-?port\w*|en binome|copilot\w*)(?![a-z])/;

// Rejections (« c'est trop », « pas réaliste », « on oublie »…) are a table in cues/tables.ts.

/** A message that opens with agreement confirms the proposals made before it. */
const AGREEMENT_START_RE = new RegExp(
  '^(?:' + [
    "ok", "okay", "oki", "d'accord", "daccord", "d'ac", "dac", "valide", "validee", "parfait", "top", "super", "ca me va",
    "ca marche", "ca roule", "\\+1", "oui", "yes", "go", "vendu", "entendu", "tres bien", "bien sur", "evidemment",
    "je valide", "je confirme", "bonne idee", "tout a fait", "carrement", "pour moi aussi", "moi aussi", "idem",
    "pareil pour moi", "pour moi c'est ok", "pour moi ok", "ajoute", "ajoutes", "ajoutee", "ajoutees", "excellent", "nickel",
    "impeccable", "banco", "adjuge", "ca me parait bien", "ca me semble bien", "c'est valide", "c'est acte",
    "c'est bon", "je suis pour", "je suis d'accord", "valide pour moi", "accord",
  ].join('|') + ')(?![a-z])',
);

/** "C'est validé pour moi, je mets en forme.": validates the whole thread so far. */
const PURE_VALIDATION_RE = /^(?:(?:ok|parfait|super|top|bon)\W+)?(?:c'est |tout est |)(?:valide|validee|acte|ok|bon|d'accord)(?:\s+(?:pour moi|pour nous|pour tout le monde|par (?:le |la |l')?[a-z' ]{2,30}|en copil|par tous|aussi))?\W*(?:(?:je|on|merci)\b.{0,60})?$/;

export interface Stance {
  decision: boolean;
  proposal: boolean;
  question: boolean;
  rejection: boolean;
  override: boolean;
  additive: boolean;
}

/** Stance of one sentence (folded). A question is a proposal, whatever its words. */
export function stanceOf(norm: string): Stance {
  const question = /\?\s*["»)]*\s*$/.test(norm) || /\?\s+(?:si |ou |non\b)/.test(norm);
  let decision = false;
  for (const m of norm.matchAll(DECISION_RE)) {
    const at = (m.index ?? 0) + m[0].indexOf(m[1]!);
    if (!NEGATION_BEFORE.test(norm.slice(Math.max(0, at - 14), at))) {
      decision = true;
      break;
    }
  }
  const rejection = CUES.rejections.test(norm);
  return {
    decision: decision && !question && !rejection,
    proposal: PROPOSAL_RE.test(norm) || question,
    question,
    rejection,
    override: OVERRIDE_RE.test(norm),
    additive: ADDITIVE_RE.test(norm),
  };
}

export function startsWithAgreement(norm: string): boolean {
  const t = norm.replace(/^[\s\p{Extended_Pictographic}\u{FE0F}\u{200D}*_>:-]+/u, '');
  if (!AGREEMENT_START_RE.test(t)) return false;
  return !/^(?:ok|oui|d'accord)\W+mais (?:non|pas)\b/.test(t);
}

export function isPureValidation(norm: string): boolean {
  return PURE_VALIDATION_RE.test(norm.trim().replace(/[.!]+$/, ''));
}

// ---------------------------------------------------------------------------
// Digressions: sentences and messages that carry nothing for the fiche.

/** Sentence-level noise: logistics, social chatter. */
const NOISE_RE = /(?:^|[^a-z])(?:parking|wifi|wi-fi|pot de depart|pot\b|cafe|croissants|dejeuner|repas|apero|festivites|anniversaire|conges|bon week-end|bonne journee|bonne soiree|bonne fin de journee|en mp|en message prive|doodle|lien (?:visio|zoom|teams)|conseil de classe|je dois filer|je te reponds a part|je t'envoie|je te l'envoie|desolee? pour le retard|mot de passe|imprimante|badge|tensiometres|covoiturage|train|bouchons)(?![a-z])/;
/** Message openings that announce a digression. */
const DIGRESSION_START_RE = /^(?:[^a-z]*)(?:hors[- ]sujet|petit hors[- ]sujet|hs\b|petite parenthese|parenthese|au fait|pour info|ps\b|p\.s\.|rien a voir|autre sujet|question bete|desole(?:e)? (?:du|pour le) retard)/;
const DIGRESSION_ANYWHERE_RE = /(?:^|[^a-z])(?:hors[- ]sujet|petite parenthese|rien a voir)(?![a-z])/;

export function isNoise(norm: string): boolean {
  return NOISE_RE.test(norm);
}

export function isDigressionMessage(norm: string): boolean {
  return DIGRESSION_START_RE.test(norm) || DIGRESSION_ANYWHERE_RE.test(norm);
}

/** "Et …", "Aussi …", "Oui : …": the message goes on with the previous one's topic. */
export function continuesPrevious(norm: string): boolean {
  return /^(?:[^a-z]*)(?:(?:et|aussi|plutot|d'ailleurs|sans oublier|plus|ajoute[rz]?|idem|pareil|de meme|egalement|ou)\b|(?:oui|non)\s*:)/.test(norm);
}

// ---------------------------------------------------------------------------
// Section headers: "Partenaires : …", "Pour le calendrier : …", "Étapes, je propose :".

interface HeaderDef {
  field: FicheField;
  re: string;
  sub?: 'general' | 'operational';
}

const HEADER_DEFS: HeaderDef[] = [
  { field: 'title', re: "titre|intitule|nom de la fiche|nom de l'action" },
  { field: 'axis', re: 'axe|axes|priorite|priorites' },
  { field: 'context', re: 'contexte|constat|constats|diagnostic|problematique|enjeux?|etat des lieux' },
  { field: 'objectives', re: 'objectifs? generaux|objectif general|objectifs? principal', sub: 'general' },
  { field: 'objectives', re: 'objectifs? operationnels?|objectifs? specifiques?|en operationnel', sub: 'operational' },
  { field: 'objectives', re: 'objectifs?|buts?|finalites?' },
  { field: 'steps', re: "etapes|deroule|modalites|actions|plan d'action|mise en (?:oe|œ)uvre|methode|phases" },
  { field: 'targetPublic', re: 'publics? cibles?|publics? vises?|publics?|cibles?|beneficiaires|population cible' },
  { field: 'pilots', re: 'pilotes?|pilotage|co-?pilotage|co-?pilotes?|copilotes?|porteurs?|portage|responsables?|referente?s?' },
  { field: 'partners', re: 'partenaires?|partenariats?|acteurs(?: concernes| associes)?' },
  { field: 'milestones', re: 'calendrier|echeances?|echeancier|jalons|dates|planning|retroplanning|delais' },
  { field: 'indicators', re: "indicateurs?|evaluation|criteres d'evaluation|suivi" },
  { field: 'funding', re: 'budget|financements?|moyens|couts?|cout|ressources|enveloppe' },
];

const HEADER_RES = HEADER_DEFS.map((d) => ({
  ...d,
  // optional short lead ("Pour le", "Côté", "Noté,", "Et"), the keyword, up to 3 filler words, then ":".
  rx: new RegExp(
    `^(?:[-*•–]\\s*)?(?:(?:et|donc|alors|ok|bon|bien vu|note|parfait|oui|sinon|enfin|pour|cote|concernant|niveau|en|sur|les|le|la|l'|nos|vos|mes|des|du)\\W+){0,3}(${d.re})(?![a-z])((?:[^:.!?\\n]{0,30}?))\\s*:\\s*`,
  ),
}));

export interface Header {
  field: FicheField;
  sub: 'general' | 'operational' | null;
  /** Where the content after ":" starts. */
  bodyStart: number;
}

/** A field header at the start of a line or sentence. */
export function headerOf(norm: string): Header | null {
  for (const h of HEADER_RES) {
    const m = h.rx.exec(norm);
    if (!m) continue;
    const filler = m[2] ?? '';
    // "Objectifs : …" yes; "Les objectifs de la réunion de mardi, je crois :" no (filler too long / wordy)
    if (filler.split(/\s+/).filter(Boolean).length > 3) continue;
    let sub = h.sub ?? null;
    if (!sub && h.field === 'objectives') {
      if (/general|generaux/.test(filler)) sub = 'general';
      else if (/operationnel|specifique/.test(filler)) sub = 'operational';
    }
    return { field: h.field, sub, bodyStart: m[0].length };
  }
  return null;
}

/** "Étapes, je propose :" / "Voici ce que je propose pour les étapes :": a line announcing a list. */
export function listIntroOf(norm: string): Header | null {
  if (!/:\s*$/.test(norm)) return null;
  const order: Array<[FicheField, RegExp]> = [
    ['steps', /\betapes?\b|\bderoule\b|\bactions\b|\bmodalites\b/],
    ['indicators', /\bindicateurs?\b/],
    ['partners', /\bpartenaires?\b/],
    ['objectives', /\bobjectifs?\b/],
    ['targetPublic', /\bpublics?\b/],
    ['milestones', /\bcalendrier\b|\becheances?\b|\bjalons\b/],
    ['funding', /\bbudget\b|\bfinancements?\b/],
    ['pilots', /\bpilot(?:es?|age)\b/],
  ];
  for (const [field, re] of order) if (re.test(norm)) return { field, sub: null, bodyStart: norm.length };
  return null;
}

// ---------------------------------------------------------------------------
// Title and axis.

/** "titre :", "fiche sur …", "on l'appelle …", "la fiche « … »". */
export const TITLE_CUE_RE = /\b(?:titre|intitule|on l'appelle(?:rait)?|on pourrait l'appeler|je l'appellerais|nom de la fiche)\b\s*:?\s*/;
export const FICHE_NAME_RE = /\bfiche(?:s)?(?:[- ]action)?\s*(?:n\s*°?\s*(\d+)\s*)?/g;

/** "axe 2", "axe 3 – accès aux soins", "priorité 1", "axe repérage précoce". */
export const AXIS_RE = /\b(?:axe|priorite)\s*(?:n\s*°\s*)?(?:\d+|[ivx]+)\b(?:\s*(?:du (?:decret|ptsm|prs)|nationale))?(?:\s*(?:[:(–—«-]|,)\s*[^.;!?)»\n]{2,80}[)»]?)?/;
export const AXIS_NAMED_RE = /\baxe\s+(?:de\s+|du\s+|d')?(?:reperage|parcours|acces|prevention|droits|determinants|soins|crise|inclusion|rehabilitation|retablissement|lutte|promotion|coordination)[^.;!?)\n,]{0,60}/;

// ---------------------------------------------------------------------------
// Objectives.

export const OBJECTIVE_CUES = [
  "l'objectif", 'objectif', 'objectifs', 'on vise', "il s'agit de", "il s'agit d'", 'permettre de', "permettre d'",
  'permettra de', 'le but', "l'idee c'est de", "l'idee est de", 'viser a', 'ambition', 'en operationnel', 'finalite',
  "l'enjeu c'est de", "l'enjeu est de",
];
export const OBJECTIVE_CUE_RE = /(?:^|[^a-z])(?:objectifs?|on vise|il s'agit d[e']|permettr(?:e|a|ait) d[e']|le but|l'idee (?:c'est|est) d[e']|viser a|ambition|en operationnel|finalite|l'enjeu (?:c'est|est) d[e'])(?![a-z])/;

/** Infinitives that open an objective or a step ("Améliorer …", "réduire …"). */
export const ACTION_VERBS = [
  'ameliorer', 'reduire', 'favoriser', 'developper', 'renforcer', 'faciliter', 'prevenir', 'limiter', 'diminuer',
  'augmenter', 'structurer', 'former', 'sensibiliser', 'reperer', 'orienter', 'accompagner', 'soutenir', 'permettre',
  'garantir', 'assurer', 'eviter', 'lutter', 'promouvoir', 'creer', 'mettre', 'proposer', 'coordonner', 'fluidifier',
  'informer', 'outiller', 'rompre', 'maintenir', 'identifier', 'destigmatiser', 'valoriser', 'recruter', 'organiser',
  'offrir', 'rendre', 'mobiliser', 'construire', 'deployer', 'experimenter', 'securiser', 'raccourcir', 'anticiper',
  'etendre', 'apporter', 'trouver', 'ouvrir', 'generaliser', 'harmoniser', 'articuler', 'diversifier', 'elargir',
  'consolider', 'perenniser', 'encourager', 'soulager', 'preserver', 'agir', 'aider', 'associer', 'impliquer',
  'installer', 'repondre', 'diffuser', 'integrer', 'adapter', 'accroitre', 'depister', 'partager', 'constituer',
  'signer', 'formaliser', 'etudier', 'lancer', 'realiser', 'elaborer', 'rediger', 'definir', 'cartographier',
  'recenser', 'evaluer', 'animer', 'financer', 'embaucher', 'faire', 'inclure', 'proposer', 'installer', 'ecrire',
];
const VERB_ALT = ACTION_VERBS.join('|');
export const STARTS_WITH_VERB_RE = new RegExp(`^(?:(?:de|d'|a|et|puis|ensuite)\\s*)?(?:${VERB_ALT})(?![a-z])`);
/** Cut points inside a list of objectives/steps: ", et former", "; réduire", " et de proposer". */
export const VERB_SPLIT_RE = new RegExp(`(?:\\s*;\\s*|,\\s*(?:et\\s+|puis\\s+)?(?:d[e']\\s*)?|\\s+et\\s+(?:d[e']\\s*)?)(?=(?:${VERB_ALT})(?![a-z]))`, 'g');

// ---------------------------------------------------------------------------
// Steps.

/** Words that order steps: "d'abord … ensuite … puis … enfin". */
export const SEQUENCE_RE = /(?:^|[^a-z])(d'abord|tout d'abord|en premier|premierement|dans un premier temps|en premiere etape|premiere etape\s*:|deuxieme etape\s*:|ensuite|puis|enfin|dans un second temps|dans un deuxieme temps|pour finir|deuxiemement|troisiemement|en dernier)(?![a-z])/g;
export const STEP_CUE_RE = /(?:^|[^a-z])(?:etapes?|deroule|phase \d|dans un (?:premier|second|deuxieme) temps)(?![a-z])/;
/** An action proposed in passing: "je propose un infirmier de liaison", "on mettra en place …". */
export const ACTION_PROPOSAL_RE = /(?:^|[^a-z])(?:je propose (?:la creation d[e']|de creer|de mettre en place|la mise en place d[e']|un |une )|on mettra en place|on va mettre en place|il faudra mettre en place|on met en place|il faudrait (?=(?:un|une|des) (?!(?:autre|peu|jour|moment|fiche|reunion|point|visio|recap|tour|doodle|sondage|mail|note|relance)\b))|on pourrait (?=(?:faire |monter |ouvrir |organiser )?(?:un|une|des) (?!(?:autre|peu|jour|moment|fiche|reunion|point|visio|recap|tour|doodle|sondage|mail|note|relance)\b))|on (?:pourrait|devrait) (?=(?:mettre en place|creer|organiser|former|ouvrir|lancer|monter|developper|deployer|proposer une?|recruter)\b)|^(?:et\s+)?(?=(?:former|creer|organiser|ouvrir|lancer|monter|deployer|recruter|mettre en place)\s))/;

// ---------------------------------------------------------------------------
// Pilots.

/** A sentence about who leads. "comité de pilotage", "site pilote", "porte d'entrée" are not. */
export const PILOT_CUE_RE = /(?:^|[^a-z])(?:co-?)?(?:pilot(?:e|es|er|era|erai|eront|age|ee|ees|erait|ent|ons|erons)|port(?:e|er|era|ee|erai|eur|euse|eurs|age|erait|ent|ons|erons|eront)|referente?s?|interlocut(?:eur|rice)|en binome|je m'en charge|coordonne(?:e)? par|sous la responsabilite)(?![a-z])/;
const PILOT_FALSE_RE = /comite de pilotage|comites de pilotage|(?:site|projet|phase|territoire|experimentation|action) pilote|porte d'entree|porte a porte|porte-parole|porter plainte|portes? ouvertes?|porte(?:r)? (?:sur|atteinte)/g;

export function hasPilotCue(norm: string): boolean {
  return PILOT_CUE_RE.test(norm.replace(PILOT_FALSE_RE, (m) => ' '.repeat(m.length)));
}

/** The author offers to lead: "je veux bien piloter", "je m'en charge", "moi comme référente". */
export const SELF_PILOT_RE = /\bje (?:veux bien |peux |vais |souhaite |voudrais bien |pourrais |pourrai |propose de |me propose (?:de |pour )|suis (?:partante? |volontaire )pour )?(?:co-?)?(?:piloter|porter|pilote|porte|coordonner)\b(?! (?:sur|plainte))|\bje m'en charge\b|\bje (?:serai|suis|serais) (?:le |la |l')?(?:co-?)?(?:pilote|referente?|interlocut\w+|porteu\w+|coordinat\w+)\b|\bmoi (?:comme|en) (?:co-?)?(?:pilote|referente?|porteu\w+|interlocut\w+)\b|\bdonc moi\b|\b(?:ok|d'accord|partante?) pour (?:co-?)?(?:piloter|porter)\b|\bje prends (?:le (?:co-?)?pilotage|la main)\b/;
/** The author steps back: "je ne pourrai finalement pas piloter", "je passe la main". */
export const SELF_WITHDRAW_RE = /\bje ne (?:pourrai|pourrais|peux|vais|veux|serai|souhaite)(?: finalement| plus| pas)* (?:co-?)?(?:piloter|porter|assurer le (?:co-?)?pilotage|etre (?:co-?)?(?:pilote|referente?))|\bje me retire\b|\bje laisse (?:le (?:co-?)?pilotage|la main|ma place)\b|\bje passe la main\b/;
/** After a pilot entity: the role it takes, so "CPTS Sud en copilote" stays one item. */
export const PILOT_ROLE_TAIL_RE = /^\s*(?:en |comme )(?:co-?)?(?:pilote|referente?|porteu\w+)\b/;
/** Where the pilot list ends and partners begin within one sentence. */
export const PARTNER_BOUNDARY_RE = /(?:^|[^a-z])(?:en lien avec|avec l'appui|en partenariat|partenaires?|avec le concours|en collaboration avec|associant)(?![a-z])/;

// ---------------------------------------------------------------------------
// Partners and organisations.

/** Cues after which a list of partners follows. */
export const PARTNER_LIST_RE = /(?:^|[^a-z])(?:partenaires?(?:\s+(?:alors|proposes|retenus|associes|en plus|concernes))?\s*:|(?:^|[,;:]\s*)partenaires(?=\s+[a-z]+(?:,| et ))|en lien avec|avec l'appui (?:de la|du|des|de l'|de)|en partenariat avec|avec le concours (?:de la|du|des|de l'|de)|en collaboration avec|en associant|on associe|il faut associer|associer)\s*/g;
/** Weaker cues: the organisations named in the sentence take part. */
export const PARTNER_WEAK_RE = /(?:^|[^a-z])(?:associe(?:s|es?)?|partenaires?|partenariat|impliqu\w+|mobilis\w+|sollicit\w+|dans la boucle|relai\w*|relay\w+|partante?s?|participer|intervenir|contribu\w+|co-?anim\w+|veut (?:bien )?etre|en appui|en soutien|est (?:d'accord|ok|favorable) pour|est partante?)(?![a-z])/;

/** Organisation names and acronyms as French territories write them. */
const ORG_ACRONYMS = [
  'CMP', 'CMPP', 'CATTP', 'CH', 'CHU', 'CHS', 'CHR', 'CHD', 'EPSM', 'EMPP', 'EMPPA', 'UNAFAM', 'FNAPSY', 'CPTS', 'MDPH',
  'CCAS', 'CIAS', 'PJJ', 'ASE', 'SPIP', 'USMP', 'UHSA', 'SMPR', 'CSAPA', 'CAARUD', 'CJC', 'SIAO', 'CHRS', 'ESAT',
  'SAMSAH', 'SAVS', 'SESSAD', 'IME', 'ITEP', 'DITEP', 'PASS', 'DAC', 'PTA', 'SAMU', 'SDIS', 'SMUR', 'CUMP', 'CLSM',
  'CLS', 'CPAM', 'CAF', 'MSA', 'CARSAT', 'ARS', 'PMI', 'CRA', 'C3R', 'CRP', 'ELSA', 'IFSI', 'SSU', 'SUMPPS', 'SSE',
  'CROUS', 'CIO', 'PAEJ', 'EHPAD', 'SSIAD', 'MAIA', 'GHT', 'CPT', 'GEM', 'MDA', 'UDAF', 'CD', 'CRIP', 'PCPE',
  'DDETS', 'DDCS', 'CDAD', 'ANPAA', 'AFPA', 'CIDFF', 'GCSMS', 'GCS', 'UMD', 'CMPEA', 'CADA', 'HUDA', 'CAO', 'PRAHDA',
  'OFII', 'CN2R', 'CRPTA', 'CRIAVS', 'EMPG', 'EMGP', 'SSR', 'USLD', 'CLIC', 'PCO', 'CAMSP', 'CRIP',
]; // not MSP: maison de santé or médiateur de santé pair, the thread cannot tell
const ORG_PHRASES = [
  'missions? locales?', 'education nationale', 'protection judiciaire de la jeunesse', "aide sociale a l'enfance",
  'conseil departemental', 'conseil regional', 'departement', 'mairies?', 'villes? de', 'communes? de', 'communaute de communes',
  'agglomeration', 'metropole', 'police(?: municipale| nationale)?', 'gendarmerie', 'pompiers', 'centre 15',
  'france travail', 'pole emploi', 'cap emploi', 'bailleurs? sociaux', 'bailleur social', 'office public de l\'habitat',
  'association des maires', 'associations? (?:d\'usagers|de familles|de patients|tutelaires?)', 'plateforme de repit',
  'plateforme territoriale d\'appui', 'maison des adolescents', 'maison des usagers', 'maisons? de sante(?: pluriprofessionnelles?)?',
  'maternites?', 'centres? hospitaliers?(?: universitaires?| specialises?)?', 'centre de rehabilitation(?: psychosociale)?',
  'hopital', 'clinique', 'universite', 'service de sante universitaire', 'sante universitaire', 'service de sante etudiante',
  'services? sociaux?', 'service social', 'medecins generalistes', 'medecins traitants', 'pharmaciens',
  'pharmacies? d\'officine', 'pharmacies', 'sages-femmes(?: liberales)?', 'infirmiers? liberaux', 'psychologues liberaux', 'croix-rouge',
  'secours populaire', 'secours catholique', 'restos du coeur', 'emmaus', 'fondation abbe pierre', "un chez-soi d'abord",
  'clubhouse', 'udaf', 'mandataires judiciaires', 'prefecture', 'tribunal', 'services? de psychiatrie', 'pedopsychiatrie',
  'psychiatrie adulte', 'urgences psychiatriques', 'centre de crise', 'centre medico-psychologique', 'dispositif d\'appui a la coordination',
  'maison departementale des personnes handicapees', 'groupe d\'entraide mutuelle', 'union nationale de familles',
  'centres? regiona(?:l|ux) d[ue] psychotraumatisme', 'centres? (?:regionaux|regional|ressources?|experts?) [a-z\'-]+(?: [a-z\'-]+)?',
  'filieres? (?:geriatriques?|psychiatriques?|de soins)', 'medecins coordonnateurs', 'reseau de sante', 'ecoles', 'colleges', 'lycees',
  'etablissements scolaires', 'employeurs', 'entreprises', 'communes', 'intercommunalites?', 'epci',
  'association', 'associations', 'centre social', 'centres sociaux', 'foyers? de jeunes travailleurs', 'residences? accueil',
  'pensions? de famille', 'habitat', 'services? de tutelle', 'medecine du travail', 'service de sante au travail', 'ehpad',
];
/** Qualifiers that stay part of a name: "CMP adultes", "CPTS Sud", "Mission locale du Pays de Rance". */
const ORG_QUALIFIERS = 'adultes?|enfants?|infanto-juvenile|ados?|adolescents|liberales?|sociaux|municipale|nationale|du territoire';
/** Cardinal points only count written as names: "CPTS Sud", not "la maternité est partante". */
const CARDINAL_RE = /^\s+(?:Sud|Nord|Est|Ouest|Centre)(?![\p{L}])/u;

const ORG_RE = new RegExp(
  `(?:^|[^a-z0-9])((?:${ORG_PHRASES.join('|')})|(?:${ORG_ACRONYMS.map((a) => a.toLowerCase()).join('|')}))(?![a-z0-9])`,
  'g',
);

export interface Found {
  text: string;
  start: number;
  end: number;
}

const SMALL_WORDS = new Set(['de', 'du', 'des', "d'", 'la', 'le', 'les', "l'", 'en', 'sur']);
const ACRONYM_SET = new Set(ORG_ACRONYMS);
/** Acronyms distinctive enough to be recognised when typed in lowercase. */
const LOWERCASE_OK = new Set(['unafam', 'epsm', 'ccas', 'cpts', 'mdph', 'empp', 'csapa', 'samsah', 'siao', 'spip', 'gem', 'mda', 'pmi', 'pjj', 'esat', 'cattp', 'cmpp', 'usmp', 'samu', 'sdis', 'clsm', 'udaf', 'fnapsy', 'ehpad']);

/**
 * Organisations named in a sentence, extended over their proper names:
 * "CH de Lanvallec", "GEM Le Phare", "ESAT Les Genêts", "CPTS Sud".
 */
export function findOrganisations(raw: string, norm: string): Found[] {
  const out: Found[] = [];
  for (const m of norm.matchAll(ORG_RE)) {
    const word = m[1]!;
    const start = (m.index ?? 0) + m[0].indexOf(word);
    let end = start + word.length;
    const rawWord = raw.slice(start, end);
    // Short acronyms must be written in capitals ("ch", "cd", "esp" are ordinary words or typos).
    if (ACRONYM_SET.has(word.toUpperCase()) && rawWord !== rawWord.toUpperCase() && !LOWERCASE_OK.has(word)) continue;
    if (word === 'association' || word === 'associations' || word === 'habitat' || word === 'departement' || word === 'hopital' || word === 'clinique') {
      // Only as part of a name: "association Les Ailes", "Habitat du Val", "département du Finistère".
      const ext = extendProperName(raw, norm, end);
      if (ext === end && word !== 'hopital') continue;
      end = ext;
    } else {
      end = extendProperName(raw, norm, end);
      const q = new RegExp(`^\\s+(?:${ORG_QUALIFIERS})(?![a-z])`).exec(norm.slice(end)) ?? CARDINAL_RE.exec(raw.slice(end));
      if (q) end += q[0].length;
    }
    out.push({ text: raw.slice(start, end).replace(/[\s,;:]+$/, ''), start, end });
  }
  return dedupeOverlaps(out);
}

/** Extends over " de Lanvallec", " Le Phare", " du Pays de Rance" (capitalised words, small links). */
function extendProperName(raw: string, norm: string, from: number): number {
  let end = from;
  let pos = from;
  const tokRe = /\s*([\p{L}][\p{L}'’-]*|\d{1,3})/uy;
  let pendingSmall = 0;
  for (let i = 0; i < 6; i++) {
    tokRe.lastIndex = pos;
    const t = tokRe.exec(raw);
    if (!t) break;
    const tok = t[1]!;
    const lower = norm.slice(t.index + t[0].length - tok.length, t.index + t[0].length);
    if (SMALL_WORDS.has(lower) || /^(?:d|l)['’]$/.test(tok) || /^[dl]['’]\p{Lu}/u.test(tok)) {
      if (/^[dl]['’]\p{Lu}/u.test(tok)) {
        pos = t.index + t[0].length;
        end = pos;
        pendingSmall = 0;
        continue;
      }
      pendingSmall++;
      pos = t.index + t[0].length;
      if (pendingSmall > 2) break;
      continue;
    }
    if (/^\p{Lu}/u.test(tok) && !ACRONYM_SET.has(tok) || /^\d{1,3}$/.test(tok) && pendingSmall === 0) {
      pos = t.index + t[0].length;
      end = pos;
      pendingSmall = 0;
      continue;
    }
    break;
  }
  return end;
}

function dedupeOverlaps(found: Found[]): Found[] {
  const sorted = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Found[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) continue;
    out.push(f);
  }
  return out;
}

/** An entity is negated: "pas la MDA", "sans le SIAO", "la MDA ils n'y vont pas". */
export function isNegatedAt(norm: string, start: number, end: number): boolean {
  const before = norm.slice(Math.max(0, start - 28), start);
  if (/\bpourquoi pas\s+(?:\S+\s+){0,2}$/.test(before)) return false;
  // "plus" alone is not a negation ("partenaires en plus : …"); "ne … plus" is caught after the name.
  if (/(?:\bpas|\bsans|\bni|\bretire[rz]?|\benleve[rz]?|\bsupprime[rz]?|\boublie[rz]?|\bplus (?:de|du|la|le|les|l'))\s+(?:\S+\s+){0,2}$/.test(before) && !/\ben plus\b/.test(before)) {
    return !/\b(?:pas|plus) (?:que|seulement|uniquement|encore)\s+(?:\S+\s+){0,1}$/.test(before);
  }
  const after = norm.slice(end, end + 40);
  return /^\s*(?:[a-z]+\s+)?(?:ne|n')\s*(?:\S+\s+){0,2}(?:pas|plus)\b|^\s*(?:se retire|ne suivra|n'est plus)/.test(after);
}

// ---------------------------------------------------------------------------
// Target publics.

/** Sentences that name who the action is for. */
export const PUBLIC_CUE_RE = /(?:^|[^a-z])(?:publics?|public cible|cibler|a destination d|aupres d|destinee?s? a(?:ux)?|s'adresse|beneficiaires|pour (?:les|toute?s?|tous|ces)|concerne|aux familles|en faveur d)(?![a-z])/;

const PUBLIC_HEADS = [
  'jeunes adultes', 'jeunes parents', 'jeunes meres', 'jeunes', 'adolescents?', 'ados', 'enfants', 'etudiants?', 'eleves',
  'proches aidants', 'aidants? familiaux', 'aidants', 'proches', 'familles', 'entourage', 'parents', 'peres', 'meres',
  'femmes enceintes', 'futurs parents', 'nourrissons', 'personnes agees', 'seniors',
  'personnes? (?:vivant|ayant|en situation|sans|sortant|suivies?|detenues?|placees?|isolees?|agees|handicapees|souffrant|atteintes?|presentant|hospitalisees?|en crise|exilees?|migrantes?|concernees?|accompagnees?|avec|qui)',
  'detenus', 'sortants de detention', 'patients? (?:suivis?|hospitalises?|en)', 'usagers', 'habitants', 'elus',
  'professionnels? (?:de premier recours|de sante|du social|de l\'education|de terrain|du soin)', 'medecins generalistes',
  'travailleurs sociaux', 'gardiens', 'demandeurs d\'emploi', 'salaries', 'agriculteurs', 'migrants', 'exiles',
  'mineurs non accompagnes', 'victimes', 'sans-abri', 'sans domicile', 'publics? precaires?', 'publics? vulnerables?',
  'population generale', 'suicidants', 'etudiants', 'collegiens', 'lyceens', 'enseignants',
  "agents d'accueil", 'agents (?:des collectivites|municipaux|territoriaux|de la ville)', 'secretaires de mairie',
  "demandeurs d'asile", 'refugies', 'residents? (?:d\'ehpad|en ehpad)', 'residents', 'personnes exilees', 'aines',
];
// Not inside a compound: "pairs-aidants" are peers, not carers.
const HEADS_ALT = PUBLIC_HEADS.join('|');
const PUBLIC_RE = new RegExp(`(?:^|[^a-z'-])((?:${PUBLIC_HEADS.join('|')}))(?![a-z-])`, 'g');
/** Where a public's noun phrase stops. */
const PUBLIC_STOP_RE = new RegExp(`\\set\\s+(?:${HEADS_ALT})(?![a-z])|` + /[,.;:!?()«»"\n]|\s(?:(?:et (?:les|leur|leurs|des|la|le|pour|aux|de)|mais|qui(?! sortent| vivent| ont)|car|donc|afin|lors|dans les|sur|ou|c'est|sont|ont|ne|peut|peuvent|puissent|puisse|on|il|ils|elle|elles|grace|via|en lien|avec l'appui|aussi|egalement|dans le public|par (?:an|mois|semaine|jour|nuit)|des (?:la|le|l'|leur|son|sa)|pour(?! les? \d))(?=[\s,.;:!?]|$)|n'|qu')/.source);

/** Publics named in a sentence with their qualifiers: "jeunes de 16 à 25 ans", "personnes vivant avec …". */
export function findPublics(raw: string, norm: string): Found[] {
  const out: Found[] = [];
  for (const m of norm.matchAll(PUBLIC_RE)) {
    const head = m[1]!;
    const start = (m.index ?? 0) + m[0].indexOf(head);
    const tail = norm.slice(start + head.length);
    const stop = PUBLIC_STOP_RE.exec(tail);
    let len = stop ? stop.index : tail.length;
    // at most ~10 words of qualifier
    const words = tail.slice(0, len).split(/\s+/);
    if (words.length > 11) len = words.slice(0, 11).join(' ').length;
    const end = start + head.length + len;
    out.push({ text: raw.slice(start, end).trim(), start, end });
  }
  return dedupeOverlaps(out);
}

// ---------------------------------------------------------------------------
// Indicators.

export const INDICATOR_CUE_RE = /(?:^|[^a-z])(?:indicateurs?|on mesurera|on suivra|mesurer|on comptera|evaluation|evalue(?:e|ra)? (?:par|sur|avec)|cible\s*:)(?![a-z])/;
/** Heads that open an indicator: "nombre de", "taux de", "part des", "% de", "délai moyen". */
export const INDICATOR_HEAD_RE = /(?:^|[^a-z])((?:le |la |les |l')?(?:nombre|nb|taux|proportion|pourcentage|delai|duree|satisfaction|file active|frequentation|evolution|score|niveau de satisfaction|part)\b(?:\s+(?:moyen|median|moyenne))?\s*(?:de |d'|des |du |entre |a |au )|(?:la |le )?(?:satisfaction|frequentation)\b|\d+\s*%\s+(?:de|des|d'))/g;
const PART_FALSE_RE = /(?:\ba|de la|d'une|d'autre|pour ma|pour sa|quelque|nulle) part$/;

export function findIndicatorHeads(norm: string): number[] {
  const out: number[] = [];
  for (const m of norm.matchAll(INDICATOR_HEAD_RE)) {
    const start = (m.index ?? 0) + m[0].indexOf(m[1]!);
    const head = m[1]!;
    if (/^(?:la |le |les |l')?part\b/.test(head) && PART_FALSE_RE.test(norm.slice(Math.max(0, start - 14), start + head.indexOf('part') + 4))) continue;
    out.push(start);
  }
  return out;
}

export const TARGET_RE = /\(?\s*(?:cible|objectif|target|vise(?:e)?)\s*:?\s*([^)]{1,40})\)?/;

// ---------------------------------------------------------------------------
// Funding.

export const FUNDING_CUE_RE = /(?:^|[^a-z])(?:budget|budgets|financement|financements|financee?s?|financer|fiop|credits?|etp|appel a projets|aap|subvention\w*|fir|cnr|fonds|enveloppe|cofinanc\w*|moyens constants|cout|montant|euros?)(?![a-z])|€/;
/** "45 000 €", "45k€", "60 k€", "1,5 M€", "30000 euros". */
export const AMOUNT_RE = /(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+(?:,\d+)?)\s*(k\s?€|k\s?euros?|keur|m\s?€|millions? d'euros|€|euros?|eur)(?![a-z])/gi;

// ---------------------------------------------------------------------------
// Context.

export const CONTEXT_STRONG_RE = /(?:^|[^a-z])(?:constat|constats|on observe|on constate|(?:le|du|au) diagnostic(?! et)|diagnostic (?:territorial|partage)|aujourd'hui|le probleme|le souci|la difficulte|on le voit|il manque|il n'y a (?:pas|aucun)|n'existe (?:que|pas)|les delais|delais|delai d'attente|faute d[e']|manque d[e']|hausse|baisse|signalent|remontent|pour rappel|sature(?:e|s)?|augmente\w*|en moyenne|de plus en plus|on note|on voit (?:beaucoup|de plus|souvent)|la moitie|plus de la moitie|rien ne|aucune? )(?![a-z])/;
export const CONTEXT_WEAK_RE = /(?:^|[^a-z])(?:souvent|regulierement|sans (?:savoir|cadre|solution|aucun\w*|suivi|information|lien)|ne savent pas|personne ne|depuis|par an|par mois|par nuit|par semaine|perdus de vue|epuise\w*|demunis|en difficulte|\d+\s*%)(?![a-z])/;

// ---------------------------------------------------------------------------
// Milestones.

/** A date only makes a milestone when something happens at it. */
export const MILESTONE_ACTION_RE = /(?:^|[^a-z])(?:lancement|lancer|lance|demarr\w*|ouvert\w*|ouvrir|ouverture|install\w*|recrut\w*|formation|former|formes?|bilan|evalu\w*|generalis\w*|etendre|extension|deploi\w*|deploy\w*|mise en place|mettre en place|signature|signer|deliberation|premier|premiere|redaction|rediger|pret|prete|operationnel\w*|fin de l'experimentation|livr\w*|restitution|session|consultation|calendrier|echeance|jalon|convention|pleniere|assemblee|debut|point d'etape|rapport|creation|creer|finalis\w*|depot|depose\w*|reponse)(?![a-z])/;

/** Verb → noun, to label a milestone from "on lance le groupe en mars". */
export const ACTION_NOUNS: Array<[RegExp, string]> = [
  [/^lanc\w*/, 'Lancement'], [/^demarr\w*/, 'Démarrage'], [/^ouvr\w*|^ouvert\w*/, 'Ouverture'],
  [/^install\w*/, 'Installation'], [/^recrut\w*/, 'Recrutement'], [/^form(?:er|e|es|ee|ees)$/, 'Formation'],
  [/^evalu\w*/, 'Évaluation'], [/^generalis\w*/, 'Généralisation'], [/^etendre|^etendu\w*/, 'Extension'],
  [/^deploy\w*/, 'Déploiement'], [/^sign\w*/, 'Signature'], [/^redig\w*/, 'Rédaction'], [/^organis\w*/, 'Organisation'],
  [/^cre(?:er|e|ee|es)$/, 'Création'], [/^finalis\w*/, 'Finalisation'], [/^constitu\w*/, 'Constitution'],
  [/^present\w*/, 'Présentation'], [/^valid\w*/, 'Validation'], [/^depos\w*/, 'Dépôt'],
];

// ---------------------------------------------------------------------------
// Title fallback: the themes PTSM fiches are about.

export const THEMES: Array<[RegExp, string]> = [
  [/pair[- ]?aidan\w*|mediateurs? de sante pairs?/, 'Pair-aidance'],
  [/prevention du suicide|suicid\w*|vigilans/, 'Prévention du suicide'],
  [/logement|hebergement|expulsion/, 'Logement et santé mentale'],
  [/perinat\w*|post-partum|femmes enceintes/, 'Santé mentale périnatale'],
  [/\baidants?\b|psychoeducation|profamille/, 'Soutien aux aidants'],
  [/soins somatiques|somatique/, 'Accès aux soins somatiques'],
  [/\bcrise\b|urgences? psychiatrique/, 'Prévention et gestion de la crise'],
  [/\bclsm\b|conseil local de sante mentale/, 'Conseil local de santé mentale'],
  [/emploi|insertion professionnelle|\bips\b/, 'Emploi et santé mentale'],
  [/detention|detenus|justice|\bspip\b/, 'Continuité des soins des personnes détenues'],
  [/\bjeunes\b|adolescen\w*|16-25/, 'Santé mentale des jeunes'],
  [/stigmatisation|\bpssm\b|premiers secours/, 'Lutte contre la stigmatisation'],
  [/rehabilitation|retablissement/, 'Réhabilitation psychosociale'],
];

// ---------------------------------------------------------------------------

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
