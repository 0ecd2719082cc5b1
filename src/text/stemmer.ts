/**
 * Snowball French stemmer, ported by hand from the published Snowball
 * algorithm (algorithms/french.sbl as released in Snowball 3.0.x: elisions,
 * ë/ï marking, the "ni" region exception, -oux and -ais endings).
 *
 * The word is worked on as a plain string. Like the Snowball original, the
 * prelude marks some letters in upper case (U, I, Y, and H before e/i for ë/ï)
 * so that they stop counting as vowels; the postlude lowers them again.
 * Region boundaries (pV, p1, p2) are computed once: every later step only
 * touches the end of the word, so they stay valid.
 */

const VOWELS = new Set('aeiouyâàëéêèïîôûù');
const KEEP_WITH_S = new Set('aiouès');
const OUX_ENDING = new Set('bhjlnp');
const ELISION_CHARS = new Set('cdjlmnst');

const isVowel = (ch: string | undefined): boolean => ch !== undefined && VOWELS.has(ch);

/** Longest-first, so that `findSuffix` behaves like Snowball's `among`. */
const byLengthDesc = (list: readonly string[]): readonly string[] =>
  [...list].sort((a, b) => b.length - a.length);

const STANDARD_SUFFIXES = byLengthDesc([
  'ance', 'iqUe', 'isme', 'able', 'iste', 'eux',
  'ances', 'iqUes', 'ismes', 'ables', 'istes',
  'atrice', 'ateur', 'ation', 'atrices', 'ateurs', 'ations',
  'logie', 'logies',
  'usion', 'ution', 'usions', 'utions',
  'ence', 'ences',
  'ement', 'ements',
  'ité', 'ités',
  'if', 'ive', 'ifs', 'ives',
  'eaux', 'aux', 'oux',
  'euse', 'euses',
  'issement', 'issements',
  'amment', 'emment', 'ment', 'ments',
]);

const AFTER_EMENT = byLengthDesc(['iv', 'eus', 'abl', 'iqU', 'ièr', 'Ièr']);
const AFTER_ITE = byLengthDesc(['abil', 'ic', 'iv']);

const I_VERB_SUFFIXES = byLengthDesc([
  'îmes', 'ît', 'îtes', 'i', 'ie', 'ies', 'ir', 'ira', 'irai',
  'iraIent', 'irais', 'irait', 'iras', 'irent', 'irez', 'iriez',
  'irions', 'irons', 'iront', 'is', 'issaIent', 'issais', 'issait',
  'issant', 'issante', 'issantes', 'issants', 'isse', 'issent', 'isses',
  'issez', 'issiez', 'issions', 'issons', 'it',
]);

const VERB_SUFFIXES_DELETE = [
  'é', 'ée', 'ées', 'és', 'èrent', 'er', 'era', 'erai',
  'eraIent', 'erais', 'erait', 'eras', 'erez', 'eriez', 'erions',
  'erons', 'eront', 'ez', 'iez',
];
const VERB_SUFFIXES_A = [
  'âmes', 'ât', 'âtes', 'a', 'ai', 'aIent', 'ait', 'ant',
  'ante', 'antes', 'ants', 'as', 'asse', 'assent', 'asses', 'assiez',
  'assions',
];
const VERB_SUFFIXES_AIS = ['ais', 'aise', 'aises'];
const VERB_SUFFIXES = byLengthDesc([
  'ions', 'eais', ...VERB_SUFFIXES_DELETE, ...VERB_SUFFIXES_A, ...VERB_SUFFIXES_AIS,
]);
const VERB_DELETE_SET = new Set([...VERB_SUFFIXES_DELETE, 'eais']);
const VERB_A_SET = new Set(VERB_SUFFIXES_A);

const RESIDUAL_SUFFIXES = byLengthDesc(['ion', 'ier', 'ière', 'Ier', 'Ière', 'e']);
const UN_DOUBLE = ['enn', 'onn', 'ett', 'ell', 'eill'];

/** Longest suffix of `s` from `list` that starts at or after `limit`. */
function findSuffix(s: string, list: readonly string[], limit = 0): string | undefined {
  for (const suffix of list) {
    if (s.length - suffix.length >= limit && s.endsWith(suffix)) return suffix;
  }
  return undefined;
}

