
/**
 * Teams text comes as light HTML (message bodies, `<at>` mentions, entities):
 * the core wants plain French text. The HTML is read by the project's one
 * HTML reader (src/text/html.ts).
 */
export { decodeHtmlEntities as decodeEntities, htmlToText, tidyLines as tidy } from '../../text/html.js';

/** Cuts at a word boundary and says so. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  return `${s.slice(0, cut > max / 2 ? cut : max - 1).trimEnd()}…`;
}
