import type { Block } from '../../core/types.js';
import { parseHtml } from '../../text/html.js';
import { cleanInline, listBlock } from './normalize.js';

/**
 * HTML → blocks: HTML files and DOCX (through mammoth, which emits clean
 * h1–h6/p/ul/table markup) share this one path, on the project's HTML reader
 * (src/text/html.ts). Table cells keep their inner lines separated by "\n" so
 * a fiche's "Pilote | …" cells survive; the header row stays the first row.
 */

/** Elements that end the running text (a paragraph, or a line of a cell or list item). */
const BREAKS = new Set(['p', 'div', 'section', 'article', 'blockquote', 'pre', 'dt', 'dd', 'li', 'br', 'header', 'footer', 'main', 'aside', 'figure', 'figcaption', 'caption']);
/** Site furniture, not document content. */
const FURNITURE = new Set(['nav']);

export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let furniture = 0;
  let text = '';
  let heading: number | null = null;
  let listItems: string[] | null = null;
  let listMarkers: string[] = [];
  // Open lists, outermost first (nested ones flatten into the outermost): items of a top-level <ol> keep their
  // number (Word numbered lists, through mammoth).
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let itemMarker = '';
  let rows: string[][] | null = null;
  let row: string[] | null = null;
  let cell: string[] | null = null;
  let title: string | null = null;
  let inTitle = false;

  const flushText = (): void => {
    const t = cleanInline(text);
    text = '';
    if (!t) return;
    if (cell) { cell.push(t); return; }
    if (listItems) { listItems.push(t); listMarkers.push(itemMarker); itemMarker = ''; return; }
    if (heading !== null) { blocks.push({ type: 'heading', level: heading, text: t, page: null }); return; }
    blocks.push({ type: 'paragraph', text: t, page: null });
  };

  const boundary = (name: string, isClose: boolean): void => {
    const level = /^h([1-6])$/.exec(name);
    if (level) { flushText(); heading = isClose ? null : Number(level[1]); return; }
    if (BREAKS.has(name)) {
      flushText();
      if (name === 'li' && !isClose && !cell) {
        const top = lists.length === 1 ? lists[0]! : null;
        itemMarker = top?.ordered ? `${++top.n}.` : '';
      }
      return;
    }
    switch (name) {
      case 'ul': case 'ol':
        flushText();
        if (cell) break; // lists inside a table cell stay in the cell
        if (!isClose) { listItems ??= []; lists.push({ ordered: name === 'ol', n: 0 }); }
        else {
          lists.pop();
          if (!lists.length) {
            const block = listItems ? listBlock(listItems, listMarkers, null) : null;
            if (block) blocks.push(block);
            listItems = null;
            listMarkers = [];
          }
        }
        break;
      case 'table':
        flushText();
        if (!isClose) rows = [];
        else if (rows) {
          const kept = rows.filter((r) => r.some((c) => c !== ''));
          if (kept.length) blocks.push({ type: 'table', rows: kept, text: kept.map((r) => r.join(' | ')).join('\n'), page: null });
          rows = null;
        }
        break;
      case 'tr':
        flushText();
        if (!isClose) row = [];
        else if (row && rows) { rows.push(row); row = null; }
        break;
      case 'td': case 'th':
        flushText();
        if (!isClose) cell = [];
        else if (cell) { (row ?? (row = [])).push(cell.join('\n')); cell = null; }
        break;
      default: break;
    }
  };

  parseHtml(html, {
    open(name) {
      if (FURNITURE.has(name)) { furniture++; return; }
      if (name === 'title') { inTitle = true; return; }
      if (!furniture) boundary(name, false);
    },
    close(name) {
      if (FURNITURE.has(name)) { furniture = Math.max(0, furniture - 1); return; }
      if (name === 'title') { inTitle = false; return; }
      if (!furniture) boundary(name, true);
    },
    text(t) {
      if (inTitle) title = (title ?? '') + t;
      else if (!furniture) text += t;
    },
  });
  flushText();
  if (title && !blocks.some((b) => b.type === 'heading')) {
    const t = cleanInline(title);
    if (t) blocks.unshift({ type: 'heading', level: 1, text: t, page: null });
  }
  return blocks;
}
