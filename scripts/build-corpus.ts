/**
 * Builds the binary files of the sample corpus (fictional PTSM of la Haute-Lironde)
 * from the text sources in scripts/corpus-src/.
 *
 *   npx tsx scripts/build-corpus.ts            build everything into corpus/
 *   npx tsx scripts/build-corpus.ts --check    build, then read every file back
 *
 * A source's name says what it becomes:
 *   <path>.docx.md    -> corpus/<path>.docx   (Word: real headings, tables, bullet lists)
 *   <path>.pdf.md     -> corpus/<path>.pdf    (PDF, Helvetica, header/footer with page numbers)
 *   <path>.cp1252.txt -> corpus/<path>.txt    (plain text in Windows-1252 with CRLF, as old offices write)
 *
 * Source markup (a small subset of Markdown plus two blocks of our own):
 *   %% key: value        metadata lines at the top (title, author, date, header, footer, bullet)
 *   # / ## / ###         headings
 *   - item / "  - item"  bullet list, two levels (PDF draws the `bullet` character, "•" by default)
 *   1. item              numbered list
 *   | a | b |            grid table, first row is the header, |---| rows are ignored
 *   :::fiche ... :::     two-column table of a fiche action; each row starts with "@@ Label",
 *                        the lines until the next "@@" are the right cell (one paragraph per line, bullets)
 *   ===page===           page break
 *   **bold**             inline bold
 * Everything is dated from the metadata so that two builds give the same bytes.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType, BorderStyle, Document, Footer, HeadingLevel, LevelFormat, Packer, Paragraph,
  ShadingType, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import PDFDocument from 'pdfkit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC_DIR = path.join(ROOT, 'scripts', 'corpus-src');
const OUT_DIR = path.join(ROOT, 'corpus');

// ---------------------------------------------------------------------------
// Source model

interface Run { text: string; bold: boolean }
type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'para'; runs: Run[] }
  | { kind: 'bullet'; level: number; runs: Run[] }
  | { kind: 'numbered'; runs: Run[]; n: number; list: number }
  | { kind: 'grid'; rows: string[][] }
  | { kind: 'fiche'; rows: { label: string; blocks: Block[] }[] }
  | { kind: 'pagebreak' };

interface Source {
  meta: Record<string, string>;
  blocks: Block[];
}

/** `**bold**` spans; an unmatched `**` stays literal text. */
function parseRuns(text: string): Run[] {
  const runs: Run[] = [];
  const re = /\*\*(.+?)\*\*/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index), bold: false });
    runs.push({ text: m[1] ?? '', bold: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), bold: false });
  return runs;
}

let listCounter = 0;

