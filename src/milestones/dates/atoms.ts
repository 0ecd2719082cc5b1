/**
 * The calendar atoms: one day, one week, month, quarter, semester, season,
 * year, school year. Relative periods and durations are in relative.ts.
 */
import { Cursor, PhraseSet, LAST_ORDINAL } from './cursor.js';
import {
  MONTHS, AMBIGUOUS_MONTHS, WEEKDAYS, WEEKDAY_ABBR, SEASONS, DATE_CONTEXT_BEFORE, NOT_A_YEAR_AFTER,
} from './lexicon.js';
import { daysInMonth, isValidYmd, isoWeeksInYear } from './calendar.js';
import { IMPOSSIBLE, period, type Match } from './nodes.js';

const FULL_MONTHS = new Set([
  'janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre',
]);
export const NEXT = new PhraseSet<true>(['prochain', 'prochaine', 'suivant', 'suivante', 'a venir'].map((w) => [w, true]));
const MONTH_OF = new PhraseSet<true>(['le mois de', 'mois de', "le mois d'", "mois d'"].map((w) => [w, true]));
const YEAR_WORDS = new PhraseSet<true>(
  ['annee', "l'annee", "l'an", 'exercice', "l'exercice", 'annee civile', "l'annee civile"].map((w) => [w, true]),
);
const SCHOOL = new PhraseSet<true>(
  ['annee scolaire', "l'annee scolaire", 'annee universitaire', "l'annee universitaire"].map((w) => [w, true]),
);

/** A yearless season word must follow one of these ("l'été", "cet été", "au printemps"; not "a été"). */
const SEASON_CONTEXT = new Set([
  "'", 'cet', 'ce', 'cette', 'en', 'au', 'le', 'la', 'fin', 'debut', 'mi', 'milieu', 'courant', 'avant', 'apres',
  'pendant', 'durant', 'ici', 'des', 'partir', 'compter', 'jusqu', '-', 'du', 'de', 'vers',
]);
/** "sept" is also the number seven: yearless, it needs a clear date word before it. */
const STRONG_MONTH_CONTEXT = new Set(['en', 'fin', 'debut', 'mi', 'milieu', 'courant', 'ici', 'avant', '-', 'jusqu']);
const NOT_YEAR_BEFORE = new Set([
  'n°', 'no', 'numero', 'num', 'article', 'art', 'loi', 'decret', 'arrete', 'circulaire', 'instruction',
  'ordonnance', 'deliberation', 'reference', 'ref', 'code', 'version', 'v', 'tel', 'fax', 'bp', 'cedex', 'poste',
]);

export class Atoms extends Cursor {
  /** A context word before a yearless expression, required only when reading free text. */
  protected contextOk(i: number, words: Set<string> = DATE_CONTEXT_BEFORE): boolean {
    return !this.strict || words.has(this.t(i - 1) ?? '');
  }

  /** Optional year after a period: "2025", "-2025", "/2025", "de l'année 2025", or "prochain". */
  protected yearTail(i: number): { year: number | null; next: number; upcoming: boolean } {
    let j = i;
    if ((this.t(j) === '-' || this.t(j) === '/') && this.year(j + 1) !== null) j++;
    else if (this.t(j) === 'de') {
      const words = this.phrase(j + 1, YEAR_WORDS);
      if (words && this.year(words.next) !== null) j = words.next;
    }
    const y = this.year(j);
    if (y !== null) return { year: y, next: j + 1, upcoming: false };
    const n = this.phrase(i, NEXT);
    if (n) return { year: null, next: n.next, upcoming: true };
    return { year: null, next: i, upcoming: false };
  }

  /** Optional time after a day: "à 14h", "14h30", "14 h 30", "14:30". */
  protected timeTail(i: number): number {
    const j = ['a', ',', '-'].includes(this.t(i) ?? '') ? i + 1 : i;
    const w = this.t(j) ?? '';
    if (/^\d{1,2}h(\d{2})?$/.test(w)) return j + 1;
    if (/^\d{1,2}$/.test(w) && this.t(j + 1) === 'h') return this.isNum(j + 2, 2, 2) ? j + 3 : j + 2;
    if (/^\d{1,2}$/.test(w) && this.t(j + 1) === ':' && this.isNum(j + 2, 2, 2) && this.glued(j) && this.glued(j + 1)) {
      return j + 3;
    }
    return i;
  }

