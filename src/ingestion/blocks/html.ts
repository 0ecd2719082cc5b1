import type { Block } from '../../core/types.js';
import { cleanInline } from './normalize.js';

/**
 * HTML → blocks, without a DOM: HTML files and DOCX (through mammoth, which
 * emits clean h1–h6/p/ul/table markup) share this one path. Table cells keep
 * their inner lines separated by "\n" so a fiche's "Pilote | …" cells survive.
 */
export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  const tagRe = /<!--[\s\S]*?-->|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>|([^<]+)/g;
  let skipDepth = 0;
  let text = '';
  let heading: number | null = null;
  let listItems: string[] | null = null;
  let listDepth = 0;
  let rows: string[][] | null = null;
  let row: string[] | null = null;
  let cell: string[] | null = null;
  let title: string | null = null;
  let inTitle = false;

  const flushText = (): void => {
    const t = cleanInline(decodeEntities(text));
    text = '';
    if (!t) return;
    if (cell) { cell.push(t); return; }
    if (listItems) { listItems.push(t); return; }
    if (heading !== null) { blocks.push({ type: 'heading', level: heading, text: t, page: null }); return; }
    blocks.push({ type: 'paragraph', text: t, page: null });
  };

  for (const m of html.matchAll(tagRe)) {
    const [, closing, rawName, , content] = m;
    if (content !== undefined) {
      if (skipDepth === 0) {
        if (inTitle) title = (title ?? '') + content;
        else text += content;
      }
      continue;
    }
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    const isClose = closing === '/';
    if (name === 'script' || name === 'style' || name === 'head' || name === 'nav') {
      if (name === 'head' && !isClose) { /* title lives in head: handled below */ }
      if (name !== 'head') { skipDepth += isClose ? -1 : 1; skipDepth = Math.max(0, skipDepth); }
      continue;
    }
    if (name === 'title') { inTitle = !isClose; continue; }
    if (skipDepth > 0) continue;
    if (/^h[1-6]$/.test(name)) {
      flushText();
      heading = isClose ? null : Number(name[1]);
      continue;
    }
    switch (name) {
      case 'br': text += '\n'; flushText(); break;
      case 'p': case 'div': case 'section': case 'article': case 'blockquote': case 'pre': case 'dt': case 'dd':
        flushText(); break;
      case 'ul': case 'ol':
        flushText();
        if (cell) break; // lists inside a table cell stay in the cell
        if (!isClose) { listDepth++; listItems ??= []; }
        else if (--listDepth <= 0) {
          listDepth = 0;
          if (listItems?.length) blocks.push({ type: 'list', items: listItems, text: listItems.join('\n'), page: null });
          listItems = null;
        }
        break;
      case 'li': flushText(); break;
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
  }
  flushText();
  if (title && !blocks.some((b) => b.type === 'heading')) {
    blocks.unshift({ type: 'heading', level: 1, text: cleanInline(decodeEntities(title)), page: null });
  }
  return blocks;
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë',
  agrave: 'à', acirc: 'â', ccedil: 'ç', ocirc: 'ô', icirc: 'î', iuml: 'ï', ugrave: 'ù', ucirc: 'û', oelig: 'œ',
  Eacute: 'É', Egrave: 'È', Agrave: 'À', Ccedil: 'Ç', laquo: '«', raquo: '»', rsquo: '’', lsquo: '‘', hellip: '…',
  ndash: '–', mdash: '—', euro: '€', deg: '°', bull: '•', middot: '·',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
    }
    return NAMED[ent] ?? all;
  });
}