/** In fiche cells each line is a paragraph, as people type them in a Word cell. */
function parseBlocks(lines: string[], file: string, linePerParagraph = false): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let numbered: { list: number; n: number } | null = null;
  const flush = (): void => {
    if (para.length > 0) blocks.push({ kind: 'para', runs: parseRuns(para.join(' ')) });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (!/^\d+\.\s/.test(trimmed)) numbered = null;
    if (trimmed === '') { flush(); continue; }
    if (trimmed === '===page===') { flush(); blocks.push({ kind: 'pagebreak' }); continue; }
    const heading = /^(#{1,3})\s+(.*)$/.exec(trimmed);
    if (heading && !line.startsWith(' ')) {
      flush();
      blocks.push({ kind: 'heading', level: (heading[1] ?? '#').length as 1 | 2 | 3, text: heading[2] ?? '' });
      continue;
    }
    const bullet = /^(\s*)[-•]\s+(.*)$/.exec(line);
    if (bullet) {
      flush();
      blocks.push({ kind: 'bullet', level: (bullet[1] ?? '').length >= 2 ? 1 : 0, runs: parseRuns(bullet[2] ?? '') });
      continue;
    }
    const num = /^(\d+)\.\s+(.*)$/.exec(trimmed);
    if (num) {
      flush();
      if (numbered === null) numbered = { list: ++listCounter, n: 0 };
      numbered.n++;
      blocks.push({ kind: 'numbered', runs: parseRuns(num[2] ?? ''), n: numbered.n, list: numbered.list });
      continue;
    }
    if (trimmed.startsWith('|')) {
      flush();
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('|')) {
        const cells = (lines[i] ?? '').trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
        if (!cells.every((c) => /^:?-{3,}:?$/.test(c))) rows.push(cells);
        i++;
      }
      i--;
      blocks.push({ kind: 'grid', rows });
      continue;
    }
    if (trimmed === ':::fiche') {
      flush();
      const rows: { label: string; blocks: Block[] }[] = [];
      let current: { label: string; lines: string[] } | null = null;
      const close = (): void => {
        if (current) rows.push({ label: current.label, blocks: parseBlocks(current.lines, file, true) });
      };
      i++;
      for (; i < lines.length && (lines[i] ?? '').trim() !== ':::'; i++) {
        const l = lines[i] ?? '';
        if (l.startsWith('@@ ')) { close(); current = { label: l.slice(3).trim(), lines: [] }; }
        else if (current) current.lines.push(l);
        else if (l.trim() !== '') throw new Error(`${file}: texte hors ligne dans un bloc :::fiche : « ${l} »`);
      }
      if (i >= lines.length) throw new Error(`${file}: bloc :::fiche non fermé`);
      close();
      blocks.push({ kind: 'fiche', rows });
      continue;
    }
    para.push(trimmed);
    if (linePerParagraph) flush();
  }
  flush();
  return blocks;
}

function parseSource(text: string, file: string): Source {
  listCounter = 0;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const meta: Record<string, string> = {};
  let start = 0;
  for (; start < lines.length; start++) {
    const m = /^%%\s*([\w-]+)\s*:\s*(.*)$/.exec(lines[start] ?? '');
    if (!m) break;
    meta[m[1] ?? ''] = (m[2] ?? '').trim();
  }
  if (!meta['title'] || !meta['date']) throw new Error(`${file}: métadonnées « title » et « date » obligatoires`);
  return { meta, blocks: parseBlocks(lines.slice(start), file) };
}

