import {
  AlignmentType, BorderStyle, Document, Footer, HeadingLevel, Packer, PageNumber, Paragraph, ShadingType, Table,
  TableCell, TableRow, TextRun, VerticalAlign, WidthType,
} from 'docx';
import type { Fiche } from '../../core/fiche.js';
import {
  type DraftView, type FicheSection, TEXTS, ficheHeading, ficheSections, formatSourceDocument,
  formatSources, formatTitleSources, missingLabels, titleSources,
} from './labels.js';

export interface DocxOptions {
  draft?: DraftView;
}

// A4 with 2 cm margins, in twips: Word and LibreOffice both honour fixed widths, not always percentages.
const PAGE = { width: 11906, height: 16838, margin: 1134 };
const LABEL_WIDTH = 2800;
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin - LABEL_WIDTH;
const LABEL_FILL = 'DCE6F1';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '808080' };

/** Characters XML 1.0 forbids (pasted control codes, lone surrogates) make Word refuse the file. */
function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

const run = (t: string, extra: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}) =>
  new TextRun({ text: xmlSafe(t), ...extra });

function cellParagraphs(section: FicheSection, draft: DraftView | undefined): Paragraph[] {
  const out: Paragraph[] = [];
  if (section.empty) {
    out.push(new Paragraph({ children: [run(draft ? TEXTS.toComplete : TEXTS.notFilled, { italics: true, color: '808080' })] }));
  } else if (section.kind === 'list' && section.lines.length > 1) {
    for (const line of section.lines) out.push(new Paragraph({ bullet: { level: 0 }, children: [run(line)] }));
  } else {
    for (const line of section.lines) out.push(new Paragraph({ spacing: { after: 80 }, children: [run(line)] }));
  }
  if (draft && section.sources.length > 0) {
    out.push(new Paragraph({ children: [run(formatSources(section.sources), { italics: true, size: 16, color: '808080' })] }));
  }
  return out;
}

function row(label: string, children: Paragraph[]): TableRow {
  const borders = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };
  return new TableRow({
    cantSplit: false,
    children: [
      new TableCell({
        width: { size: LABEL_WIDTH, type: WidthType.DXA },
        shading: { type: ShadingType.CLEAR, fill: LABEL_FILL, color: 'auto' },
        verticalAlign: VerticalAlign.TOP,
        borders,
        children: [new Paragraph({ children: [run(label, { bold: true })] })],
      }),
      new TableCell({ width: { size: CONTENT_WIDTH, type: WidthType.DXA }, verticalAlign: VerticalAlign.TOP, borders, children }),
    ],
  });
}

function draftBlock(draft: DraftView): Paragraph[] {
  const out = [new Paragraph({ spacing: { after: 120 }, children: [run(TEXTS.draftNotice, { bold: true, color: 'C0504D' })] })];
  const tSources = titleSources(draft);
  if (tSources.length > 0) out.push(new Paragraph({ children: [run(formatTitleSources(tSources), { italics: true, size: 18 })] }));
  const missing = missingLabels(draft.missing);
  if (missing.length > 0) {
    out.push(new Paragraph({ children: [run(`${TEXTS.toComplete} :`, { bold: true })] }));
    for (const m of missing) out.push(new Paragraph({ bullet: { level: 0 }, children: [run(m)] }));
  }
  out.push(new Paragraph({ children: [] }));
  return out;
}

/**
 * The fiche as a .docx in the layout French administrations use: a title and
 * a two-column table (label | content) with every row of the fiche, empty rows
 * included so the ARS sees what is not filled in.
 */
export async function renderFicheDocx(fiche: Fiche, opts: DocxOptions = {}): Promise<Buffer> {
  const { draft } = opts;
  const heading = ficheHeading(fiche);
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { after: 120 }, children: [run(heading)] }),
  ];
  const doc = formatSourceDocument(fiche);
  if (doc) children.push(new Paragraph({ spacing: { after: 200 }, children: [run(`${TEXTS.source} : ${doc}`, { italics: true, size: 18 })] }));
  if (draft) children.push(...draftBlock(draft));

  const rows = ficheSections(fiche, draft).map((s) => row(s.label, cellParagraphs(s, draft)));
  children.push(new Table({ width: { size: LABEL_WIDTH + CONTENT_WIDTH, type: WidthType.DXA }, columnWidths: [LABEL_WIDTH, CONTENT_WIDTH], rows }));

  const document = new Document({
    creator: 'ptsm-assistant',
    title: xmlSafe(heading),
    description: xmlSafe(`${TEXTS.ficheAction} ${fiche.id}`),
    styles: { default: { document: { run: { font: 'Calibri', size: 22, language: { value: 'fr-FR' } } } } },
    sections: [{
      properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } } },
      footers: {
        default: new Footer({
          children: [new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [run(`${TEXTS.generatedBy} — page `, { size: 16, color: '808080' }), new TextRun({ children: [PageNumber.CURRENT], size: 16, color: '808080' })],
          })],
        }),
      },
      children,
    }],
  });
  return Packer.toBuffer(document);
}
