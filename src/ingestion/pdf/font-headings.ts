import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * A PDF's text layer says nothing of headings: a title wrapped over two lines
 * comes out as two plain lines, and the first document of a collected PDF
 * ("recueil") lends its last section heading to every later one. What tells a
 * title apart is its font size, which pdf-parse's public API does not expose:
 * this reads it from pdf.js (the same library pdf-parse wraps) and names the
 * lines printed larger than the body text, with a level per size.
 */

/** One printed line of a page, with the largest font size of its items. */
export interface SizedLine { text: string; size: number }

/** A line printed in a heading size: level 1 is the largest size. */
export interface HeadingLine { page: number; text: string; level: number }

/** How a size becomes a heading size: the thresholds are data, the rule below reads them. */
export const FONT_HEADING_RULES = {
  /** A heading is printed at least this much larger than the body text. */
  minRatio: 1.15,
  /** A size that holds more than this share of the characters is body text (a poster, a slide deck), not headings. */
  maxShare: 0.25,
  /** Longer lines are prose in a large font, not titles. */
  maxChars: 200,
  /** Sizes beyond this many are folded into the last level. */
  maxLevels: 3,
} as const;

/** Reads every page's lines with their font size. Sizes are rounded to a tenth of a point: pdf.js reports 11.9999. */
export async function readSizedLines(data: Uint8Array): Promise<SizedLine[][]> {
  // A copy: pdf.js transfers (detaches) the buffer it is given.
  const doc = await pdfjs.getDocument({ data: data.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: pdfjs.VerbosityLevel.ERRORS }).promise;
  try {
    const pages: SizedLine[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const lines: SizedLine[] = [];
      let text = '';
      let size = 0;
      let lastY: number | null = null;
      const end = (): void => {
        if (text.trim()) lines.push({ text: text.trim(), size: Math.round(size * 10) / 10 });
        text = '';
        size = 0;
      };
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const y = item.transform[5] as number;
        if (lastY !== null && Math.abs(y - lastY) > 1 && text) end();
        text += item.str;
        if (item.str.trim()) size = Math.max(size, item.height);
        lastY = y;
        if (item.hasEOL) end();
      }
      end();
      pages.push(lines);
      page.cleanup();
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** The lines printed in a heading size, each with its level; none when the PDF uses one size (or too many for titles). */
export function headingLines(pages: readonly SizedLine[][], rules = FONT_HEADING_RULES): HeadingLine[] {
  const chars = new Map<number, number>();
  let total = 0;
  for (const line of pages.flat()) {
    chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
    total += line.text.length;
  }
  if (!total) return [];
  const body = [...chars].sort((a, b) => b[1] - a[1])[0]![0];
  const sizes = [...chars]
    .filter(([size, n]) => size >= body * rules.minRatio && n / total <= rules.maxShare)
    .map(([size]) => size)
    .sort((a, b) => b - a);
  if (!sizes.length) return [];
  const levelOf = new Map(sizes.map((s, i) => [s, Math.min(i + 1, rules.maxLevels)]));
  const out: HeadingLine[] = [];
  pages.forEach((lines, i) => {
    for (const line of lines) {
      const level = levelOf.get(line.size);
      if (level !== undefined && line.text.length <= rules.maxChars) out.push({ page: i + 1, text: line.text, level });
    }
  });
  return out;
}