function fixedDate(meta: Record<string, string>, file: string): Date {
  const d = new Date(`${meta['date']}T09:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`${file}: date illisible « ${meta['date']} »`);
  return d;
}

// ---------------------------------------------------------------------------
// DOCX

const BULLETS_REF = 'puces';
const NUMBERS_REF = 'numeros';

function docxRuns(runs: Run[], size?: number): TextRun[] {
  return runs.map((r) => new TextRun({ text: r.text, bold: r.bold, ...(size ? { size } : {}) }));
}

function docxBlocks(blocks: Block[], inCell: boolean): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading': {
        const level = b.level === 1 ? HeadingLevel.HEADING_1 : b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
        out.push(new Paragraph({ text: b.text, heading: level, spacing: { before: 240, after: 120 } }));
        break;
      }
      case 'para':
        out.push(new Paragraph({ children: docxRuns(b.runs), spacing: { after: inCell ? 60 : 120 } }));
        break;
      case 'bullet':
        out.push(new Paragraph({ children: docxRuns(b.runs), numbering: { reference: BULLETS_REF, level: b.level } }));
        break;
      case 'numbered':
        out.push(new Paragraph({ children: docxRuns(b.runs), numbering: { reference: NUMBERS_REF, level: 0, instance: b.list } }));
        break;
      case 'grid':
        out.push(docxGrid(b.rows), new Paragraph({ text: '' }));
        break;
      case 'fiche':
        out.push(docxFicheTable(b.rows), new Paragraph({ text: '' }));
        break;
      case 'pagebreak':
        out.push(new Paragraph({ text: '', pageBreakBefore: true }));
        break;
    }
  }
  return out;
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '7F8C9A' };
const CELL_BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER };
const CELL_MARGINS = { top: 80, bottom: 80, left: 100, right: 100 };

/** The layout most PTSM fiches use: labels on the left, content on the right. */
function docxFicheTable(rows: { label: string; blocks: Block[] }[]): Table {
  return new Table({
    width: { size: 9600, type: WidthType.DXA },
    columnWidths: [2700, 6900],
    rows: rows.map((row) => new TableRow({
      children: [
        new TableCell({
          width: { size: 2700, type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'DCE6F1' },
          borders: CELL_BORDERS,
          margins: CELL_MARGINS,
          children: [new Paragraph({ children: [new TextRun({ text: row.label, bold: true })] })],
        }),
        new TableCell({
          width: { size: 6900, type: WidthType.DXA },
          borders: CELL_BORDERS,
          margins: CELL_MARGINS,
          children: ensureParagraph(docxBlocks(row.blocks, true)),
        }),
      ],
    })),
  });
}

function docxGrid(rows: string[][]): Table {
  const cols = Math.max(...rows.map((r) => r.length));
  const width = Math.floor(9600 / cols);
  return new Table({
    width: { size: width * cols, type: WidthType.DXA },
    columnWidths: Array.from({ length: cols }, () => width),
    rows: rows.map((cells, r) => new TableRow({
      ...(r === 0 ? { tableHeader: true } : {}),
      children: Array.from({ length: cols }, (_, c) => new TableCell({
        width: { size: width, type: WidthType.DXA },
        borders: CELL_BORDERS,
        margins: CELL_MARGINS,
        ...(r === 0 ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'DCE6F1' } } : {}),
        children: [new Paragraph({ children: docxRuns(parseRuns(cells[c] ?? '')), ...(r === 0 ? { style: 'EnteteTableau' } : {}) })],
      })),
    })),
  });
}

/** Word refuses a table cell without a paragraph. */
function ensureParagraph(children: (Paragraph | Table)[]): (Paragraph | Table)[] {
  return children.length > 0 ? children : [new Paragraph({ text: '' })];
}

/** Fixed core properties: docx would stamp the build time otherwise. */
function coreXml(meta: Record<string, string>, date: Date): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const author = esc(meta['author'] ?? 'Coordination PTSM Haute-Lironde');
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    + 'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    + 'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + `<dc:title>${esc(meta['title'] ?? '')}</dc:title><dc:creator>${author}</dc:creator>`
    + `<cp:lastModifiedBy>${author}</cp:lastModifiedBy><cp:revision>1</cp:revision>`
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created>`
    + `<dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified>`
    + '</cp:coreProperties>';
}

/**
 * Rewrites the DOS date/time of every zip entry (local headers and central
 * directory): the zipper stamps the build time, which would change every build.
 */
function stampZip(buf: Buffer, date: Date): Buffer {
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip sans répertoire central');
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let e = 0; e < entries; e++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('entrée de répertoire central invalide');
    buf.writeUInt16LE(dosTime, p + 12);
    buf.writeUInt16LE(dosDate, p + 14);
    const local = buf.readUInt32LE(p + 42);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('en-tête local invalide');
    buf.writeUInt16LE(dosTime, local + 10);
    buf.writeUInt16LE(dosDate, local + 12);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return buf;
}

async function buildDocx(src: Source, file: string): Promise<Buffer> {
  const date = fixedDate(src.meta, file);
  const footerText = src.meta['footer'];
  const doc = new Document({
    creator: src.meta['author'] ?? 'Coordination PTSM Haute-Lironde',
    title: src.meta['title'] ?? '',
    styles: {
      default: { document: { run: { font: 'Calibri', size: 22 } } },
      paragraphStyles: [{ id: 'EnteteTableau', name: 'En-tête de tableau', basedOn: 'Normal', run: { bold: true } }],
    },
    numbering: {
      config: [
        {
          reference: BULLETS_REF,
          levels: [
            { level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } },
            { level: 1, format: LevelFormat.BULLET, text: '◦', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 1440, hanging: 360 } } } },
          ],
        },
        {
          reference: NUMBERS_REF,
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 360 } } } },
          ],
        },
      ],
    },
    sections: [{
      properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
      ...(footerText ? { footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: footerText, size: 16, color: '666666' })] })] }) } } : {}),
      children: docxBlocks(src.blocks, false),
    }],
  });
  const buf = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreXml(src.meta, date) }]);
  return stampZip(Buffer.from(buf), date);
}

