/**
 * How people talk in PTSM working groups, as tables a maintainer can read and
 * extend. Phrases are written folded: lowercase, no accents, straight
 * apostrophes (« l'idée, c'est de » is written "l'idee c'est de"; commas and
 * spaces are interchangeable). The engine (engine.ts) compiles each table once.
 *
 * To teach the drafter a new way of saying something, add a phrase to the
 * right table and an example thread to eval/threads-real/dev; never a regex
 * in an extractor.
 */
export const TABLES = {
  milestones: {
    /** Besides the action words of cues.ts: a target to reach by a date is a milestone too. */
    targets: ['on vise', 'objectif de', 'atteindre', 'formees', 'formes', 'recrutes', 'recrutees', 'en place', 'operationnelle', 'operationnel'],
  },

  dates: {
    /** Words the date grammar reads as a day, but that state the present, not a due date. */
    notADeadline: ["aujourd'hui", 'maintenant', 'actuellement', 'en ce moment', 'a ce jour', 'ce jour', 'hier', 'ce matin', 'ce soir'],
  },

  conversation: {
    /**
     * Replies that turn down what the previous message proposed, when they open
     * the message: « Non, le 3114 existe déjà », « Plutôt pas, … ».
     */
    rejectionReplies: [
      'non', 'plutot pas', 'pas vraiment', 'bof', 'pas sur', 'je ne pense pas', 'je ne crois pas', 'pas d\'accord',
      'je suis contre', 'surtout pas', 'ah non', 'euh non', 'non merci',
    ],
    /**
     * Phrases that reject what the sentence names, anywhere in it: « le samedi
     * c'est pas réaliste », « le bilan à l'hôpital on oublie ».
     */
    rejections: [
      'pas realiste', "c'est pas realiste", "n'est pas realiste", 'irrealiste', 'on oublie', 'on laisse tomber', 'on abandonne',
      "c'est non", 'je suis contre', 'plutot pas', 'trop cher', "c'est trop", 'pas faisable', 'infaisable', 'impossible a mesurer',
      'pas possible', 'ne pourra pas suivre', 'on ne pourra pas', "on n'a pas les moyens", 'pas les moyens', 'hors de portee',
      'pas le role', "n'est pas le role", 'ce serait un doublon', 'doublon', 'pas tres parlant', 'ne dit pas grand-chose',
      'ne dit pas grand chose', 'pas un bon indicateur', 'difficile a objectiver', 'difficile a mesurer', 'trop tot pour le mesurer',
      'trop peu nombreuses', 'trop peu nombreux', 'pas interpretable', "qu'on n'en parle pas", 'on ne va pas', 'pas pour cette fiche',
      'on ne garde pas', 'a ecarter', 'on ecarte', 'pas prioritaire', 'ne tiendra pas', 'ca ne tiendra', 'ne suivra pas', "pas d'accord",
      'impossible', 'je ne suis pas pour',
    ],
  },

  /**
   * Words too common to tell which proposal a rejection is about (« c'est pas
   * réaliste pour nous » says nothing of *what*): never used to link them.
   */
  notTopicWords: [
    'pour', 'nous', 'vous', 'avec', 'dans', 'tous', 'toutes', 'tout', 'cette', 'fiche', "c'est", 'cest', 'sans', 'plus', 'moins',
    'bien', 'fait', 'faire', 'deja', 'aussi', 'sont', 'sera', 'serait', 'peut', 'pourrait', 'avoir', 'etre', 'mais', 'donc',
    'nombre', 'taux', 'part', 'delai', 'personne', 'personnes', 'monde', 'annee', 'mois', 'jours', 'semaine', 'entre', 'deux',
    'trois', 'quatre', 'premier', 'premiere', 'alors', 'ensuite', 'comme', 'quand', 'leur', 'leurs', 'notre', 'votre', 'trop',
  ],

  objectives: {
    /** How an objective is said in conversation; the objective is what follows. */
    openers: [
      "l'idee est de", "l'idee c'est de", "l'idee serait de", "l'idee c'est que", "l'idee serait que", "l'idee est que",
      'le but est de', "le but c'est de", "le but c'est que", 'le but serait de', 'le but est que', 'notre but est de',
      "l'objectif est de", "l'objectif serait de", "l'objectif c'est de", "l'objectif c'est que", "l'objectif est que",
      "l'enjeu c'est de", "l'enjeu c'est que", "l'enjeu est de",
      "ce qu'on veut c'est que", "ce qu'on veut c'est", "ce qu'on veut c'est de", 'ce que nous voulons', 'on veut que', 'on veut',
      'on voudrait que', 'on voudrait', 'nous voulons', 'nous souhaitons', 'on souhaite', 'on cherche a', 'il s\'agit de',
      'on vise a', "l'ambition est de",
    ],
  },

  targetPublic: {
    /** Phrases that introduce a public in passing: « pour les locataires en fragilité ». */
    openers: ['sur les', 'pour les', 'pour des', 'pour ces', 'aupres des', 'a destination des', 'destine aux', 'destinee aux', 'en direction des', 'penser aux', 'pensez aux', 'aux'],
    /** Head nouns of a public: the phrase must start with one of them. */
    heads: [
      'personnes', 'patients', 'patientes', 'jeunes', 'familles', 'proches', 'aidants', 'locataires', 'habitants', 'residents',
      'usagers', 'femmes', 'meres', 'peres', 'parents', 'enfants', 'adolescents', 'eleves', 'etudiants', 'detenus', 'seniors',
      'victimes', 'migrants', 'exiles', 'sans-abri', 'salaries', 'demandeurs', 'beneficiaires', 'mineurs', 'majeurs',
    ],
  },

  partners: {
    /** « la CPTS Montreval-Sud est partante »: the subject before these words is a partner. */
    willing: [
      'est partante', 'est partant', 'sont partants', 'sont partantes', 'seront partants', 'seront partantes', 'on est partants',
      'est prete a', 'est pret a', 'sont prets a', 'peut relayer', 'peuvent relayer', 'pourra relayer', 'pourront relayer', 'peut preter',
      'est d\'accord pour', 'est volontaire', 'sont volontaires', 'suit le projet', 'participera', 'participeront',
    ],
  },

  steps: {
    /** A decision that names the action: « on part sur une cellule de veille », « on retient : … ». */
    decisionOpeners: [
      'on part sur', 'on part donc sur', 'on part plutot sur', 'on retient', 'on retient donc', 'ok pour', "d'accord pour", 'on valide',
      'on garde', 'va pour', 'on lance', 'on commence avec', 'on commence par', 'on se lance sur', 'on acte', 'decision :', 'valide :',
    ],
    /** A decision about these is about another field (who pilots, when, with what money), not an action. */
    otherFieldWords: [
      'pilote', 'pilotes', 'copilote', 'co-pilote', 'pilotage', 'copilotage', 'co-pilotage', 'porteur', 'porteuse', 'referent', 'referente',
      'indicateur', 'indicateurs', 'budget', 'financement', 'calendrier', 'date', 'dates',
    ],
  },

  funding: {
    /** « l'ARS finance l'extension »: the organisation before these words pays. */
    payers: [
      'finance', 'financera', 'financent', 'financeront', 'peut financer', 'pourra financer', 'peuvent financer', 'cofinance', 'cofinancera',
      'prend en charge', 'prendra en charge', 'prennent en charge', 'met a disposition', 'mettra a disposition',
    ],
  },

  /** « À l'UNAFAM on a… », « côté SDIS », « pour l'Éducation nationale »: someone speaks for an organisation taking part. */
  speakingFor: {
    /** Always someone speaking for the organisation that follows. */
    leads: ['cote', 'du cote de', 'chez', 'de la part de', 'de notre cote a', 'de notre cote au'],
    /** « au CMP », « pour l'ARS » may just be a place or a recipient: only when a speaker follows (« à l'UNAFAM on a… »). */
    placeLeads: ['pour', "pour l'", 'pour le', 'pour la', 'pour les', "a l'", 'au', 'a la', 'aux'],
    speakerAfter: ['on', 'nous', 'ce serait', "c'est", 'ca'],
  },

  pilots: {
    /** First-person volunteering: the author of the message is the pilot. */
    volunteerVerbs: [
      'je veux bien piloter', 'je veux bien co-piloter', 'je veux bien copiloter', 'je veux bien porter', 'je veux bien coordonner',
      'je veux bien prendre', 'je peux piloter', 'je peux porter', 'je peux coordonner', 'je pilote', 'je copilote', 'je co-pilote',
      'je porte', 'je porterai', 'je piloterai', 'je coordonnerai', 'je prends le pilotage', 'je prends', 'je me propose pour piloter',
      'je me charge', "je m'en charge", "je m'en occupe", 'je veux bien m\'en occuper', 'on pilote a deux', 'je pilote avec',
    ],
  },

  phrases: {
    /** Where a noun phrase ends (« les locataires en fragilité qui … » stops at « qui »). */
    stops: [
      'qui', 'que', "qu'", 'si', 'car', 'mais', 'pour', 'avec', 'dans', 'afin', 'parce', 'puis', 'sinon', 'quand', 'lorsque', 'et', 'ou',
      'on', 'nous', 'je', 'il', 'elle', 'ils', 'elles', 'ca', "c'est", 'ce', 'alors', 'donc',
    ],
    /** Words that are no partner nor public on their own. */
    pronouns: ['on', 'nous', 'je', 'moi', 'toi', 'lui', 'elle', 'eux', 'ils', 'elles', 'vous', 'tout le monde', 'ca', 'cela', 'ceux', 'celles'],
  },

  indicators: {
    /** Words that say a sentence is about measuring, so its « nombre de … » are indicators. */
    context: ['indicateur', 'indicateurs', 'pour le suivi', 'pour mesurer', 'on mesurera', 'on suivra', 'evaluation', 'pour evaluer', 'mesure'],
    /** How a measure starts: « nombre de jeunes reçus », « délai avant … ». */
    heads: ['nombre de', "nombre d'", 'taux de', "taux d'", 'part des', 'part de', 'pourcentage de', 'proportion de', 'delai', 'duree moyenne', 'satisfaction'],
  },
} as const;
