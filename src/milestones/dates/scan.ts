/** Where date expressions are in a token list: the whole of it, or every mention inside free text. */
import { Grammar } from './grammar.js';
import { FILLERS } from './lexicon.js';
import type { Token } from './normalize.js';
import type { Node } from './nodes.js';

export interface RawMention {
  /** Token range [start, next). */
  start: number;
  next: number;
  node: Node;
}

/** The expression when the tokens hold one date and only label words around it ("Échéance : T2 2025"). */
export function matchWhole(tokens: Token[]): Node | null {
  let end = tokens.length;
  while (end > 0 && FILLERS.has(tokens[end - 1]?.t ?? '')) end--;
  if (end === 0) return null;
  const grammar = new Grammar(tokens, false);
  for (let i = 0; i < end; i++) {
    const m = grammar.parseAt(i);
    if (m && m.next >= end) return m.node;
    if (!FILLERS.has(tokens[i]?.t ?? '')) break;
  }
  return null;
}

const GLUE = new Set(['/', '.', '-', ':', ',']);

/** A mention glued to more digits ("01.23.45.67.89", "L3221-2") is part of a number, not a date. */
function standsAlone(tk: Token[], s: number, e: number): boolean {
  const touches = (i: number): boolean => {
    const a = tk[i];
    const b = tk[i + 1];
    return a !== undefined && b !== undefined && a.e === b.s;
  };
  const before = tk[s - 1];
  const before2 = tk[s - 2];
  if (before && GLUE.has(before.t) && touches(s - 1) && before2 && before2.kind !== 'punct' && touches(s - 2)) return false;
  const after = tk[e];
  const after2 = tk[e + 1];
  if (after && GLUE.has(after.t) && touches(e - 1) && after2 && after2.kind === 'num' && touches(e)) return false;
  return true;
}

/** Every mention, longest first, non-overlapping, returned in order of appearance. */
export function scanMentions(tokens: Token[]): RawMention[] {
  const grammar = new Grammar(tokens, true);
  const candidates: RawMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.kind === 'punct') continue;
    const m = grammar.parseAt(i);
    if (m && standsAlone(tokens, i, m.next)) candidates.push({ start: i, next: m.next, node: m.node });
  }
  const width = (m: RawMention): number => (tokens[m.next - 1]?.e ?? 0) - (tokens[m.start]?.s ?? 0);
  candidates.sort((a, b) => width(b) - width(a) || a.start - b.start);
  const taken = new Uint8Array(tokens.length);
  const chosen: RawMention[] = [];
  for (const c of candidates) {
    let free = true;
    for (let k = c.start; k < c.next && free; k++) free = taken[k] === 0;
    if (!free) continue;
    taken.fill(1, c.start, c.next);
    chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
