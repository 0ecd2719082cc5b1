import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import PDFDocument from 'pdfkit';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'ptsm-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function write(dir: string, rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** A real PDF with one string per page (pdfkit, Helvetica: encodes French accents). */
export function makePdf(pages: string[]): Promise<Buffer> {
  return renderPdf('Test', (doc) => {
    for (const p of pages) {
      doc.addPage();
      doc.font('Helvetica').fontSize(11).text(p);
    }
  });
}

/** Draws a pdfkit document and resolves with its bytes. */
function renderPdf(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, info: { Title: title, CreationDate: new Date('2025-01-01') } });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

/**
 * A real collected PDF ("recueil"): each document starts on a new page under
 * its title printed in a large font (wrapped by pdfkit when long), its body in
 * the body size, one string per page.
 */
export function makeCollectedPdf(docs: Array<{ title: string; pages: string[] }>): Promise<Buffer> {
  return renderPdf('Recueil', (doc) => {
    for (const d of docs) {
      d.pages.forEach((p, i) => {
        doc.addPage();
        if (i === 0) doc.font('Helvetica-Bold').fontSize(18).text(d.title).moveDown();
        doc.font('Helvetica').fontSize(11).text(p);
      });
    }
  });
}

/** A real DOCX: a title, then a two-column table of label → lines. */
export async function makeDocx(title: string, rows: Array<[string, string[]]>): Promise<Buffer> {
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(([label, lines]) => new TableRow({
      children: [
        new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: label, bold: true })] })] }),
        new TableCell({ children: lines.map((l) => new Paragraph({ text: l, bullet: lines.length > 1 ? { level: 0 } : undefined })) }),
      ],
    })),
  });
  const doc = new Document({ sections: [{ children: [new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }), table] }] });
  return Packer.toBuffer(doc);
}
