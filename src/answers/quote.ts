import { analyze } from '../text/french.js';
import type { QueryTerm } from './passages.js';

/** Flattens whitespace and cuts at a word before `max` characters. */
export function clip(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1).replace(/\s+\S*$/, '') + '…';
}

/**
 * Like `clip`, but when the text is too long the part kept is the window
 * that holds most of the question's words, not the opening: a long sentence
 * ("Il a été finalisé … etc.") may carry the fact in its last third.
 */
export function focusedClip(s: string, max: number, terms: readonly QueryTerm[]): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat.length <= max || !terms.length) return clip(flat, max);
  const words = [...flat.matchAll(/\S+/g)].map((m) => ({ at: m.index, end: m.index + m[0].length, stems: new Set(analyze(m[0])) }));
  const weightOf = (from: number, to: number): number => {
    const seen = new Set<string>();
    for (let i = from; i < to; i++) for (const s of words[i]!.stems) seen.add(s);
    return terms.reduce((sum, t) => sum + (t.alts.some((a) => seen.has(a)) || seen.has(t.term) ? t.weight : 0), 0);
  };
  let best = { from: 0, to: 0, weight: -1 };
  for (let from = 0; from < words.length; from++) {
    let to = from;
    // Room for the two ellipses.
    while (to < words.length && words[to]!.end - words[from]!.at <= max - 2) to++;
    const weight = weightOf(from, to);
    if (weight > best.weight) best = { from, to, weight };
    if (to === words.length) break;
  }
  if (best.from === 0) return clip(flat, max);
  const text = flat.slice(words[best.from]!.at, words[best.to - 1]!.end);
  return `…${text}${best.to < words.length ? '…' : ''}`;
}
