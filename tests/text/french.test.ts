import { describe, expect, it } from 'vitest';
import {
  FRENCH_STOPWORDS,
  QUESTION_WORDS,
  analyze,
  foldAccents,
  stemFrench,
  tokenize,
} from '../../src/text/french.js';

/**
 * Expected stems were checked against the reference Snowball French stemmer
 * (libstemmer's `stemwords -l fr`); the last block covers rules that Snowball
 * 3.0 added (elisions, -oux, -ais), traced by hand through the algorithm.
 */
const SNOWBALL_CASES: ReadonlyArray<readonly [string, string]> = [
  ['continuation', 'continu'],
  ['continuellement', 'continuel'],
  ['majestueusement', 'majestu'],
  ['évaluation', 'évalu'],
  ['évaluations', 'évalu'],
  ['évaluer', 'évalu'],
  ['évalué', 'évalu'],
  ['indicateur', 'indiqu'], // -ateur then "ic" outside R2 becomes "iqU"
  ['indicateurs', 'indiqu'],
  ['pilotes', 'pilot'],
  ['piloté', 'pilot'],
  ['piloter', 'pilot'],
  ['pilotage', 'pilotag'],
  ['aidants', 'aid'],
  ['aidante', 'aid'],
  ['jeunes', 'jeun'],
  ['psychiatriques', 'psychiatr'],
  ['psychiatrie', 'psychiatr'],
  ['mentale', 'mental'],
  ['mental', 'mental'],
  ['mentaux', 'mental'],
  ['coordination', 'coordin'],
  ['coordinatrice', 'coordin'],
  ['prévention', 'prévent'],
  ['territoriaux', 'territorial'],
  ['accompagnement', 'accompagn'],
  ['hospitalisation', 'hospitalis'],
  ['hospitalière', 'hospitali'],
  ['associations', 'associ'],
  ['partenaires', 'partenair'],
  ['professionnelle', 'professionnel'],
  ['rétablissement', 'rétabl'],
  ['logements', 'log'],
  ['urgences', 'urgenc'],
  ['somatiques', 'somat'],
  ['précarité', 'précar'],
  ['activités', 'activ'],
  ['qualité', 'qualit'],
  ['financements', 'financ'],
  ['échéances', 'échéanc'],
  ['objectifs', 'object'],
  ['généralement', 'général'],
  ['rapidement', 'rapid'],
  ['évidemment', 'évident'],
  ['heureusement', 'heureux'],
  ['heureuse', 'heureux'],
  ['biologie', 'biolog'],
  ['capitalisme', 'capital'],
  ['intégration', 'integr'], // un_accent: é before the final consonants becomes e
  ['communications', 'commun'],
  ['finissant', 'fin'],
  ['première', 'premi'],
  ['validées', 'valid'],
  ['médiateurs', 'médiateur'], // -ateur is not in R2 here
  // y/i/u vowel marking (prelude) and the ë/ï marking
  ['jouer', 'jou'],
  ['abandonnaient', 'abandon'], // i between vowels → I, so "aIent" matches
  ['allouable', 'allou'], // u between vowels → U
  ['yogi', 'yog'], // y before a vowel → Y
  ['aboyiez', 'aboi'], // y after a vowel → Y, back to i at the end
  ['ennuie', 'ennui'],
  ['payer', 'pai'],
  ['employé', 'emploi'],
  ['essayer', 'essai'],
  ['naïve', 'naïv'],
  ['noël', 'noël'],
  // Snowball 3.0 additions
  ["l'évaluation", 'évalu'],
  ["qu'évaluer", 'évalu'],
  ['bijoux', 'bijou'],
  ['genoux', 'genou'],
  ['française', 'franc'],
  ['françaises', 'franc'],
  ['palais', 'palais'],
  ['mauvais', 'mauvais'],
  ['niais', 'niais'], // "ni" + vowel: RV starts after "nia"
];

