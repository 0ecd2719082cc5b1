import type { Block } from '../../core/types.js';

/** Whitespace clean-up shared by every block builder. */
export function cleanInline(text: string): string {
  return text.replace(/[\u00a0\u202f\t]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A number as a list prints it: "4.", "12)", "b)" (never a year or a decimal). */
const ORDINAL = String.raw`\d{1,2}[.)](?!\d)|[a-z][)]`;
const ORDINAL_RE = new RegExp(String.raw`^\s*(${ORDINAL})\s+`, 'u');

/** Bullet markers used in French office documents (•, ◦, -, –, —, *, ▪, ➢, ✓, □, o, numbered "1." "a)"). */
export const BULLET_RE = new RegExp(String.raw`^\s*(?:[•◦▪▫●○■□➢➤►✓✔*\-–—]|o(?=\s)|${ORDINAL})\s+`, 'u');

/** The number of a numbered list line as printed ("4.", "b)"), '' for a bullet. */
export function listMarker(line: string): string {
  return ORDINAL_RE.exec(line)?.[1] ?? '';
}

/** A passage line that is a list item: a bullet, or a number as printed. */
export function isListLine(line: string): boolean {
  return /^[-•*]\s/.test(line) || ORDINAL_RE.test(line);
}

/** A list block's items as passage lines: numbered items keep their number, the others get "- ". */
export function listLines(b: Pick<Block, 'items' | 'markers'>): string[] {
  return (b.items ?? []).map((item, i) => (b.markers?.[i] ? `${b.markers[i]} ${item}` : `- ${item}`));
}

/** A list block from its raw lines' items and markers: empty items are dropped with their marker, markers only kept when some item is numbered. */
export function listBlock(items: readonly string[], markers: readonly string[], page: number | null): Block | null {
  const kept = items.map((item, i) => ({ item: cleanInline(item), marker: markers[i] ?? '' })).filter((x) => x.item);
  if (!kept.length) return null;
  const list = kept.map((x) => x.item);
  const block: Block = { type: 'list', items: list, text: list.join('\n'), page };
  if (kept.some((x) => x.marker)) block.markers = kept.map((x) => x.marker);
  return block;
}

export function stripBullet(line: string): string {
  return line.replace(BULLET_RE, '').trim();
}

/**
 * "Échéance (date butoir) : 24 octobre 2025": a label with its value on one
 * line. Block builders may take it for a heading (the fiche parser reads it as
 * a field of its own); the answerer must still quote it, since it is a fact.
 */
export function isFieldLine(line: string): boolean {
  const m = /^([^:]{2,50}):\s*(\S.*)$/.exec(line.trim());
  if (!m) return false;
  const [, label, value] = m as unknown as [string, string, string];
  // « Priorité 1 : Le repérage précoce… », « AXE 2 : PARCOURS DE SOINS » are titles: a numbered label, or words in
  // capitals (a value of one acronym, « Pilote : UNAFAM », stays a field).
  const capitalWords = value.match(/\p{Lu}{3,}/gu)?.length ?? 0;
  // The number is a word of its own: « Partenaires principaux », « Indicateurs de suivi » end in a letter, not a numeral.
  return !/(?:^|\s)(?:\d+(?:\.\d+)*|[nN]°\s*\d+|[IVX]{1,5})$/u.test(label.trim()) && !(capitalWords >= 2 && !/\p{Ll}/u.test(value));
}