  protected monthWord(i: number): { m: number; word: string; next: number } | null {
    const word = this.t(i) ?? '';
    const m = MONTHS[word];
    if (m === undefined) return null;
    // The dot belongs to an abbreviation ("janv."), not to a sentence ending on "juin.".
    const next = this.t(i + 1) === '.' && this.glued(i) && !FULL_MONTHS.has(word) ? i + 2 : i + 1;
    return { m, word, next };
  }

  /** A day of month: "15", "01", "1er", "premier". */
  protected dayNumber(i: number): { d: number; next: number } | null {
    if (this.isNum(i, 1, 2)) return { d: Number(this.t(i)), next: i + 1 };
    const w = this.t(i) ?? '';
    if (['1er', 'premier', '1ere', '1re', '1ier'].includes(w)) return { d: 1, next: i + 1 };
    if (w === '1' && this.t(i + 1) === 'er') return { d: 1, next: i + 2 };
    return null;
  }

  /** "15 mars 2025", "lundi 3 mars", "1er mars 2025", "31 février 2025" (impossible). */
  protected dayExpr(i: number): Match | null {
    let j = i;
    let wd: number | null = null;
    const w = this.t(j) ?? '';
    if (WEEKDAYS[w] !== undefined) {
      wd = WEEKDAYS[w] as number;
      j = this.t(j + 1) === ',' ? j + 2 : j + 1;
    } else if (WEEKDAY_ABBR[w] !== undefined) {
      wd = WEEKDAY_ABBR[w] as number;
      j = this.t(j + 1) === '.' ? j + 2 : j + 1;
    }
    if (wd !== null) {
      const numeric = this.numericDate(j);
      if (numeric && numeric.node.k === 'period') return { node: { ...numeric.node, weekday: wd }, next: numeric.next };
      if (numeric) return numeric;
    }
    const dn = this.dayNumber(j);
    if (!dn) return null;
    const mw = this.monthWord(dn.next);
    if (!mw) return null;
    const yt = this.yearTail(mw.next);
    const next = this.timeTail(yt.next);
    const possible = dn.d >= 1 && dn.d <= daysInMonth(2024, mw.m) && (yt.year === null || isValidYmd(yt.year, mw.m, dn.d));
    if (!possible) return { node: IMPOSSIBLE, next };
    return { node: period({ unit: 'day', m: mw.m, d: dn.d }, yt.year, yt.upcoming, wd), next };
  }

  /** "15/03/2025", "15.03.25", "15-03-2025", "2025-03-15", "06/2025", "12/03". */
  protected numericDate(i: number): Match | null {
    const sep = this.t(i + 1);
    if (!this.isNum(i) || (sep !== '/' && sep !== '.' && sep !== '-') || !this.isNum(i + 2)) return null;
    if (!this.glued(i) || !this.glued(i + 1)) return null;
    const a = this.t(i) as string;
    const b = this.t(i + 2) as string;
    if (this.t(i + 3) === sep && this.glued(i + 2) && this.isNum(i + 4) && this.glued(i + 3)) {
      const c = this.t(i + 4) as string;
      let y: number;
      let m: number;
      let d: number;
      if (a.length === 4 && b.length <= 2 && c.length <= 2) [y, m, d] = [Number(a), Number(b), Number(c)];
      else if (a.length <= 2 && b.length <= 2 && (c.length === 4 || c.length === 2)) {
        [d, m, y] = [Number(a), Number(b), c.length === 2 ? 2000 + Number(c) : Number(c)];
      } else return null;
      const next = this.timeTail(i + 5);
      if (!isValidYmd(y, m, d)) return { node: IMPOSSIBLE, next };
      return { node: period({ unit: 'day', m, d }, y), next };
    }
    if (a.length <= 2 && b.length === 4) {
      const y = this.year(i + 2);
      if (y === null) return null;
      const m = Number(a);
      if (m < 1 || m > 12) return this.strict ? null : { node: IMPOSSIBLE, next: i + 3 };
      return { node: period({ unit: 'month', m }, y), next: i + 3 };
    }
    if (sep === '-' || a.length > 2 || b.length > 2) return null;
    const d = Number(a);
    const m = Number(b);
    const valid = m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(2024, m);
    if (this.strict) {
      // Free text: "3/4", "12.5" or "10/12 participants" are not dates.
      const prev = this.t(i - 1) ?? '';
      const introduced = ['le', 'du', 'au'].includes(prev) || WEEKDAYS[prev] !== undefined;
      const twoDigitSlash = sep === '/' && a.length === 2 && b.length === 2;
      if (!valid || !(introduced || twoDigitSlash) || NOT_A_YEAR_AFTER.has(this.t(i + 3) ?? '')) return null;
    }
    const next = this.timeTail(i + 3);
    if (!valid) return { node: IMPOSSIBLE, next };
    return { node: period({ unit: 'day', m, d }, null), next };
  }

