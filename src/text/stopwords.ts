/**
 * French stop words for the lexical index, in folded form (lower case, no
 * accents), so callers compare `foldAccents(token)`.
 *
 * Only grammatical words and the most frequent verb forms: anything that can
 * carry meaning in a PTSM document (santé, mentale, fiche, action, suivi,
 * pilote, année, fin, mois…) stays indexed. Cardinal numbers written in words
 * ("deux", "trois") are kept too: "Deux-Sèvres", "trois ans".
 */

/**
 * Question words, as typed (lower case, accents kept). Kept separate because
 * the answering service reads the question's shape from them. "où" keeps its
 * accent here: folded, it would be the conjunction "ou".
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'qui', 'quoi', 'quel', 'quels', 'quelle', 'quelles',
  'comment', 'quand', 'combien', 'où', 'pourquoi',
  'lequel', 'laquelle', 'lesquels', 'lesquelles',
]);

const ARTICLES_AND_DETERMINERS = [
  'le', 'la', 'les', 'l', 'un', 'une', 'des', 'du', 'de', 'd', 'au', 'aux',
  'ce', 'cet', 'cette', 'ces', 'mon', 'ma', 'mes', 'ton', 'ta', 'tes', 'son', 'sa', 'ses',
  'notre', 'nos', 'votre', 'vos', 'leur', 'leurs',
  'chaque', 'quelque', 'quelques', 'certain', 'certaine', 'certains', 'certaines',
  'tout', 'toute', 'tous', 'toutes', 'aucun', 'aucune', 'nul', 'nulle',
  'autre', 'autres', 'meme', 'memes', 'tel', 'telle', 'tels', 'telles',
];

const PRONOUNS = [
  'je', 'j', 'me', 'm', 'moi', 'tu', 'te', 't', 'toi', 'il', 'elle', 'on', 'nous', 'vous',
  'ils', 'elles', 'se', 's', 'soi', 'lui', 'eux', 'y', 'en',
  'ceci', 'cela', 'ca', 'celui', 'celle', 'ceux', 'celles', 'ci',
  'que', 'qu', 'dont', 'quiconque',
  'duquel', 'desquels', 'desquelles', 'auquel', 'auxquels', 'auxquelles',
  'mien', 'mienne', 'tien', 'sien', 'sienne', 'notres', 'votres',
];

const PREPOSITIONS = [
  'a', 'dans', 'par', 'pour', 'sur', 'sous', 'avec', 'sans', 'chez', 'vers', 'entre',
  'contre', 'depuis', 'pendant', 'avant', 'apres', 'durant', 'selon', 'parmi', 'envers',
  'hors', 'malgre', 'via', 'jusque', 'jusqu', 'aupres', 'afin', 'lors', 'outre', 'des',
  'quant',
];

const CONJUNCTIONS_AND_ADVERBS = [
  'et', 'ou', 'mais', 'donc', 'or', 'ni', 'car', 'comme', 'si', 'lorsque', 'lorsqu',
  'puisque', 'puisqu', 'quoique', 'quoiqu', 'tandis', 'alors', 'ainsi', 'cependant',
  'toutefois', 'pourtant', 'neanmoins', 'sinon', 'soit',
  'ne', 'n', 'pas', 'plus', 'moins', 'tres', 'trop', 'peu', 'bien', 'aussi', 'deja',
  'encore', 'toujours', 'jamais', 'ici', 'la', 'oui', 'non', 'tant', 'autant', 'assez',
  'beaucoup', 'surtout', 'egalement', 'notamment', 'ensuite', 'puis', 'enfin', 'voire',
  'etc', 'cf', 'voici', 'voila', "aujourd'hui", 'c',
];

/** être, avoir, and the most frequent forms of faire, pouvoir, devoir, aller, vouloir, falloir. */
const VERB_FORMS = [
  'etre', 'suis', 'es', 'est', 'sommes', 'etes', 'sont', 'etais', 'etait', 'etions', 'etiez',
  'etaient', 'ete', 'serai', 'seras', 'sera', 'serons', 'serez', 'seront', 'serais', 'serait',
  'serions', 'seriez', 'seraient', 'sois', 'soyons', 'soyez', 'soient', 'fus', 'fut', 'fumes',
  'furent', 'etant',
  'avoir', 'ai', 'as', 'avons', 'avez', 'ont', 'avais', 'avait', 'avions', 'aviez', 'avaient',
  'eu', 'eue', 'eus', 'eues', 'aurai', 'auras', 'aura', 'aurons', 'aurez', 'auront', 'aurais',
  'aurait', 'aurions', 'auriez', 'auraient', 'aie', 'aies', 'ait', 'ayons', 'ayez', 'aient',
  'eut', 'eurent', 'ayant',
  'fait', 'faits', 'faite', 'faites', 'fais', 'font', 'faisait', 'faisant', 'fera', 'feront',
  'ferait',
  'peut', 'peuvent', 'pourra', 'pourront', 'pourrait', 'pourraient', 'pouvait', 'pu',
  'doit', 'doivent', 'devra', 'devront', 'devrait', 'devraient',
  'va', 'vont', 'veut', 'veulent', 'faut', 'faudra', 'faudrait',
];

/** Folded question words, so that they are dropped from the index too. */
const FOLDED_QUESTION_WORDS = [...QUESTION_WORDS].map((w) => (w === 'où' ? 'ou' : w));

export const FRENCH_STOPWORDS: ReadonlySet<string> = new Set([
  ...ARTICLES_AND_DETERMINERS,
  ...PRONOUNS,
  ...PREPOSITIONS,
  ...CONJUNCTIONS_AND_ADVERBS,
  ...VERB_FORMS,
  ...FOLDED_QUESTION_WORDS,
]);
