import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

/**
 * The one way HTML is read in this project — documents (HTML files, DOCX
 * through mammoth) and Teams message bodies alike: htmlparser2 tokenises
 * (quoted attributes, comments, unclosed <p>/<li>/<td>, raw <script> text)
 * and `entities` decodes the full HTML5 entity table, case included.
 */

/** Elements whose content is never text for a reader. */
const SKIPPED = new Set(['script', 'style', 'template', 'noscript']);

export interface HtmlHandlers {
  /** An element opens (names lower-cased). */
  open?(name: string, attributes: Record<string, string>): void;
  /** An element closes, explicitly or because HTML implies it (`<li>` then `<li>`, `</table>` closing a `<td>`). */
  close?(name: string): void;
  /** Text, entities decoded. Called in pieces: concatenate. */
  text?(text: string): void;
}

/** Streams an HTML string to the handlers, leaving out script/style/template/noscript content. */
export function parseHtml(html: string, handlers: HtmlHandlers): void {
  let skipped = 0;
  const parser = new Parser({
    onopentag(name, attributes) {
      if (SKIPPED.has(name)) { skipped++; return; }
      if (!skipped) handlers.open?.(name, attributes);
    },
    onclosetag(name) {
      if (SKIPPED.has(name)) { skipped = Math.max(0, skipped - 1); return; }
      if (!skipped) handlers.close?.(name);
    },
    ontext(text) {
      if (!skipped) handlers.text?.(text);
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true });
  parser.end(html);
}

/** `&Eacute;` → `É`, `&sect;` → `§`, `&#8239;` → narrow no-break space: every HTML5 reference. */
export function decodeHtmlEntities(s: string): string {
  return decodeHTML(s);
}

/** Elements after which a line ends in plain text. */
const LINE_ENDS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'blockquote', 'ul', 'ol', 'pre', 'table']);

/** HTML (a chat message, a snippet) → plain text: a line per block, "- " before list items, lines trimmed. */
export function htmlToText(html: string): string {
  let out = '';
  parseHtml(html, {
    open(name) {
      if (name === 'br') out += '\n';
      else if (name === 'li') out += '\n- ';
      else if (name === 'td' || name === 'th') out += ' ';
    },
    close(name) {
      if (LINE_ENDS.has(name)) out += '\n';
    },
    text(t) { out += t; },
  });
  return tidyLines(out);
}

/** Trims each line, drops runs of blank lines. */
export function tidyLines(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
