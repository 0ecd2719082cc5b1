import path from 'node:path';
import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import { PtsmError } from '../core/errors.js';
import type { Block, ParsedDocument } from '../core/types.js';
import { checkArchiveLimits } from './archive.js';
import { decodeText } from './decode.js';
import { DEFAULT_INGESTION_LIMITS, formatBytes, type IngestionLimits } from './limits.js';
import { htmlToBlocks } from './blocks/html.js';
import { markdownToBlocks } from './blocks/markdown.js';
import { plainToBlocks } from './blocks/plain.js';
import { readHeaderLines } from './blocks/header-lines.js';
import { headingLines, readSizedLines, type HeadingLine } from './pdf/font-headings.js';
import { pdfPagesToBlocks } from './pdf/page-blocks.js';

/** A loader turns the bytes of one file format into blocks. Add a format by adding one here. */
export interface Loader {
  extensions: readonly string[];
  /**
   * Version of how this format is read into blocks. Raised when a change to the
   * reading would give an unchanged file other passages (PDF titles from font
   * sizes): the next `ptsm index` reads such files again instead of keeping them.
   */
  reader: number;
  /** `limits` bound what reading the file may cost (archives, PDF pages): checked before the expensive work. */
  load(buf: Buffer, source: string, limits?: IngestionLimits): Promise<ParsedDocument>;
}

const markdownLoader: Loader = {
  extensions: ['.md', '.markdown'],
  // 2: numbered list items keep their number in passages.
  reader: 2,
  async load(buf, source) {
    return finish(markdownToBlocks(decodeText(buf, source).text), source, null);
  },
};

const textLoader: Loader = {
  extensions: ['.txt', '.text'],
  // 2: numbered list items keep their number in passages.
  reader: 2,
  async load(buf, source) {
    const header = readHeaderLines(decodeText(buf, source).text);
    const doc = finish(plainToBlocks(header.body), source, null);
    return header.title ? { ...doc, title: header.title.slice(0, 200) } : doc;
  },
};

const htmlLoader: Loader = {
  extensions: ['.html', '.htm'],
  // 2: items of a numbered list keep their number in passages.
  reader: 2,
  async load(buf, source) {
    return finish(htmlToBlocks(decodeText(buf, source).text), source, null);
  },
};

const docxLoader: Loader = {
  extensions: ['.docx'],
  // 2: items of a Word numbered list keep their number in passages.
  reader: 2,
  async load(buf, source, limits = DEFAULT_INGESTION_LIMITS) {
    if (buf.length === 0) throw new PtsmError('INPUT_EMPTY', `Fichier vide : ${source}`, { input: source });
    if (buf.subarray(0, 2).toString('latin1') !== 'PK') {
      throw new PtsmError('INPUT_CORRUPT', `Document Word illisible : ${source} (ce n'est pas un fichier .docx valide)`, { input: source });
    }
    try {
      checkArchiveLimits(buf, source, limits);
    } catch (e) {
      if (e instanceof PtsmError && e.code === 'INPUT_CORRUPT') {
        throw new PtsmError('INPUT_CORRUPT', `Document Word illisible : ${source} (ce n'est pas un fichier .docx valide : ${e.message.replace(/^.*?\(|\)$/g, '')})`, { input: source, cause: e });
      }
      throw e;
    }
    let html: string;
    try {
      html = (await mammoth.convertToHtml({ buffer: buf })).value;
    } catch (cause) {
      throw new PtsmError('INPUT_CORRUPT', `Document Word illisible : ${source} (${(cause as Error).message})`, { input: source, cause });
    }
    return finish(htmlToBlocks(html), source, null);
  },
};

