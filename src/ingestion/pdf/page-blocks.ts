import type { Block } from '../../core/types.js';
import { BULLET_RE, cleanInline } from '../blocks/normalize.js';
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
export function pdfPagesToBlocks(printed: ReadonlyArray<{ num: number; text: string }>, headings: readonly HeadingLine[]): Block[] {
  const pages = mendPageBreaks(printed, headings);
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

const SENTENCE_END = /[.!?…]["»)\]]*(?=\s|$)/gu;
const FIRST_SENTENCE_END = new RegExp(SENTENCE_END.source, 'u');

/**
 * A sentence cut by a page break ("… l'ARS participe au financement du poste
 * de coordinateur. Son" / "engagement court sur trois ans …") is put back
 * together on the page that holds most of it, so that its quote cites that
 * page and its unit is whole. Only a page whose next one opens in lower case
 * is mended: a new page that starts a sentence, a list or a title is left alone.
 */
export function mendPageBreaks(pages: ReadonlyArray<{ num: number; text: string }>, headings: readonly HeadingLine[] = []): Array<{ num: number; text: string }> {
  const printed = new Set(headings.map((h) => `${h.page}:${squash(h.text)}`));
  const lines = pages.map((p) => p.text.split('\n'));
  for (let i = 0; i + 1 < pages.length; i++) {
    const a = lines[i]!;
    const b = lines[i + 1]!;
    const aEnd = lastIndexWhere(a, (l) => l.trim() !== '');
    const bStart = b.findIndex((l) => l.trim() !== '');
    if (aEnd < 0 || bStart < 0) continue;
    const last = a[aEnd]!.trim();
    const first = b[bStart]!.trim();
    if (!/^\p{Ll}/u.test(first) || /[.!?…:;»)]$/.test(last) || BULLET_RE.test(first) || BULLET_RE.test(last)) continue;
    if (printed.has(`${pages[i]!.num}:${squash(last)}`) || printed.has(`${pages[i + 1]!.num}:${squash(first)}`)) continue;
    // The unfinished sentence of page a: the text of its last paragraph after its last sentence end.
    let aStart = aEnd;
    while (aStart > 0 && a[aStart - 1]!.trim() !== '' && !BULLET_RE.test(a[aStart]!)) aStart--;
    const paraA = a.slice(aStart, aEnd + 1).join('\n');
    const cut = [...paraA.matchAll(SENTENCE_END)].pop();
    const keep = cut ? paraA.slice(0, cut.index + cut[0].length) : '';
    const tail = paraA.slice(keep.length).trim();
    // Its end on page b: the first paragraph's text up to its first sentence end, list lines aside.
    let bEnd = bStart;
    while (bEnd + 1 < b.length && b[bEnd + 1]!.trim() !== '' && !BULLET_RE.test(b[bEnd + 1]!)) bEnd++;
    const paraB = b.slice(bStart, bEnd + 1).join('\n');
    const stop = FIRST_SENTENCE_END.exec(paraB);
    const headEnd = stop ? stop.index + stop[0].length : paraB.length;
    const head = paraB.slice(0, headEnd).trim();
    const rest = paraB.slice(headEnd).trim();
    if (tail.length <= head.length) {
      a.splice(aStart, aEnd + 1 - aStart, ...(keep ? [keep] : []));
      b.splice(bStart, 1, `${tail}\n${b[bStart]!}`);
    } else {
      a.splice(aEnd + 1, 0, head);
      b.splice(bStart, bEnd + 1 - bStart, ...(rest ? [rest] : []));
    }
    lines[i] = a.join('\n').split('\n');
    lines[i + 1] = b.join('\n').split('\n');
  }
  return pages.map((p, i) => ({ num: p.num, text: lines[i]!.join('\n') }));
}

function lastIndexWhere<T>(xs: readonly T[], ok: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (ok(xs[i]!)) return i;
  return -1;
}