/** Snowball `elisions`: a leading "l'", "qu'"… is dropped when something follows it. */
function removeElision(word: string): string {
  const apostrophe = word.indexOf("'");
  if (apostrophe === 1 && ELISION_CHARS.has(word[0] ?? '') && word.length > 2) return word.slice(2);
  if (apostrophe === 2 && word.startsWith("qu'") && word.length > 3) return word.slice(3);
  return word;
}

/** Snowball `prelude`: marks u/i/y that act as consonants, and ë/ï as He/Hi. */
function prelude(word: string): string {
  const chars = [...word];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    const next = chars[i + 1];
    if (isVowel(ch) && next === 'u' && isVowel(chars[i + 2])) {
      chars[i + 1] = 'U';
    } else if (isVowel(ch) && next === 'i' && isVowel(chars[i + 2])) {
      chars[i + 1] = 'I';
    } else if (isVowel(ch) && next === 'y') {
      chars[i + 1] = 'Y';
    } else if (ch === 'ë') {
      chars.splice(i, 1, 'H', 'e');
    } else if (ch === 'ï') {
      chars.splice(i, 1, 'H', 'i');
    } else if (ch === 'y' && isVowel(next)) {
      chars[i] = 'Y';
    } else if (ch === 'q' && next === 'u') {
      chars[i + 1] = 'U';
    }
    // After any rewrite, retrying at i cannot match again (the rewritten
    // letter is no longer a lowercase vowel), so moving on is equivalent.
    i += 1;
  }
  return chars.join('');
}

interface Regions {
  pV: number;
  p1: number;
  p2: number;
}

/** Position just after the first non-vowel that follows a vowel, from `start`. */
function afterVowelThenConsonant(s: string, start: number): number {
  let i = start;
  while (i < s.length && !isVowel(s[i])) i += 1;
  i += 1; // past the vowel
  while (i < s.length && isVowel(s[i])) i += 1;
  return i < s.length ? i + 1 : s.length;
}

const RV_PREFIXES = ['par', 'col', 'tap'];

/** Snowball `mark_regions`. */
function markRegions(s: string): Regions {
  const n = s.length;
  let pV: number;
  const prefix = RV_PREFIXES.find((p) => s.startsWith(p));
  if (isVowel(s[0]) && isVowel(s[1]) && n > 2) {
    pV = 3;
  } else if (prefix !== undefined) {
    pV = prefix.length;
  } else if (s.startsWith('ni') && isVowel(s[2])) {
    pV = 3; // niais, nié: RV starts after the vowel that follows "ni"
  } else {
    pV = nextGopastVowel(s);
  }
  const p1 = afterVowelThenConsonant(s, 0);
  const p2 = p1 < n ? afterVowelThenConsonant(s, p1) : n;
  return { pV, p1, p2 };
}

function nextGopastVowel(s: string): number {
  for (let i = 1; i < s.length; i += 1) {
    if (isVowel(s[i])) return i + 1;
  }
  return s.length;
}

/** Mutable state of the backward pass: the word and its fixed regions. */
class Word {
  constructor(
    public s: string,
    readonly r: Regions,
  ) {}

  inRV(pos: number): boolean {
    return this.r.pV <= pos;
  }
  inR1(pos: number): boolean {
    return this.r.p1 <= pos;
  }
  inR2(pos: number): boolean {
    return this.r.p2 <= pos;
  }
  /** Replace the last `length` characters with `by`. */
  replaceEnd(length: number, by = ''): void {
    this.s = this.s.slice(0, this.s.length - length) + by;
  }
  /** Character just before a suffix of this length, if any. */
  before(length: number): string | undefined {
    return this.s[this.s.length - length - 1];
  }
  start(length: number): number {
    return this.s.length - length;
  }
}

/**
 * Snowball `standard_suffix` (step 1). Returns true when the routine succeeds;
 * "amment", "emment" and "ment(s)" modify the word and then fail on purpose,
 * so that the verb steps still run.
 */