  /** "juin 2025", "le mois de juin", "juin prochain", "sept. 2025". */
  protected monthExpr(i: number): Match | null {
    const of = this.phrase(i, MONTH_OF);
    const j = of ? of.next : i;
    const mw = this.monthWord(j);
    if (!mw) return null;
    const yt = this.yearTail(mw.next);
    if (yt.year === null && !yt.upcoming && !of) {
      if (!this.contextOk(i, AMBIGUOUS_MONTHS.has(mw.word) ? STRONG_MONTH_CONTEXT : DATE_CONTEXT_BEFORE)) return null;
    }
    return { node: period({ unit: 'month', m: mw.m }, yt.year, yt.upcoming), next: yt.next };
  }

  /** Quarter ("T2", "Q3", "2e trimestre", "trimestre 2") or semester ("S1", "1er semestre"). */
  protected partExpr(i: number, unit: 'quarter' | 'semester'): Match | null {
    const max = unit === 'quarter' ? 4 : 2;
    const short = unit === 'quarter' ? /^[tq]([1-4])$/ : /^s([12])$/;
    const words = unit === 'quarter' ? ['trimestre', 'trim'] : ['semestre'];
    // "1er sem." is a semester: weeks are not counted with ordinals.
    const ordinalWords = unit === 'quarter' ? words : ['semestre', 'sem'];
    let n: number | null = null;
    let j = i + 1;
    let explicit = true;
    const m = short.exec(this.t(i) ?? '');
    if (m) {
      n = Number(m[1]);
      explicit = false;
    } else {
      const ord = this.ordinal(i);
      if (ord && ordinalWords.includes(this.t(ord.next) ?? '')) {
        n = ord.n === LAST_ORDINAL ? max : ord.n;
        j = ord.next + 1;
      } else if (words.includes(this.t(i) ?? '') && this.isNum(i + 1, 1, 1)) {
        n = Number(this.t(i + 1));
        j = i + 2;
      }
      if (['trim', 'sem'].includes(this.t(j - 1) ?? '') && this.t(j) === '.') j++;
    }
    if (n === null || n < 1 || n > max) return null;
    const yt = this.yearTail(j);
    if (yt.year === null && !yt.upcoming && !explicit && !this.contextOk(i)) return null;
    const base = unit === 'quarter' ? { unit, q: n } as const : { unit, s: n } as const;
    return { node: period(base, yt.year, yt.upcoming), next: yt.next };
  }

  /** "semaine 12", "semaine n°12 2026", "sem. 12", "S12 2026", "la semaine du 3 mars 2025". */
  protected weekExpr(i: number): Match | null {
    const w = this.t(i) ?? '';
    let n: number | null = null;
    let j = i + 1;
    if (w === 'semaine' || w === 'sem') {
      if (this.t(j) === '.') j++;
      if (this.t(j) === 'du') {
        const day = this.dayExpr(j + 1) ?? this.numericDate(j + 1);
        if (day && day.node.k === 'period' && day.node.base.unit === 'day') {
          return { node: { k: 'weekOf', day: day.node }, next: day.next };
        }
        return day && day.node.k === 'impossible' ? day : null;
      }
      if (['n', 'no', 'numero', 'n°'].includes(this.t(j) ?? '')) j++;
      const m = /^(?:n°|no)?(\d{1,2})$/.exec(this.t(j) ?? '');
      if (!m) return null;
      n = Number(m[1]);
      j++;
    } else {
      const m = /^s(\d{2}|[3-9])$/.exec(w);
      if (!m) return null;
      n = Number(m[1]);
    }
    const yt = this.yearTail(j);
    if (yt.year === null && this.strict && w !== 'semaine' && w !== 'sem') return null;
    if (n < 1 || n > 53 || (yt.year !== null && n > isoWeeksInYear(yt.year))) return { node: IMPOSSIBLE, next: yt.next };
    return { node: period({ unit: 'week', w: n }, yt.year, yt.upcoming), next: yt.next };
  }

