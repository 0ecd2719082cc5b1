/**
 * The full grammar: prefixes ("avant", "d'ici", "dès"…), modifiers ("début",
 * "mi", "fin") and ranges ("de janvier à mars 2025") around the atoms.
 * Every rule walks tokens forward without backtracking over the text, so the
 * cost stays linear in practice (no regular expression over the whole input).
 */
import { RelativeAtoms } from './relative.js';
import { PhraseSet } from './cursor.js';
import type { Token } from './normalize.js';
import { hasYear, longest, type Match, type Mod, type Node } from './nodes.js';
import { DATE_CONTEXT_BEFORE } from './lexicon.js';

type PrefixKind = 'before' | 'after' | 'until' | 'neutral';

const MODIFIERS = new PhraseSet<Mod>([
  ...['fin', 'a la fin', 'en fin', 'vers la fin', 'tout a la fin', 'a fin'].map((w): [string, Mod] => [w, 'fin']),
  ...['debut', 'au debut', 'en debut', 'des le debut', 'tout debut', 'au tout debut', 'vers le debut', 'a debut']
    .map((w): [string, Mod] => [w, 'debut']),
  ...['mi', 'a la mi', 'a mi', 'milieu', 'au milieu', 'en milieu', 'vers la mi', 'vers le milieu']
    .map((w): [string, Mod] => [w, 'mi']),
  ...['premiere quinzaine', '1ere quinzaine', '1re quinzaine'].map((w): [string, Mod] => [w, 'quinzaine1']),
  ...['deuxieme quinzaine', '2e quinzaine', '2eme quinzaine', 'seconde quinzaine', '2nde quinzaine', 'derniere quinzaine']
    .map((w): [string, Mod] => [w, 'quinzaine2']),
]);

/**
 * Words before a date. "dès", "à partir de" and the neutral ones keep the
 * period as it is (see the decision table in french-dates.ts).
 */
const PREFIXES = new PhraseSet<PrefixKind>([
  ...['avant', 'au plus tard avant'].map((w): [string, PrefixKind] => [w, 'before']),
  ...['apres', 'au-dela de', 'au dela de', "au-dela d'", "au dela d'", "a l'issue de", "a l'issue du", "a l'issue d'"]
    .map((w): [string, PrefixKind] => [w, 'after']),
  ...["d'ici", "d'ici a", "d'ici au", 'au plus tard', "jusqu'a", "jusqu'au", "jusqu'en", 'jusque', 'pas apres',
    'au plus tard pour', 'pour au plus tard'].map((w): [string, PrefixKind] => [w, 'until']),
  ...['des', 'a partir de', 'a partir du', "a partir d'", 'a compter de', 'a compter du', "a compter d'",
    'au plus tot', 'pas avant', 'courant', 'dans le courant de', 'dans le courant du',
    "dans le courant d'", 'au cours de', 'au cours du', "au cours d'", 'durant', 'pendant', 'tout au long de',
    'tout au long du', "tout au long d'", 'lors de', 'lors du', 'vers', 'aux alentours de', 'aux alentours du',
    'autour de', 'autour du', 'environ', "a l'horizon", "a l'horizon de", "a l'horizon d'", 'horizon']
    .map((w): [string, PrefixKind] => [w, 'neutral']),
]);

/** Separators of a range, by lead word. */
const RANGE_LEADS = new PhraseSet<'entre' | 'de'>([
  ['entre', 'entre'], ['de', 'de'], ['du', 'de'], ["d'", 'de'], ['depuis', 'de'], ['des', 'de'],
  ['a partir de', 'de'], ['a partir du', 'de'], ["a partir d'", 'de'], ['a compter de', 'de'], ['a compter du', 'de'],
]);
const RANGE_SEPS_DE = new PhraseSet<true>(
  ['a', 'au', 'aux', "jusqu'a", "jusqu'au", "jusqu'en", 'jusque', '-', 'a fin', 'au plus tard'].map((w) => [w, true]),
);
const RANGE_SEPS_ENTRE = new PhraseSet<true>([['et', true]]);
const RANGE_SEPS_BARE = new PhraseSet<true>(['-', 'a', 'au', "jusqu'a", "jusqu'au", "jusqu'en"].map((w) => [w, true]));

export class Grammar extends RelativeAtoms {
  constructor(tokens: Token[], strict: boolean) {
    super(tokens, strict);
  }

  /** The longest date expression starting exactly at token i, or null. */
  parseAt(i: number): Match | null {
    return this.exprAt(i, 0);
  }

