/** Whitespace clean-up shared by every block builder. */
export function cleanInline(text: string): string {
  return text.replace(/[\u00a0\u202f\t]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Bullet markers used in French office documents (•, ◦, -, –, —, *, ▪, ➢, ✓, □, o, numbered "1." "a)"). */
export const BULLET_RE = /^\s*(?:[•◦▪▫●○■□➢➤►✓✔*\-–—]|o(?=\s)|\d{1,2}[.)](?!\d)|[a-z][)])\s+/u;

export function stripBullet(line: string): string {
  return line.replace(BULLET_RE, '').trim();
}

/**
 * "Échéance (date butoir) : 24 octobre 2025": a label with its value on one
 * line. Block builders may take it for a heading (the fiche parser reads it as
 * a field of its own); the answerer must still quote it, since it is a fact.
 */
export function isFieldLine(line: string): boolean {
  return /^[^:]{2,50}:\s*\S/.test(line.trim()) && !/:\s*$/.test(line);
}