// ---------------------------------------------------------------------------
// PDF

const FONT = 'Helvetica';
const FONT_BOLD = 'Helvetica-Bold';
const BODY_SIZE = 10.5;

type Pdf = PDFKit.PDFDocument;

function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Leaves room for `needed` points, or starts a new page. */
function ensureSpace(doc: Pdf, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/**
 * French word processors keep "212 000 €", "80 %" and "n° 4" on one line with
 * no-break spaces; without them pdfkit would split amounts across lines.
 */
function noBreakSpaces(text: string): string {
  return text
    .replace(/(\d) (?=\d{3}\b)/g, '$1\u00A0')
    .replace(/ (?=[€%])/g, '\u00A0')
    .replace(/n° /g, 'n°\u00A0');
}

function pdfRuns(doc: Pdf, runs: Run[], x: number, width: number, size = BODY_SIZE): void {
  runs.forEach((r, i) => {
    doc.font(r.bold ? FONT_BOLD : FONT).fontSize(size);
    const opts = { width, lineGap: 2, continued: i < runs.length - 1 };
    if (i === 0) doc.text(noBreakSpaces(r.text), x, doc.y, opts);
    else doc.text(noBreakSpaces(r.text), opts);
  });
}

function runsHeight(doc: Pdf, runs: Run[], width: number, size = BODY_SIZE): number {
  doc.font(FONT).fontSize(size);
  // Bold is wider than regular: measure it in bold to stay on the safe side.
  const anyBold = runs.some((r) => r.bold);
  if (anyBold) doc.font(FONT_BOLD);
  return doc.heightOfString(runs.map((r) => r.text).join(''), { width, lineGap: 2 });
}

function pdfBlocks(doc: Pdf, blocks: Block[], x: number, width: number, bulletChar: string): void {
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading': {
        const size = b.level === 1 ? 16 : b.level === 2 ? 13 : 11.5;
        doc.font(FONT_BOLD).fontSize(size);
        ensureSpace(doc, doc.heightOfString(b.text, { width }) + 40);
        doc.moveDown(b.level === 1 ? 0.3 : 0.6);
        doc.fillColor(b.level === 3 ? '#000000' : '#1F3864').text(b.text, x, doc.y, { width });
        doc.fillColor('#000000').moveDown(0.3);
        break;
      }
      case 'para':
        ensureSpace(doc, Math.min(runsHeight(doc, b.runs, width), 40));
        pdfRuns(doc, b.runs, x, width);
        doc.moveDown(0.4);
        break;
      case 'bullet':
      case 'numbered': {
        const indent = b.kind === 'bullet' ? 14 + b.level * 16 : 14;
        const marker = b.kind === 'bullet' ? (b.level === 0 ? bulletChar : '-') : `${b.n}.`;
        const textWidth = width - indent - 12;
        ensureSpace(doc, Math.min(runsHeight(doc, b.runs, textWidth), 30));
        const y = doc.y;
        doc.font(FONT).fontSize(BODY_SIZE).text(marker, x + indent - 2, y, { lineBreak: false });
        doc.y = y;
        pdfRuns(doc, b.runs, x + indent + 10, textWidth);
        doc.moveDown(0.15);
        break;
      }
      case 'grid':
        pdfGrid(doc, b.rows, x, width);
        break;
      case 'fiche':
        pdfFiche(doc, b.rows, x, width, bulletChar);
        break;
      case 'pagebreak':
        doc.addPage();
        break;
    }
  }
}