  /**
   * Two years "2025-2026", "2025/2026", "2025-26" (short form only for consecutive years).
   * `spaced` also accepts "2025 – 2026", once a word ("hiver", "année scolaire") says what the pair is.
   */
  protected yearPair(i: number, spaced = false): { a: number; b: number; next: number } | null {
    const a = this.year(i);
    const sep = this.t(i + 1);
    if (a === null || (sep !== '-' && sep !== '/')) return null;
    if (!spaced && (!this.glued(i) || !this.glued(i + 1))) return null;
    const b = this.year(i + 2);
    if (b !== null) return { a, b, next: i + 3 };
    if (this.isNum(i + 2, 2, 2) && (a + 1) % 100 === Number(this.t(i + 2))) return { a, b: a + 1, next: i + 3 };
    return null;
  }

  /** "printemps 2026", "l'été prochain", "hiver 2025/2026", "rentrée scolaire 2025". */
  protected seasonExpr(i: number): Match | null {
    const w = this.t(i) ?? '';
    let j = i + 1;
    if (w === 'rentree') {
      if (['scolaire', 'universitaire'].includes(this.t(j) ?? '')) j++;
      else if (this.t(j) === 'de' && this.t(j + 1) === 'septembre') j += 2;
      const yt = this.yearTail(j);
      if (yt.year === null && !yt.upcoming && !this.contextOk(i, SEASON_CONTEXT)) return null;
      return { node: period({ unit: 'season', season: 'rentree' }, yt.year, yt.upcoming), next: yt.next };
    }
    const season = SEASONS[w];
    if (season === undefined) return null;
    if (season === 'hiver') {
      // A winter is named by the year it ends in: "hiver 2025/2026" = "hiver 2026".
      const pair = this.yearPair(j, true);
      if (pair) {
        if (pair.b !== pair.a + 1) return { node: IMPOSSIBLE, next: pair.next };
        return { node: period({ unit: 'season', season }, pair.b), next: pair.next };
      }
    }
    const yt = this.yearTail(j);
    if (yt.year === null && !yt.upcoming && !this.contextOk(i, SEASON_CONTEXT)) return null;
    return { node: period({ unit: 'season', season }, yt.year, yt.upcoming), next: yt.next };
  }

  /** "2025", "l'année 2025", "exercice 2025". A bare number in free text must look like a year. */
  protected yearExpr(i: number): Match | null {
    const words = this.phrase(i, YEAR_WORDS);
    const j = words ? words.next : i;
    const y = this.year(j);
    if (y === null) return null;
    if (this.strict && !words) {
      if (NOT_A_YEAR_AFTER.has(this.t(j + 1) ?? '') || NOT_YEAR_BEFORE.has(this.t(j - 1) ?? '')) return null;
    }
    return { node: period({ unit: 'year' }, y), next: j + 1 };
  }

  /** "2024-2026", "2025/2026", "2025-26" as a span of whole years. */
  protected yearPairExpr(i: number): Match | null {
    const pair = this.yearPair(i);
    if (!pair) return null;
    return { node: { k: 'range', a: period({ unit: 'year' }, pair.a), b: period({ unit: 'year' }, pair.b) }, next: pair.next };
  }

  /** "année scolaire 2025-2026" (1 Sept 2025 – 31 Aug 2026), "année scolaire 2025" (the one starting in 2025). */
  protected schoolYearExpr(i: number): Match | null {
    const words = this.phrase(i, SCHOOL);
    if (!words) return null;
    const pair = this.yearPair(words.next, true);
    if (pair) {
      if (pair.b !== pair.a + 1) return { node: IMPOSSIBLE, next: pair.next };
      return { node: period({ unit: 'school' }, pair.a), next: pair.next };
    }
    const yt = this.yearTail(words.next);
    if (yt.year === null && !yt.upcoming) return null;
    return { node: period({ unit: 'school' }, yt.year, yt.upcoming), next: yt.next };
  }
}
