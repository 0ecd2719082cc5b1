import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import mammoth from 'mammoth';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFicheDocx } from '../../../src/fiches/render/docx.js';
import { SECTION_LABELS, SECTION_ORDER } from '../../../src/fiches/render/labels.js';
import { draftFiche, draftView, emptyFiche, expectedContent, fullFiche, hugeFiche } from './fixtures.js';

/** Reads a zip's entries through its central directory (enough for a .docx: stored or deflated). */
function unzip(buf: Buffer): Map<string, string> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const compSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + compSize);
    out.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'ptsm-docx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function text(buf: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer: buf })).value;
}

describe('renderFicheDocx', () => {
  it('writes a valid .docx holding every filled field of a full fiche', async () => {
    const buf = await renderFicheDocx(fullFiche);
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    // Round trip through a real file, as a user would open it.
    const file = join(dir, 'fiche.docx');
    writeFileSync(file, buf);
    const raw = (await mammoth.extractRawText({ path: file })).value;
    expect(raw).toContain("Fiche action n° 7 — Créer une équipe mobile d'appui aux structures d'hébergement social");
    for (const snippet of expectedContent(fullFiche)) expect(raw).toContain(snippet);
    for (const key of SECTION_ORDER) expect(raw).toContain(SECTION_LABELS[key]);
    expect(raw).toContain('Mme Céline Vasseur (GEM L\'Escale)');
    expect(raw).toContain('Dr Karim Benali (EPSM de la Vallée)');
    expect(raw).toContain('Lancement — T2 2025 (au plus tard le 30/06/2025)');
    expect(raw).toContain('Part des demandes traitées en < 15 jours (résultat) — cible : 80 %');
    expect(raw).toContain('FIOP 2025 : 180 000 € sur trois ans.');
    expect(raw).toContain('En cours — mise à jour le 12/05/2025');
    expect(raw).toContain('Source : PTSM de la Vallée 2024-2028, p. 42');
    expect(readFileSync(file).equals(buf)).toBe(true);
  });

  it('lays the fiche out as a two-column table with bullets and a footer', async () => {
    const parts = unzip(await renderFicheDocx(fullFiche));
    expect(parts.has('[Content_Types].xml')).toBe(true);
    const doc = parts.get('word/document.xml')!;
    expect(doc).toBeDefined();
    expect(doc.match(/<w:tbl>/g)).toHaveLength(1);
    expect(doc.match(/<w:gridCol /g)).toHaveLength(2);
    // One row per canonical field plus the extra section.
    expect(doc.match(/<w:tr>|<w:tr /g)).toHaveLength(SECTION_ORDER.length + 1);
    expect(doc).toContain('<w:numPr>');
    expect(doc).toContain('CCAS &amp; centres sociaux');
    const footers = [...parts.entries()].filter(([name]) => /^word\/footer\d*\.xml$/.test(name)).map(([, xml]) => xml);
    expect(footers.some((xml) => xml.includes('Document généré par ptsm-assistant'))).toBe(true);
  });

  it('shows empty rows of an almost empty fiche as not filled in', async () => {
    const raw = await text(await renderFicheDocx(emptyFiche));
    expect(raw).toContain('Repérage précoce des troubles psychiques en milieu scolaire');
    expect(raw).toContain('Non renseigné');
    expect(raw).toContain('Brouillon — mise à jour le 10/01/2025');
    for (const key of SECTION_ORDER) expect(raw).toContain(SECTION_LABELS[key]);
  });

  it('lists what a draft misses and the sources of each field', async () => {
    const raw = await text(await renderFicheDocx(draftFiche, { draft: draftView }));
    for (const snippet of expectedContent(draftFiche)) expect(raw).toContain(snippet);
    expect(raw).toContain('À compléter');
    expect(raw).toContain('Pilote(s)');
    expect(raw).toContain('date du premier COPIL');
    expect(raw).toContain('sources : m3, m7');
    expect(raw).toContain('sources : m2, m5');
  });

  it('keeps everything of a huge fiche and strips characters XML forbids', async () => {
    const raw = await text(await renderFicheDocx(hugeFiche));
    for (const snippet of expectedContent(hugeFiche)) expect(raw).toContain(snippet);
    const dirty = await renderFicheDocx({ ...emptyFiche, context: 'Constat\u0007 partagé\u0000 en COPIL' });
    expect(await text(dirty)).toContain('Constat partagé en COPIL');
  });
});