function pdfGrid(doc: Pdf, rows: string[][], x: number, width: number): void {
  const cols = Math.max(...rows.map((r) => r.length));
  // First column gets more room: it usually holds the label (a fiche, an item).
  const widths = cols === 1 ? [width] : [width * (cols > 2 ? 0.4 : 0.55), ...Array.from({ length: cols - 1 }, () => (width * (cols > 2 ? 0.6 : 0.45)) / (cols - 1))];
  const pad = 4;
  doc.moveDown(0.3);
  rows.forEach((cells, r) => {
    const font = r === 0 ? FONT_BOLD : FONT;
    doc.font(font).fontSize(9.5);
    const h = Math.max(...widths.map((w, c) => doc.heightOfString(noBreakSpaces(cells[c] ?? ''), { width: w - 2 * pad }))) + 2 * pad;
    ensureSpace(doc, h);
    const y = doc.y;
    let cx = x;
    widths.forEach((w, c) => {
      if (r === 0) doc.rect(cx, y, w, h).fillAndStroke('#DCE6F1', '#7F8C9A').fillColor('#000000');
      else doc.rect(cx, y, w, h).strokeColor('#7F8C9A').stroke();
      doc.font(font).fontSize(9.5).text(noBreakSpaces(cells[c] ?? ''), cx + pad, y + pad, { width: w - 2 * pad });
      cx += w;
    });
    doc.y = y + h;
  });
  doc.x = x;
  doc.moveDown(0.6);
}

/**
 * Two-column fiche table. The label is written before the content so that text
 * extraction reads "Pilote(s)  Mme X"; borders are drawn last, once the height is known.
 */
function pdfFiche(doc: Pdf, rows: { label: string; blocks: Block[] }[], x: number, width: number, bulletChar: string): void {
  const labelW = width * 0.28;
  const pad = 5;
  for (const row of rows) {
    ensureSpace(doc, 40);
    const top = doc.y;
    const page = doc.bufferedPageRange().count;
    doc.font(FONT_BOLD).fontSize(BODY_SIZE).text(row.label, x + pad, top + pad, { width: labelW - 2 * pad });
    const labelBottom = doc.y;
    doc.y = top + pad;
    pdfBlocks(doc, row.blocks, x + labelW + pad, width - labelW - 2 * pad, bulletChar);
    // A row split across pages keeps its text; only its frame is dropped.
    if (doc.bufferedPageRange().count === page) {
      const bottom = Math.max(doc.y, labelBottom) + pad;
      doc.rect(x, top, labelW, bottom - top).strokeColor('#7F8C9A').stroke();
      doc.rect(x + labelW, top, width - labelW, bottom - top).strokeColor('#7F8C9A').stroke();
      doc.y = bottom;
    }
  }
  doc.x = x;
  doc.moveDown(0.6);
}

function buildPdf(src: Source, file: string): Promise<Buffer> {
  const date = fixedDate(src.meta, file);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 62, right: 62 },
    bufferPages: true,
    info: {
      Title: src.meta['title'] ?? '',
      Author: src.meta['author'] ?? 'Coordination PTSM Haute-Lironde',
      Creator: 'PTSM Haute-Lironde',
      Producer: 'PTSM Haute-Lironde',
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const x = doc.page.margins.left;
  pdfBlocks(doc, src.blocks, x, contentWidth(doc), src.meta['bullet'] ?? '•');

  // Running header and "page n/N" footer, written once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { top, bottom } = doc.page.margins;
    // Writing inside the margins would make pdfkit open a new page.
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    doc.font(FONT).fontSize(8).fillColor('#666666');
    if (src.meta['header']) doc.text(src.meta['header'], x, 30, { width: contentWidth(doc), align: 'left', lineBreak: false });
    const footer = `${src.meta['footer'] ?? ''}${src.meta['footer'] ? ' — ' : ''}page ${i + 1}/${range.count}`;
    doc.text(footer, x, doc.page.height - 40, { width: contentWidth(doc), align: 'right', lineBreak: false });
    doc.fillColor('#000000');
    doc.page.margins.top = top;
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

// ---------------------------------------------------------------------------
// Windows-1252 text

/** The characters Windows-1252 puts in 0x80–0x9F, where Latin-1 has controls. */
const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
  'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
  '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

function encodeWindows1252(text: string, file: string): Buffer {
  const latin1: string[] = [];
  for (const ch of text.replace(/\r?\n/g, '\r\n')) {
    const code = ch.codePointAt(0) ?? 0;
    const extra = CP1252_EXTRA[ch];
    if (extra !== undefined) latin1.push(String.fromCharCode(extra));
    else if (code <= 0xff && (code < 0x80 || code > 0x9f)) latin1.push(ch);
    else throw new Error(`${file}: caractère « ${ch} » (U+${code.toString(16)}) impossible en Windows-1252`);
  }
  return Buffer.from(latin1.join(''), 'latin1');
}

// ---------------------------------------------------------------------------
// Driver

async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await listSources(full));
    else out.push(full);
  }
  return out.sort();
}

