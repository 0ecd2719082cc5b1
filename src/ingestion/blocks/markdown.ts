import type { Block } from '../../core/types.js';
import { BULLET_RE, cleanInline, stripBullet } from './normalize.js';

/** Markdown → blocks: headings, lists (kept whole), tables, paragraphs. */
export function markdownToBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: string[] = [];
  let table: string[][] = [];

  const flush = (): void => {
    if (para.length) {
      const text = cleanInline(stripInlineMarkup(para.join(' ')));
      if (text) blocks.push({ type: 'paragraph', text, page: null });
      para = [];
    }
    if (list.length) {
      const items = list.map((i) => cleanInline(stripInlineMarkup(i))).filter(Boolean);
      if (items.length) blocks.push({ type: 'list', items, text: items.join('\n'), page: null });
      list = [];
    }
    if (table.length) {
      const rows = table.filter((r) => !r.every((c) => /^:?-{2,}:?$/.test(c) || c === ''));
      if (rows.length) blocks.push({ type: 'table', rows, text: rows.map((r) => r.join(' | ')).join('\n'), page: null });
      table = [];
    }
  };

  let inFence = false;
  for (const line of lines) {
    // Blockquotes ("> PTSM de …") are read as plain lines.
    const raw = line.replace(/^\s*>\s?/, '');
    if (/^\s*```/.test(raw)) { inFence = !inFence; continue; }
    const heading = !inFence && /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1]!.length, text: cleanInline(stripInlineMarkup(heading[2]!)), page: null });
    } else if (!inFence && /^\s*\|.*\|\s*$/.test(raw)) {
      if (para.length || list.length) { const t = table; table = []; flush(); table = t; }
      table.push(raw.trim().replace(/^\||\|$/g, '').split('|').map((c) => cleanInline(stripInlineMarkup(c))));
    } else if (!inFence && BULLET_RE.test(raw)) {
      if (para.length || table.length) { const l = list; list = []; flush(); list = l; }
      list.push(stripBullet(raw));
    } else if (raw.trim() === '') {
      flush();
    } else if (list.length && /^\s{2,}\S/.test(raw)) {
      // Continuation of the previous list item.
      list[list.length - 1] += ' ' + raw.trim();
    } else if (/^\s*[-=]{3,}\s*$/.test(raw) && para.length === 1) {
      // Setext heading: "Titre" underlined with === or ---.
      const text = cleanInline(stripInlineMarkup(para[0]!));
      para = [];
      blocks.push({ type: 'heading', level: raw.includes('=') ? 1 : 2, text, page: null });
    } else {
      if (list.length || table.length) flush();
      // "**Pilote :** Mme X" lines are separate fields even without a blank line between them.
      if (para.length && /^\s*(\*\*|__)[^*_]{2,60}(\*\*|__)/.test(raw)) flush();
      para.push(raw.trim());
    }
  }
  flush();
  return blocks;
}

function stripInlineMarkup(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(^|\W)[*_](\S[^*_]*?)[*_](?=\W|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1');
}