describe('stemFrench', () => {
  it.each(SNOWBALL_CASES)('%s → %s', (word, stem) => {
    expect(stemFrench(word)).toBe(stem);
  });

  it('has at least 40 reference cases', () => {
    expect(SNOWBALL_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it('gives one stem for the forms of one word', () => {
    expect(new Set(['mentale', 'mental', 'mentaux', 'mentales'].map(stemFrench)).size).toBe(1);
    expect(new Set(['pilote', 'pilotes', 'piloté', 'piloter', 'pilotée'].map(stemFrench)).size).toBe(1);
  });

  it('leaves short words and words without suffix alone', () => {
    expect(stemFrench('')).toBe('');
    expect(stemFrench('a')).toBe('a');
    expect(stemFrench('cmp')).toBe('cmp');
    expect(stemFrench('action')).toBe('action');
  });

  it('does not treat upper-case input as its internal markers', () => {
    expect(stemFrench('JOUER')).toBe('jou');
  });
});

describe('foldAccents', () => {
  it('lowercases and strips diacritics', () => {
    expect(foldAccents('Évaluation Médiateur ÇA Noël naïf où')).toBe('evaluation mediateur ca noel naif ou');
  });

  it('expands ligatures', () => {
    expect(foldAccents('Œuvre cœur æquo')).toBe('oeuvre coeur aequo');
  });

  it('normalises apostrophes, non-breaking spaces and dashes', () => {
    expect(foldAccents('l’ARS l‘ARS l`ARS')).toBe("l'ars l'ars l'ars");
    expect(foldAccents('45\u00a0000\u202f€')).toBe('45 000 €');
    expect(foldAccents('pair‐aidance – 2025—2026')).toBe('pair-aidance - 2025-2026');
  });

  it('handles combining accents written as separate characters', () => {
    expect(foldAccents('e\u0301valuation')).toBe('evaluation');
  });
});

describe('tokenize', () => {
  it('removes elisions, whatever the apostrophe', () => {
    expect(tokenize("l'évaluation")).toEqual(['évaluation']);
    expect(tokenize('l’évaluation d‘un aidant')).toEqual(['évaluation', 'un', 'aidant']);
    expect(tokenize("Jusqu'à l'ARS, qu'il n'a pas vue, lorsqu'elle s'en va, puisqu'on c'est m'a t'a j'ai")).toEqual([
      'à', 'ars', 'il', 'a', 'pas', 'vue', 'elle', 'en', 'va', 'on', 'est', 'a', 'a', 'ai',
    ]);
  });

  it("keeps words whose apostrophe is not an elision", () => {
    expect(tokenize("aujourd'hui, d'aujourd'hui")).toEqual(["aujourd'hui", "aujourd'hui"]);
  });

  it('drops a dangling elision and quotes around a word', () => {
    expect(tokenize("l' 'pair'")).toEqual(['l', 'pair']);
  });

  it('gives the parts and the joined form of hyphenated words', () => {
    expect(tokenize('pair-aidance')).toEqual(['pair', 'aidance', 'pairaidance']);
    expect(tokenize('Deux-Sèvres')).toEqual(['deux', 'sèvres', 'deuxsèvres']);
    expect(tokenize("l'auto-évaluation")).toEqual(['auto', 'évaluation', 'autoévaluation']);
    expect(tokenize('pair‑aidance')).toEqual(['pair', 'aidance', 'pairaidance']); // non-breaking hyphen
  });

  it('does not join number ranges, and spaced dashes separate words', () => {
    expect(tokenize('2025-2030')).toEqual(['2025', '2030']);
    expect(tokenize('Axe 1 – Prévention')).toEqual(['axe', '1', 'prévention']);
    expect(tokenize('covid-19')).toEqual(['covid', '19', 'covid19']);
  });

  it('keeps numbers, joining French thousands', () => {
    expect(tokenize('En 2025, 45 000 € puis 1 200 000 €')).toEqual(['en', '2025', '45000', 'puis', '1200000']);
    expect(tokenize('45\u202f000 et 45.000')).toEqual(['45000', 'et', '45000']);
    expect(tokenize('12,5 % à la section 2.3')).toEqual(['12,5', 'à', 'la', 'section', '2.3']);
    expect(tokenize('T2 2025, le 2ᵉ semestre, 1er')).toEqual(['t2', '2025', 'le', '2e', 'semestre', '1er']);
  });

  it('does not glue a year to the next number', () => {
    expect(tokenize('en 2025 200 personnes')).toEqual(['en', '2025', '200', 'personnes']);
  });

  it('splits dates', () => {
    expect(tokenize('le 12/03/2025 ou le 12.03.2025')).toEqual(['le', '12', '03', '2025', 'ou', 'le', '12', '03', '2025']);
  });

  it('keeps the number of "n°" forms', () => {
    expect(tokenize('fiche n°3, Fiche N° 12, nº5')).toEqual(['fiche', '3', 'fiche', '12', '5']);
  });

  it('keeps acronyms, lowercased', () => {
    expect(tokenize('Le CMP et VigilanS, la CPTS')).toEqual(['le', 'cmp', 'et', 'vigilans', 'la', 'cpts']);
    expect(tokenize("Le C.M.P. et l'U.N.A.F.A.M")).toEqual(['le', 'cmp', 'et', 'unafam']);
  });

  it('keeps accents and lowercases', () => {
    expect(tokenize('Médiateur de Santé Pair')).toEqual(['médiateur', 'de', 'santé', 'pair']);
  });

  it('returns nothing for empty or blank text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  \n\t ')).toEqual([]);
    expect(tokenize('… !? — ;')).toEqual([]);
  });

  it('survives emoji and odd Unicode', () => {
    expect(tokenize('😀 santé 👍🏽 🇫🇷 mentale')).toEqual(['santé', 'mentale']);
    expect(tokenize('pré\u00advention\u200b ﬁche')).toEqual(['prévention', 'fiche']);
    expect(tokenize('\u202e\ud800 abc')).toEqual(['abc']); // bidi override, lone surrogate
    expect(tokenize('中文 العربية')).toEqual(['中文', 'العربية']);
  });
});

