import type { Block } from '../../core/types.js';
import { cleanInline } from '../blocks/normalize.js';
import { joinWrapped, plainToBlocks } from '../blocks/plain.js';
import type { HeadingLine } from './font-headings.js';

/**
 * PDF pages → blocks. The text is pdf-parse's; the lines printed in a heading
 * size (./font-headings.ts) become heading blocks, a title wrapped over
 * several lines becomes one heading, and the headings the text alone suggests
 * (plain.ts: ALL CAPS, "2.1 …") nest below the printed ones. When the largest
 * size titles two pages or more, the file gathers several documents: each of
 * those titles starts a part, which passages and name checks never cross.
 */
export function pdfPagesToBlocks(pages: ReadonlyArray<{ num: number; text: string }>, headings: readonly HeadingLine[]): Block[] {
  if (!headings.length) return pages.flatMap((p) => plainToBlocks(p.text, p.num));
  const printedLevels = Math.max(...headings.map((h) => h.level));
  const titledPages = new Set(headings.filter((h) => h.level === 1).map((h) => h.page));
  const collected = titledPages.size >= 2;
  const blocks: Block[] = [];
  for (const p of pages) {
    const expected = headings.filter((h) => h.page === p.num);
    let next = 0;
    let body: string[] = [];
    let title: { level: number; lines: string[] } | null = null;
    const flushBody = (): void => {
      if (body.length) blocks.push(...plainToBlocks(body.join('\n'), p.num).map((b) => (b.type === 'heading' ? { ...b, level: (b.level ?? 3) + printedLevels } : b)));
      body = [];
    };
    const flushTitle = (): void => {
      if (!title) return;
      const text = cleanInline(joinWrapped(title.lines));
      if (text) blocks.push({ type: 'heading', level: title.level, text, page: p.num, ...(collected && title.level === 1 ? { part: true } : {}) });
      title = null;
    };
    for (const line of p.text.split('\n')) {
      // pdf-parse separates cells with tabs and may space items differently: compare without whitespace.
      const key = squash(line);
      const at = key ? expected.findIndex((h, i) => i >= next && squash(h.text) === key) : -1;
      if (at >= 0) {
        next = at + 1;
        const level = expected[at]!.level;
        flushBody();
        if (title && title.level !== level) flushTitle();
        title ??= { level, lines: [] };
        title.lines.push(line.trim());
        continue;
      }
      flushTitle();
      body.push(line);
    }
    flushTitle();
    flushBody();
  }
  return blocks;
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}
