/** Token-level helpers shared by the grammar: look-ups, phrases, numbers. */
import { tokenize, type Token } from './normalize.js';
import { ORDINALS, wordsToNumber, NUMBER_WORDS } from './lexicon.js';

/** A phrase as tokens: "d'ici" → ["d", "'", "ici"]. */
export const P = (s: string): string[] => tokenize(s).map((t) => t.t);

/** Phrases indexed by first token, each with a value; matched longest first. */
export class PhraseSet<V> {
  private readonly byFirst = new Map<string, Array<[string[], V]>>();

  constructor(entries: Array<[string, V]>) {
    for (const [text, value] of entries) {
      const toks = P(text);
      const first = toks[0];
      if (first === undefined) continue;
      const list = this.byFirst.get(first) ?? [];
      list.push([toks, value]);
      this.byFirst.set(first, list);
    }
  }

  candidates(first: string | undefined): Array<[string[], V]> {
    return first === undefined ? [] : (this.byFirst.get(first) ?? []);
  }
}

export const LAST_ORDINAL = -1;

export class Cursor {
  constructor(protected readonly tk: Token[], protected strict: boolean) {}

  protected t(i: number): string | undefined {
    return this.tk[i]?.t;
  }

  /** Tokens i and i+1 touch (no space between). */
  protected glued(i: number): boolean {
    const a = this.tk[i];
    const b = this.tk[i + 1];
    return a !== undefined && b !== undefined && a.e === b.s;
  }

  protected isNum(i: number, minLen = 1, maxLen = 4): boolean {
    const tok = this.tk[i];
    return tok !== undefined && tok.kind === 'num' && tok.t.length >= minLen && tok.t.length <= maxLen;
  }

  /** Matches a tokenised phrase; apostrophes in the phrase are optional in the text. */
  protected seq(i: number, phrase: string[]): number {
    let j = i;
    for (const w of phrase) {
      if (this.t(j) === w) j++;
      else if (w !== "'") return -1;
    }
    return j;
  }

  /** The longest phrase of a set matching at i. */
  protected phrase<V>(i: number, set: PhraseSet<V>): { next: number; value: V } | null {
    let best: { next: number; value: V } | null = null;
    for (const [toks, value] of set.candidates(this.t(i))) {
      const j = this.seq(i, toks);
      if (j > i && (!best || j > best.next)) best = { next: j, value };
    }
    return best;
  }

  /** Skips articles ("le", "la", "l'", "les"). */
  protected skipArticles(i: number): number {
    let j = i;
    while (['le', 'la', 'les', 'l', "'"].includes(this.t(j) ?? '')) j++;
    return j;
  }

  /** Skips "de", "du", "d'", "des" and articles ("fin de l'année", "fin du T1"). */
  protected skipConnectors(i: number): number {
    let j = i;
    while (['de', 'du', 'd', 'des', 'le', 'la', 'les', 'l', "'"].includes(this.t(j) ?? '')) j++;
    return j;
  }

  /** A four-digit year between 1950 and 2099. */
  protected year(i: number): number | null {
    if (!this.isNum(i, 4, 4)) return null;
    const y = Number(this.t(i));
    return y >= 1950 && y <= 2099 ? y : null;
  }

  /** "1er", "premier", "2e", "2ème", "second", "1 er", "dernier" (LAST_ORDINAL). */
  protected ordinal(i: number): { n: number; next: number } | null {
    const w = this.t(i) ?? '';
    const n = ORDINALS[w];
    if (n !== undefined) return { n, next: i + 1 };
    if (w === 'dernier' || w === 'derniere') return { n: LAST_ORDINAL, next: i + 1 };
    if (/^[1-4]$/.test(w) && ['er', 'ere', 're', 'e', 'eme', 'nd', 'nde'].includes(this.t(i + 1) ?? '')) {
      return { n: Number(w), next: i + 2 };
    }
    return null;
  }

  /** A small count in digits or words ("6", "quinze", "dix-huit", "un"). */
  protected count(i: number): { n: number; next: number } | null {
    if (this.isNum(i, 1, 3)) return { n: Number(this.t(i)), next: i + 1 };
    const parts: string[] = [];
    let j = i;
    while (NUMBER_WORDS.has(this.t(j) ?? '') && parts.length < 4) {
      parts.push(this.t(j) as string);
      j++;
      if (this.t(j) === '-' && NUMBER_WORDS.has(this.t(j + 1) ?? '')) j++;
    }
    // Take the longest prefix that reads as a number ("deux ans" → 2, not "deux" + "ans").
    for (let len = parts.length; len > 0; len--) {
      if (parts[len - 1] === 'et') continue;
      const n = wordsToNumber(parts.slice(0, len));
      if (n !== null) return { n, next: this.advanceWords(i, len) };
    }
    return null;
  }

  /** Index after `words` number words starting at i, hyphens included. */
  private advanceWords(i: number, words: number): number {
    let j = i;
    let seen = 0;
    while (seen < words) {
      if (this.t(j) === '-') j++;
      j++;
      seen++;
    }
    return j;
  }
}