describe('stop words', () => {
  it('holds grammatical words in folded form', () => {
    for (const w of ['le', 'la', 'les', 'de', 'des', 'et', 'a', 'est', 'sont', 'ont', 'fait', 'etre', 'apres', 'deja']) {
      expect(FRENCH_STOPWORDS.has(w)).toBe(true);
    }
  });

  it('keeps domain words out', () => {
    for (const w of ['sante', 'mentale', 'fiche', 'action', 'pilote', 'suivi', 'fin', 'annee', 'deux', 'copil']) {
      expect(FRENCH_STOPWORDS.has(w)).toBe(false);
    }
  });

  it('exports the question words separately, and drops them from the index', () => {
    for (const w of ['qui', 'quoi', 'quel', 'quels', 'quelle', 'quelles', 'comment', 'quand', 'combien', 'où']) {
      expect(QUESTION_WORDS.has(w)).toBe(true);
      expect(FRENCH_STOPWORDS.has(foldAccents(w))).toBe(true);
    }
    expect(QUESTION_WORDS.has('le')).toBe(false);
    expect(QUESTION_WORDS.has('ou')).toBe(false); // "ou" is "or"
  });
});

describe('analyze', () => {
  it('runs tokenize → stop words → stem → fold', () => {
    expect(analyze("L'évaluation des indicateurs est faite par les pilotes")).toEqual(['evalu', 'indiqu', 'pilot']);
  });

  it('gives the same terms with or without accents', () => {
    const pairs: ReadonlyArray<readonly [string, string]> = [
      ['évaluation', 'evaluation'],
      ['Médiateur', 'mediateur'],
      ['activité', 'activite'],
      ['précarité', 'precarite'],
      ['validée', 'validee'],
      ['première', 'premiere'],
      ['employé', 'employe'],
      ['accès aux soins', 'acces aux soins'],
      ['santé mentale', 'sante mentale'],
      ['Œuvre', 'oeuvre'],
    ];
    for (const [accented, plain] of pairs) {
      expect(analyze(plain)).toEqual(analyze(accented));
    }
  });

  it('matches singular and plural, masculine and feminine', () => {
    expect(analyze('indicateurs')).toEqual(analyze('indicateur'));
    expect(analyze('fiches actions')).toEqual(analyze('fiche action'));
    expect(analyze('aidantes')).toEqual(analyze('aidant'));
    expect(analyze('territoriaux')).toEqual(analyze('territoriale'));
    expect(analyze('médiatrices')).toEqual(analyze('médiatrice'));
  });

  it('drops stop words and question words', () => {
    expect(analyze('Qui pilote la fiche ?')).toEqual(['pilot', 'fich']);
    expect(analyze('Quand est-ce que la réunion aura lieu ?')).toEqual(['reunion', 'lieu']);
    expect(analyze('le la les de et')).toEqual([]);
  });

  it('indexes hyphenated words by parts and joined form, the same for queries', () => {
    expect(analyze('pair-aidance')).toEqual(['pair', 'aidanc', 'pairaid']);
    expect(analyze('pairaidance')).toEqual(['pairaid']);
    expect(analyze('est-ce')).toEqual([]);
    expect(analyze('a-t-il')).toEqual([]);
  });

  it('keeps numbers, single digits included, and drops one-letter words', () => {
    expect(analyze('Fiche n°3 : 45 000 € en 2025, x')).toEqual(['fich', '3', '45000', '2025']);
  });

  it('does not stem acronyms into other acronyms', () => {
    expect(analyze('CPTS')).toEqual(['cpts']);
    expect(analyze('CPT')).toEqual(['cpt']);
    expect(analyze('cpts')).toEqual(analyze('CPTS'));
    expect(analyze('ARS')).toEqual(['ars']);
  });

  it('returns nothing for empty text and survives odd Unicode', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze('😀🔥 \u0000 \ufeff')).toEqual([]);
    expect(analyze('santé 😀 mentale')).toEqual(['sant', 'mental']);
  });

  it('is deterministic across repeated calls (cache included)', () => {
    const text = 'Le coordinateur PTSM prépare le COPIL du 2e semestre 2025 avec les pilotes.';
    const first = analyze(text);
    for (let i = 0; i < 3; i += 1) expect(analyze(text)).toEqual(first);
    expect(first).toEqual(['coordin', 'ptsm', 'prepar', 'copil', '2e', 'semestr', '2025', 'pilot']);
  });
});