async function buildOne(file: string): Promise<string | null> {
  const rel = path.relative(SRC_DIR, file);
  const text = await fs.readFile(file, 'utf8');
  let target: string;
  let bytes: Buffer;
  if (rel.endsWith('.docx.md')) {
    target = rel.slice(0, -'.md'.length);
    bytes = await buildDocx(parseSource(text, rel), rel);
  } else if (rel.endsWith('.pdf.md')) {
    target = rel.slice(0, -'.md'.length);
    bytes = await buildPdf(parseSource(text, rel), rel);
  } else if (rel.endsWith('.cp1252.txt')) {
    target = rel.replace(/\.cp1252\.txt$/, '.txt');
    bytes = encodeWindows1252(text, rel);
  } else {
    return null;
  }
  const out = path.join(OUT_DIR, target);
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, bytes);
  return path.relative(ROOT, out);
}

/** Reads every built file back the way the indexer will, and fails loudly on a bad one. */
async function check(files: string[]): Promise<void> {
  const { PDFParse } = await import('pdf-parse');
  const mammoth = await import('mammoth');
  for (const rel of files) {
    const full = path.join(ROOT, rel);
    if (rel.endsWith('.pdf')) {
      const parser = new PDFParse({ data: await fs.readFile(full) });
      const result = await parser.getText();
      await parser.destroy();
      const all = result.pages.map((p) => p.text).join('\n');
      const problems: string[] = [];
      if (!/[éèàç]/.test(all)) problems.push('aucun accent');
      if (/\uFFFD/.test(all)) problems.push('caractère de remplacement');
      console.log(`  ${rel}: ${result.pages.length} page(s), ${all.length} caractères${problems.length ? ` — PROBLÈME : ${problems.join(', ')}` : ''}`);
      if (problems.length) process.exitCode = 1;
    } else if (rel.endsWith('.docx')) {
      const { value } = await mammoth.convertToHtml({ path: full });
      const h = (value.match(/<h[12]>/g) ?? []).length;
      const tables = (value.match(/<table>/g) ?? []).length;
      const lists = (value.match(/<ul>/g) ?? []).length;
      console.log(`  ${rel}: ${h} titre(s) h1/h2, ${tables} tableau(x), ${lists} liste(s)${h === 0 ? ' — PROBLÈME : aucun titre' : ''}`);
      if (h === 0) process.exitCode = 1;
    } else {
      const buf = await fs.readFile(full);
      const valid = (() => { try { new TextDecoder('utf-8', { fatal: true }).decode(buf); return true; } catch { return false; } })();
      console.log(`  ${rel}: ${buf.length} octets, ${valid ? 'UTF-8 valide' : 'pas UTF-8 (Windows-1252 attendu)'}`);
    }
  }
}

async function main(): Promise<void> {
  const built: string[] = [];
  for (const file of await listSources(SRC_DIR)) {
    const out = await buildOne(file);
    if (out) built.push(out);
  }
  console.log(`${built.length} fichier(s) générés dans corpus/ :`);
  for (const f of built) console.log(`  ${f}`);
  if (process.argv.includes('--check')) {
    console.log('Relecture :');
    await check(built);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