function standardSuffix(w: Word): boolean {
  const suffix = findSuffix(w.s, STANDARD_SUFFIXES);
  if (suffix === undefined) return false;
  const len = suffix.length;
  const at = w.start(len);
  switch (suffix) {
    case 'ance': case 'iqUe': case 'isme': case 'able': case 'iste': case 'eux':
    case 'ances': case 'iqUes': case 'ismes': case 'ables': case 'istes':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len);
      return true;
    case 'atrice': case 'ateur': case 'ation':
    case 'atrices': case 'ateurs': case 'ations':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len);
      if (w.s.endsWith('ic')) {
        if (w.inR2(w.start(2))) w.replaceEnd(2);
        else w.replaceEnd(2, 'iqU');
      }
      return true;
    case 'logie': case 'logies':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len, 'log');
      return true;
    case 'usion': case 'ution': case 'usions': case 'utions':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len, 'u');
      return true;
    case 'ence': case 'ences':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len, 'ent');
      return true;
    case 'ement': case 'ements':
      if (!w.inRV(at)) return false;
      w.replaceEnd(len);
      afterEment(w);
      return true;
    case 'ité': case 'ités':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len);
      afterIte(w);
      return true;
    case 'if': case 'ive': case 'ifs': case 'ives':
      if (!w.inR2(at)) return false;
      w.replaceEnd(len);
      if (w.s.endsWith('at') && w.inR2(w.start(2))) {
        w.replaceEnd(2);
        if (w.s.endsWith('ic')) {
          if (w.inR2(w.start(2))) w.replaceEnd(2);
          else w.replaceEnd(2, 'iqU');
        }
      }
      return true;
    case 'eaux':
      w.replaceEnd(len, 'eau');
      return true;
    case 'aux':
      if (!w.inR1(at)) return false;
      w.replaceEnd(len, 'al');
      return true;
    case 'oux':
      if (!OUX_ENDING.has(w.before(len) ?? '')) return false;
      w.replaceEnd(len, 'ou');
      return true;
    case 'euse': case 'euses':
      if (w.inR2(at)) w.replaceEnd(len);
      else if (w.inR1(at)) w.replaceEnd(len, 'eux');
      else return false;
      return true;
    case 'issement': case 'issements': {
      const prev = w.before(len);
      if (!w.inR1(at) || prev === undefined || isVowel(prev)) return false;
      w.replaceEnd(len);
      return true;
    }
    case 'amment':
      if (w.inRV(at)) w.replaceEnd(len, 'ant');
      return false;
    case 'emment':
      if (w.inRV(at)) w.replaceEnd(len, 'ent');
      return false;
    case 'ment': case 'ments':
      // The vowel before the suffix must itself lie in RV.
      if (isVowel(w.before(len)) && w.inRV(at - 1)) w.replaceEnd(len);
      return false;
    default:
      return false;
  }
}

/** Sub-step after deleting -ement(s). */
function afterEment(w: Word): void {
  const suffix = findSuffix(w.s, AFTER_EMENT);
  if (suffix === undefined) return;
  const at = w.start(suffix.length);
  switch (suffix) {
    case 'iv':
      if (!w.inR2(at)) return;
      w.replaceEnd(2);
      if (w.s.endsWith('at') && w.inR2(w.start(2))) w.replaceEnd(2);
      return;
    case 'eus':
      if (w.inR2(at)) w.replaceEnd(3);
      else if (w.inR1(at)) w.replaceEnd(3, 'eux');
      return;
    case 'abl': case 'iqU':
      if (w.inR2(at)) w.replaceEnd(3);
      return;
    default: // 'ièr', 'Ièr'
      if (w.inRV(at)) w.replaceEnd(3, 'i');
  }
}

/** Sub-step after deleting -ité(s). */
function afterIte(w: Word): void {
  const suffix = findSuffix(w.s, AFTER_ITE);
  if (suffix === undefined) return;
  const at = w.start(suffix.length);
  switch (suffix) {
    case 'abil':
      if (w.inR2(at)) w.replaceEnd(4);
      else w.replaceEnd(4, 'abl');
      return;
    case 'ic':
      if (w.inR2(at)) w.replaceEnd(2);
      else w.replaceEnd(2, 'iqU');
      return;
    default: // 'iv'
      if (w.inR2(at)) w.replaceEnd(2);
  }
}

/** Snowball `i_verb_suffix` (step 2a): confined to RV, needs a non-vowel (not H) before it, also in RV. */
function iVerbSuffix(w: Word): boolean {
  const suffix = findSuffix(w.s, I_VERB_SUFFIXES, w.r.pV);
  if (suffix === undefined) return false;
  const prevPos = w.start(suffix.length) - 1;
  const prev = w.s[prevPos];
  if (prevPos < w.r.pV || prev === undefined || prev === 'H' || isVowel(prev)) return false;
  w.replaceEnd(suffix.length);
  return true;
}