const pdfLoader: Loader = {
  extensions: ['.pdf'],
  // 2: headings from font sizes, parts of a collected PDF, sentences mended across page breaks. 3: numbered list items keep their number.
  reader: 3,
  async load(buf, source, limits = DEFAULT_INGESTION_LIMITS) {
    if (buf.length === 0) throw new PtsmError('INPUT_EMPTY', `Fichier vide : ${source}`, { input: source });
    if (!buf.subarray(0, 1024).toString('latin1').includes('%PDF')) {
      throw new PtsmError('INPUT_CORRUPT', `PDF illisible : ${source} (en-tête %PDF absent)`, { input: source });
    }
    if (buf.length > limits.maxPdfBytes) {
      throw new PtsmError('INPUT_UNSUPPORTED', `PDF refusé : ${source} pèse ${formatBytes(buf.length)} (au plus ${formatBytes(limits.maxPdfBytes)} permis). Découpez-le ou demandez à l'administrateur de relever la limite.`, { input: source });
    }
    const parser = new PDFParse({ data: new Uint8Array(buf) });
    let pages: Array<{ num: number; text: string }>;
    let headings: HeadingLine[] = [];
    let metaTitle: string | null = null;
    try {
      // The page count comes with the document's information, before any page is read.
      const info = await parser.getInfo();
      if (info.total > limits.maxPdfPages) {
        throw new PtsmError('INPUT_UNSUPPORTED', `PDF refusé : ${source} compte ${info.total} pages (au plus ${limits.maxPdfPages} permises). Découpez-le ou demandez à l'administrateur de relever la limite.`, { input: source });
      }
      const t = (info.info as Record<string, unknown> | undefined)?.['Title'];
      if (typeof t === 'string' && t.trim()) metaTitle = t.trim();
      const result = await parser.getText();
      pages = result.pages.map((p) => ({ num: p.num, text: p.text }));
      headings = await readPrintedHeadings(buf);
    } catch (cause) {
      if (cause instanceof PtsmError) throw cause;
      throw new PtsmError('INPUT_CORRUPT', `PDF illisible : ${source} (${(cause as Error).message ?? String(cause)})`, { input: source, cause });
    } finally {
      await parser.destroy().catch(() => undefined);
    }
    const cleaned = removeRunningLines(pages);
    const blocks = pdfPagesToBlocks(cleaned, headings);
    if (!blocks.length) {
      throw new PtsmError('INPUT_EMPTY', `PDF sans texte extractible : ${source} (document scanné ? il faudrait l'OCRiser)`, { input: source });
    }
    return finish(blocks, source, pages.length, metaTitle);
  },
};

/** Font sizes only improve the structure: a PDF whose text was read keeps it when they cannot be read. */
async function readPrintedHeadings(buf: Buffer): Promise<HeadingLine[]> {
  try {
    return headingLines(await readSizedLines(new Uint8Array(buf)));
  } catch {
    return [];
  }
}

export const LOADERS: readonly Loader[] = [markdownLoader, textLoader, htmlLoader, docxLoader, pdfLoader];

export function loaderFor(file: string): Loader | undefined {
  const ext = path.extname(file).toLowerCase();
  return LOADERS.find((l) => l.extensions.includes(ext));
}

export const SUPPORTED_EXTENSIONS: readonly string[] = LOADERS.flatMap((l) => l.extensions);

function finish(blocks: Block[], source: string, pageCount: number | null, metaTitle: string | null = null): ParsedDocument {
  if (!blocks.some((b) => b.text.trim())) {
    throw new PtsmError('INPUT_EMPTY', `Aucun texte dans : ${source}`, { input: source });
  }
  // A running header ("PTSM DE LA HAUTE-LIRONDE 2025-2030") often comes before the real title.
  const headings = blocks.filter((b) => b.type === 'heading').slice(0, 4);
  const firstHeading = headings.find((b) => /\b(fiche|fa ?\d|compte[- ]rendu|relevé de décisions|glossaire)\b/i.test(b.text))
    ?? blocks.find((b) => b.type === 'heading' && (b.level ?? 9) <= 1) ?? headings[0];
  const fallback = path.basename(source, path.extname(source)).replace(/[-_]+/g, ' ');
  // A wrapped title in a PDF comes out as the first paragraph ("Compte rendu de l'assemblée plénière … — 27 novembre 2025").
  const opening = blocks[0]!.type === 'paragraph' && /\b(fiche|compte[- ]rendu|relevé de décisions|procès-verbal|synthèse|diagnostic|projet territorial|contrat territorial)\b/i.test(blocks[0]!.text.slice(0, 80)) ? clipWords(blocks[0]!.text, 140) : null;
  const namedHeading = firstHeading && /\b(fiche|fa ?\d|compte[- ]rendu|relevé de décisions|glossaire)\b/i.test(firstHeading.text) ? firstHeading.text : null;
  const title = namedHeading ?? opening ?? firstHeading?.text ?? metaTitle ?? (blocks[0]!.text.length <= 120 ? blocks[0]!.text : fallback);
  return { title: title.slice(0, 200), blocks, pageCount };
}

function clipWords(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const dateEnd = /^(.*?\b20\d{2})\b/.exec(cut);
  return dateEnd ? dateEnd[1]! : cut.replace(/\s+\S*$/, '');
}

/** Running headers/footers ("PTSM de … — page 3/12") repeat on most pages: drop them. */
function removeRunningLines(pages: Array<{ num: number; text: string }>): Array<{ num: number; text: string }> {
  if (pages.length < 2) return pages;
  const key = (l: string): string => l.trim().replace(/\d+/g, '#');
  const counts = new Map<string, number>();
  for (const p of pages) {
    for (const k of new Set(p.text.split('\n').map(key).filter((k) => k.length > 0))) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const threshold = pages.length < 4 ? pages.length : Math.ceil(pages.length * 0.6);
  const running = new Set([...counts].filter(([, c]) => c >= threshold).map(([k]) => k));
  return pages.map((p) => ({ num: p.num, text: p.text.split('\n').filter((l) => !running.has(key(l))).join('\n') }));
}