  private exprAt(i: number, depth: number): Match | null {
    let best = this.core(i);
    if (depth >= 3) return best;
    for (const [toks, kind] of PREFIXES.candidates(this.t(i))) {
      const j = this.seq(i, toks);
      if (j <= i) continue;
      const k = this.skipArticles(this.t(j) === 'en' ? j + 1 : j);
      const inner = this.exprAt(k, depth + 1);
      if (inner && (!best || inner.next > best.next)) best = { node: wrap(kind, inner.node), next: inner.next };
    }
    return best;
  }

  private core(i: number): Match | null {
    return longest([
      this.numericDate(i), this.dayExpr(i), this.weekExpr(i), this.schoolYearExpr(i), this.yearPairExpr(i),
      this.partExpr(i, 'quarter'), this.partExpr(i, 'semester'), this.seasonExpr(i), this.monthExpr(i),
      this.yearExpr(i), this.modified(i), this.relativeExpr(i, false), this.weekdayExpr(i), this.durationExpr(i),
      this.rangeExpr(i),
    ]);
  }

  /** The expressions a range or a modifier can hold. */
  private period(i: number): Match | null {
    return longest([
      this.numericDate(i), this.dayExpr(i), this.weekExpr(i), this.schoolYearExpr(i), this.partExpr(i, 'quarter'),
      this.partExpr(i, 'semester'), this.seasonExpr(i), this.monthExpr(i), this.yearExpr(i), this.modified(i),
    ]);
  }

  /** "fin juin 2025", "mi-2026", "début du 2e semestre", "fin d'année", "fin du mois prochain". */
  private modified(i: number): Match | null {
    const mod = this.phrase(i, MODIFIERS);
    if (!mod) return null;
    let j = mod.next;
    if (this.t(j) === '-') j++;
    j = this.skipConnectors(j);
    const inner = longest([
      this.weekExpr(j), this.schoolYearExpr(j), this.partExpr(j, 'quarter'), this.partExpr(j, 'semester'),
      this.seasonExpr(j), this.monthExpr(j), this.yearExpr(j), this.relativeExpr(j, true),
    ]);
    if (!inner) return null;
    const n = inner.node;
    const isMonth = (n.k === 'period' && n.base.unit === 'month') || (n.k === 'relative' && n.unit === 'month');
    if ((mod.value === 'quinzaine1' || mod.value === 'quinzaine2') && !isMonth) return null;
    if (n.k === 'period' && n.mod === null) return { node: { ...n, mod: mod.value }, next: inner.next };
    if (n.k === 'relative' && n.unit !== 'day') return { node: { ...n, mod: mod.value }, next: inner.next };
    return n.k === 'impossible' ? inner : null;
  }

  /** "de janvier à mars 2025", "du 3 au 15 mars", "entre mars et juin 2026", "T1-T2 2026", "de 2025 à 2027". */
  private rangeExpr(i: number): Match | null {
    const lead = this.phrase(i, RANGE_LEADS);
    const start = this.skipArticles(lead ? lead.next : i);
    const seps = lead ? (lead.value === 'entre' ? RANGE_SEPS_ENTRE : RANGE_SEPS_DE) : RANGE_SEPS_BARE;
    // Both ends are read leniently: the range itself is the evidence that these are dates.
    const strict = this.strict;
    this.strict = false;
    try {
      const a = this.period(start) ?? this.bareDay(start);
      if (!a) return null;
      const sep = this.phrase(a.next, seps);
      if (!sep) return null;
      const b = this.period(this.skipArticles(sep.next));
      if (!b) return null;
      if (a.node.k === 'bareDay' && !(b.node.k === 'period' && b.node.base.unit === 'day')) return null;
      // "3-15 mars" is a range but "15-03-2025" is a numeric date: after "-", the right end needs a month name.
      const bStart = this.skipArticles(sep.next);
      if (a.node.k === 'bareDay' && this.t(a.next) === '-' && !/^[a-z]/.test(this.t(bStart + 1) ?? '')) return null;
      if (strict && !lead && !hasYear(a.node) && !hasYear(b.node) && !DATE_CONTEXT_BEFORE.has(this.t(i - 1) ?? '')) {
        return null;
      }
      if (a.node.k === 'impossible' || b.node.k === 'impossible') return { node: a.node.k === 'impossible' ? a.node : b.node, next: b.next };
      return { node: { k: 'range', a: a.node, b: b.node }, next: b.next };
    } finally {
      this.strict = strict;
    }
  }

  private bareDay(i: number): Match | null {
    const d = this.dayNumber(i);
    return d ? { node: { k: 'bareDay', d: d.d }, next: d.next } : null;
  }
}

function wrap(kind: PrefixKind, node: Node): Node {
  if (kind === 'neutral') return node;
  if (kind === 'until') return { k: 'until', x: node };
  return kind === 'before' ? { k: 'before', x: node } : { k: 'after', x: node };
}