/** Snowball `verb_suffix` (step 2b): confined to RV. */
function verbSuffix(w: Word): boolean {
  const suffix = findSuffix(w.s, VERB_SUFFIXES, w.r.pV);
  if (suffix === undefined) return false;
  const len = suffix.length;
  if (suffix === 'ions') {
    if (!w.inR2(w.start(len))) return false;
    w.replaceEnd(len);
    return true;
  }
  if (VERB_DELETE_SET.has(suffix)) {
    w.replaceEnd(len);
    return true;
  }
  if (VERB_A_SET.has(suffix)) {
    // â/a endings: an 'e' just before goes too, if it is still in RV.
    const ePos = w.start(len) - 1;
    const withE = w.s[ePos] === 'e' && ePos >= w.r.pV;
    w.replaceEnd(withE ? len + 1 : len);
    return true;
  }
  // -ais/-aise(s): kept after "auv" (mauvais), "épl" (déplais) and a
  // one-letter + "al" start (palais, balais), so those words keep their ending.
  const stem = w.s.slice(0, w.start(len));
  if (stem.endsWith('auv') || stem.endsWith('épl') || (stem.length === 3 && stem.endsWith('al'))) {
    return false;
  }
  w.replaceEnd(len);
  return true;
}

/** Snowball `residual_suffix` (step 4). */
function residualSuffix(w: Word): void {
  if (w.s.endsWith('s')) {
    const prev = w.before(1);
    const afterHi = w.s.endsWith('His');
    if (afterHi || (prev !== undefined && !KEEP_WITH_S.has(prev))) w.replaceEnd(1);
  }
  const suffix = findSuffix(w.s, RESIDUAL_SUFFIXES, w.r.pV);
  if (suffix === undefined) return;
  const at = w.start(suffix.length);
  if (suffix === 'ion') {
    const prev = w.s[at - 1];
    if (w.inR2(at) && at - 1 >= w.r.pV && (prev === 's' || prev === 't')) w.replaceEnd(3);
  } else if (suffix === 'e') {
    w.replaceEnd(1);
  } else {
    w.replaceEnd(suffix.length, 'i');
  }
}

/** Snowball `un_double` (step 5). */
function unDouble(w: Word): void {
  if (UN_DOUBLE.some((end) => w.s.endsWith(end))) w.replaceEnd(1);
}

/** Snowball `un_accent` (step 6): é/è followed only by (at least one) non-vowels becomes e. */
function unAccent(w: Word): void {
  let i = w.s.length - 1;
  while (i >= 0 && !isVowel(w.s[i])) i -= 1;
  if (i === w.s.length - 1 || i < 0) return;
  const ch = w.s[i];
  if (ch === 'é' || ch === 'è') w.s = `${w.s.slice(0, i)}e${w.s.slice(i + 1)}`;
}

/** Snowball `postlude`: back to lower case, He/Hi back to ë/ï, stray H dropped. */
function postlude(s: string): string {
  return s.replace(/He|Hi|H|I|U|Y/g, (m) => {
    switch (m) {
      case 'He': return 'ë';
      case 'Hi': return 'ï';
      case 'H': return '';
      default: return m.toLowerCase();
    }
  });
}

/**
 * Snowball French stem of one lowercase word, accents kept (the caller folds
 * afterwards). Input is lowercased and NFC-normalised defensively, because
 * upper-case U/I/Y/H are the algorithm's own markers.
 */
export function stemFrench(word: string): string {
  const input = removeElision(word.normalize('NFC').toLowerCase());
  if (input.length === 0) return input;
  const marked = prelude(input);
  const w = new Word(marked, markRegions(marked));
  if (standardSuffix(w) || iVerbSuffix(w) || verbSuffix(w)) {
    if (w.s.endsWith('Y')) w.replaceEnd(1, 'i');
    else if (w.s.endsWith('ç')) w.replaceEnd(1, 'c');
  } else {
    // standard_suffix may have rewritten -amment/-emment/-ment before failing;
    // Snowball keeps that rewrite and still runs step 4 on the result.
    residualSuffix(w);
  }
  unDouble(w);
  unAccent(w);
  return postlude(w.s);
}
