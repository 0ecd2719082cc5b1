import { Lexer, type Token, type Tokens } from 'marked';
import type { Block } from '../../core/types.js';
import { decodeHtmlEntities } from '../../text/html.js';
import { htmlToBlocks } from './html.js';
import { BULLET_RE, cleanInline, listBlock, listMarker, stripBullet } from './normalize.js';

/**
 * Markdown → blocks: headings, lists (kept whole), tables (header row first),
 * paragraphs. marked's lexer reads CommonMark + GFM (tables with or without
 * outer pipes, ``` and ~~~ fences, escapes, reference links, entities);
 * this module only maps its tokens to blocks. Two habits of Word-to-Markdown
 * exports that CommonMark reads as one paragraph are kept apart, because the
 * fiche parser needs them: "**Pilote :** …" lines (one field each) and
 * "•"/"–" bullet lines (a list).
 */
export function markdownToBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  for (const token of new Lexer({ gfm: true }).lex(md)) addBlock(token, blocks);
  return blocks;
}

function addBlock(token: Token, out: Block[]): void {
  switch (token.type) {
    case 'heading': {
      const text = cleanInline(inlineText((token as Tokens.Heading).tokens));
      if (text) out.push({ type: 'heading', level: (token as Tokens.Heading).depth, text, page: null });
      return;
    }
    case 'paragraph':
      out.push(...paragraphBlocks((token as Tokens.Paragraph).tokens));
      return;
    case 'text': // loose text at the top level (rare)
      out.push(...paragraphBlocks((token as Tokens.Text).tokens ?? [token]));
      return;
    case 'list': {
      const list = token as Tokens.List;
      const items = listItems(list);
      // A numbered list keeps its numbers when nothing nested was flattened into it (the numbers would no longer line up).
      const start = typeof list.start === 'number' ? list.start : 1;
      const markers = list.ordered && items.length === list.items.length ? items.map((_item, i) => `${start + i}.`) : [];
      const block = listBlock(items, markers, null);
      if (block) out.push(block);
      return;
    }
    case 'table': {
      const t = token as Tokens.Table;
      const rows = [t.header, ...t.rows].map((r) => r.map((c) => cleanInline(inlineText(c.tokens))));
      const kept = rows.filter((r) => r.some((c) => c !== ''));
      if (kept.length) out.push({ type: 'table', rows: kept, text: kept.map((r) => r.join(' | ')).join('\n'), page: null });
      return;
    }
    case 'blockquote': // "> PTSM de …": quoted text is read like the rest
      for (const t of (token as Tokens.Blockquote).tokens) addBlock(t, out);
      return;
    case 'code': // fenced or indented: its text is content (exports, tables pasted as text), never structure
      for (const part of (token as Tokens.Code).text.split(/\n\s*\n/)) {
        const text = cleanInline(part);
        if (text) out.push({ type: 'paragraph', text, page: null });
      }
      return;
    case 'html':
      out.push(...htmlToBlocks((token as Tokens.HTML).text));
      return;
    default: // space, hr, def (reference definitions), and anything without text
      return;
  }
}

/** Labels in bold at the start of a line: "**Pilote :** Mme X". */
const FIELD_LINE_RE = /^\s*(\*\*|__)[^*_]{2,60}(\*\*|__)/;

interface Line { raw: string; tokens: Token[] }

/**
 * A paragraph's inline tokens → paragraphs and lists, line by line: a bold
 * label opens a new paragraph; lines starting with a bullet that CommonMark
 * does not know (•, –, "a)") form a list; an indented line continues its item.
 */
function paragraphBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: string[] | null = null;
  let markers: string[] = [];
  const flush = (): void => {
    const text = cleanInline(para.join(' '));
    if (text) blocks.push({ type: 'paragraph', text, page: null });
    para = [];
    const block = list ? listBlock(list, markers, null) : null;
    if (block) blocks.push(block);
    list = null;
    markers = [];
  };
  for (const line of splitLines(tokens)) {
    const text = inlineText(line.tokens);
    if (BULLET_RE.test(line.raw)) {
      if (!list) flush();
      (list ??= []).push(cleanInline(stripBullet(text)));
      markers.push(listMarker(line.raw));
    } else if (list && /^\s{2,}\S/.test(line.raw)) {
      list[list.length - 1] = cleanInline(`${list[list.length - 1]} ${text}`);
    } else {
      if (list || (para.length && FIELD_LINE_RE.test(line.raw))) flush();
      para.push(text);
    }
  }
  flush();
  return blocks;
}

/** Splits top-level inline tokens at soft and hard line breaks, keeping each line's source. */
function splitLines(tokens: Token[]): Line[] {
  const lines: Line[] = [{ raw: '', tokens: [] }];
  for (const t of tokens) {
    if (t.type === 'br') { lines.push({ raw: '', tokens: [] }); continue; }
    if (t.type === 'text' && !(t as Tokens.Text).tokens && t.raw.includes('\n')) {
      t.raw.split('\n').forEach((part, i) => {
        if (i > 0) lines.push({ raw: '', tokens: [] });
        const line = lines[lines.length - 1]!;
        line.raw += part;
        line.tokens.push({ type: 'text', raw: part, text: part } as Tokens.Text);
      });
      continue;
    }
    const line = lines[lines.length - 1]!;
    line.raw += t.raw;
    line.tokens.push(t);
  }
  return lines;
}

/** List items as lines; nested lists are flattened after their parent item (fiches read them as one list). */
function listItems(list: Tokens.List): string[] {
  const items: string[] = [];
  for (const item of list.items) {
    const own: string[] = [];
    const nested: string[] = [];
    for (const t of item.tokens) {
      if (t.type === 'list') nested.push(...listItems(t as Tokens.List));
      else if (t.type === 'text' || t.type === 'paragraph' || t.type === 'heading') own.push(inlineText((t as Tokens.Text).tokens ?? [t]));
      else if (t.type === 'code') own.push((t as Tokens.Code).text);
      else if (t.type === 'blockquote' || t.type === 'table' || t.type === 'html') {
        const inner: Block[] = [];
        addBlock(t, inner);
        own.push(...inner.map((b) => b.text));
      }
    }
    const text = cleanInline(own.join(' '));
    if (text) items.push(text);
    items.push(...nested);
  }
  return items;
}

/** Inline tokens → their text: markup, link targets and inline HTML tags dropped, escapes and entities resolved. */
function inlineText(tokens: readonly Token[] | undefined): string {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text': {
        const nested = (t as Tokens.Text).tokens;
        out += nested ? inlineText(nested) : decodeHtmlEntities((t as Tokens.Text).text);
        break;
      }
      case 'escape': case 'codespan': out += (t as Tokens.Escape).text; break;
      case 'br': out += '\n'; break;
      case 'image': out += (t as Tokens.Image).text; break;
      case 'html': if (/^<br\b/i.test(t.raw)) out += '\n'; break; // other inline tags (<span>…) have no text of their own
      case 'checkbox': break;
      default: {
        const nested = (t as { tokens?: Token[] }).tokens;
        if (nested) out += inlineText(nested);
        else if (typeof (t as { text?: unknown }).text === 'string') out += (t as { text: string }).text;
      }
    }
  }
  return out;
}
