/**
 * Normalisation and tokenisation. The grammar works on lower-case, accent-free
 * text; every normalised character remembers where it came from so a mention
 * can be cut out of the original text exactly as written.
 */

export type TokenKind = 'num' | 'word' | 'punct';

export interface Token {
  /** Normalised text ("fevrier", "1er", "/", "'"). */
  t: string;
  kind: TokenKind;
  /** Offsets in the normalised string, end exclusive. */
  s: number;
  e: number;
}

export interface Normalized {
  text: string;
  /** Original index (UTF-16) of each normalised character. */
  origin: number[];
  tokens: Token[];
}

/** Characters the accent stripping does not cover, written as they come in PTSM documents. */
const SPECIAL: Record<string, string> = {
  'ᵉ': 'e', 'ʳ': 'r', 'ᵈ': 'd', 'ⁿ': 'n', 'ˢ': 's', 'ᵐ': 'm', 'ᵒ': 'o', 'ᵗ': 't', 'ª': 'a', 'º': '°',
  'œ': 'oe', 'Œ': 'oe', 'æ': 'ae', 'Æ': 'ae', 'ß': 'ss',
  '’': "'", '‘': "'", 'ʼ': "'", '′': "'", '`': "'", '´': "'",
  '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-',
  '«': ' ', '»': ' ',
};

const COMBINING = /[\u0300-\u036f]/g;

function normalizeChar(ch: string): string {
  const special = SPECIAL[ch];
  if (special !== undefined) return special;
  // Every Unicode space (NBSP, narrow NBSP, thin space…) becomes a plain space.
  if (/\s/u.test(ch)) return ' ';
  return ch.normalize('NFD').replace(COMBINING, '').toLowerCase();
}

function kindOf(ch: string): TokenKind | 'space' {
  if (ch === ' ') return 'space';
  if (ch >= '0' && ch <= '9') return 'num';
  if ((ch >= 'a' && ch <= 'z') || ch === '°') return 'word';
  return 'punct';
}

export function normalize(input: string): Normalized {
  let text = '';
  const origin: number[] = [];
  let i = 0;
  for (const ch of input) {
    const out = normalizeChar(ch);
    for (let k = 0; k < out.length; k++) origin.push(i);
    text += out;
    i += ch.length;
  }
  return { text, origin, tokens: tokenize(text) };
}

/**
 * Runs of letters and digits form one token ("1er", "t2", "s12", "2025");
 * every other non-space character is a token of its own ("/", "-", "'").
 * "°" (as in "n°") stays inside a word token.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  let hasLetter = false;
  const flush = (end: number): void => {
    if (start < 0) return;
    tokens.push({ t: text.slice(start, end), kind: hasLetter ? 'word' : 'num', s: start, e: end });
    start = -1;
    hasLetter = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const k = kindOf(ch);
    if (k === 'num' || k === 'word') {
      if (start < 0) start = i;
      if (k === 'word') hasLetter = true;
      continue;
    }
    flush(i);
    if (k === 'punct') tokens.push({ t: ch, kind: 'punct', s: i, e: i + 1 });
  }
  flush(text.length);
  return tokens;
}

/** Maps a normalised span back to the original string, keeping trailing combining accents. */
export function originalSpan(input: string, norm: Normalized, s: number, e: number): { index: number; end: number } {
  const index = norm.origin[s] ?? 0;
  const lastOrigin = norm.origin[e - 1] ?? index;
  let end = lastOrigin + 1;
  // A surrogate pair or a decomposed accent belongs to the last character.
  while (end < input.length && /[\u0300-\u036f\udc00-\udfff]/.test(input[end] as string)) end++;
  return { index, end };
}
