import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { PtsmError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { DEFAULT_INGESTION_LIMITS } from '../../src/ingestion/limits.js';
import { loaderFor } from '../../src/ingestion/loaders.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { makeDocx, makePdf, tempDir, write } from '../helpers/files.js';
import { makeDocxBomb, makeDocxWithEntries } from './bomb.js';

const refusal = async (name: string, buf: Buffer, limits = DEFAULT_INGESTION_LIMITS): Promise<PtsmError> => {
  const err = await loaderFor(name)!.load(buf, name, limits).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PtsmError);
  return err as PtsmError;
};

let bomb: Buffer;
beforeAll(async () => { bomb = await makeDocxBomb(52); });

describe('zip-based inputs are bounded before anything is inflated', () => {
  it('refuses a DOCX bomb (small file, 52 MB document.xml) by name', async () => {
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const err = await refusal('cr-copil-bombe.docx', bomb);
    expect(err.code).toBe('INPUT_UNSUPPORTED');
    expect(err.message).toContain('cr-copil-bombe.docx');
    expect(err.message).toMatch(/se décompresserait en 52 Mo \(au plus 50 Mo permis\)/);
  });

  it('refuses an entry compressed beyond the ratio limit even when the total size is allowed', async () => {
    const err = await refusal('ratio.docx', bomb, { ...DEFAULT_INGESTION_LIMITS, maxArchiveBytes: 100 * 1024 * 1024 });
    expect(err.message).toMatch(/ratio\.docx contient « word\/document\.xml », compressé \d+ fois \(au plus 100 fois permis\)/);
  });

  it('refuses an archive with too many entries', async () => {
    const err = await refusal('annexes.docx', await makeDocxWithEntries(2001));
    expect(err.message).toMatch(/annexes\.docx contient \d{4} éléments \(au plus 2000 permis\)/);
  });

  it('refuses an archive whose directory understates what an entry inflates to', async () => {
    const zip = await JSZip.loadAsync(await makeDocx('Fiche action 11', [['Pilote', ['Personne']]]));
    zip.file('word/document.xml', `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${'B'.repeat(2_000_000)}</w:t></w:r></w:p></w:body></w:document>`);
    const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    // Rewrite the declared size of document.xml (central directory and local header) to 1 KB.
    const name = Buffer.from('word/document.xml');
    for (const sig of [0x02014b50, 0x04034b50]) {
      for (let i = buf.indexOf(name); i >= 0; i = buf.indexOf(name, i + 1)) {
        const central = sig === 0x02014b50 && buf.readUInt32LE(i - 46) === sig;
        const local = sig === 0x04034b50 && buf.readUInt32LE(i - 30) === sig;
        if (central) buf.writeUInt32LE(1024, i - 46 + 24);
        if (local) buf.writeUInt32LE(1024, i - 30 + 22);
      }
    }
    const err = await refusal('menteur.docx', buf);
    expect(err.code).toBe('INPUT_UNSUPPORTED');
    expect(err.message).toMatch(/menteur\.docx contient « word\/document\.xml », plus gros décompressé que ce qu'annonce l'archive/);
  });

  it('still reads an ordinary DOCX, and says a broken zip is not a Word file', async () => {
    const doc = await loaderFor('f.docx')!.load(await makeDocx('Fiche action 5', [['Pilote', ['CCAS']]]), 'f.docx');
    expect(doc.title).toBe('Fiche action 5');
    const err = await refusal('tronque.docx', Buffer.from('PK\u0003\u0004 tronqué'));
    expect(err.code).toBe('INPUT_CORRUPT');
    expect(err.message).toMatch(/Document Word illisible : tronque\.docx/);
  });
});

describe('PDF bounds', () => {
  it('refuses a PDF with more pages than allowed, and one too large, by name', async () => {
    const pdf = await makePdf(['Page un', 'Page deux', 'Page trois', 'Page quatre']);
    const pages = await refusal('rapport-annuel.pdf', pdf, { ...DEFAULT_INGESTION_LIMITS, maxPdfPages: 3 });
    expect(pages.code).toBe('INPUT_UNSUPPORTED');
    expect(pages.message).toMatch(/rapport-annuel\.pdf compte 4 pages \(au plus 3 permises\)/);
    const size = await refusal('rapport-annuel.pdf', pdf, { ...DEFAULT_INGESTION_LIMITS, maxPdfBytes: 1024 });
    expect(size.message).toMatch(/rapport-annuel\.pdf pèse \d+ Ko \(au plus 1 Ko permis\)/);
  });
});

describe('limits come from the configuration', () => {
  it('reads PTSM_MAX_* once, and the indexer applies them, refusing the file and indexing the rest', async () => {
    const config = loadConfig({ PTSM_MAX_PDF_PAGES: '1', PTSM_MAX_ARCHIVE_MB: '2', PTSM_MAX_ARCHIVE_ENTRIES: '50', PTSM_MAX_COMPRESSION_RATIO: '20', PTSM_MAX_PDF_MB: '5' });
    expect(config.ingestion).toEqual({ maxArchiveBytes: 2 * 1024 * 1024, maxArchiveEntries: 50, maxCompressionRatio: 20, maxPdfBytes: 5 * 1024 * 1024, maxPdfPages: 1 });
    expect(loadConfig({}).ingestion).toEqual(DEFAULT_INGESTION_LIMITS);
    expect(() => loadConfig({ PTSM_MAX_PDF_PAGES: 'beaucoup' })).toThrow(/PTSM_MAX_PDF_PAGES = « beaucoup » : valeur invalide \(nombre maximal de pages/);
    const tmp = tempDir();
    try {
      write(tmp.dir, 'corpus/deux-pages.pdf', await makePdf(['Fiche action 1', 'Suite']));
      write(tmp.dir, 'corpus/fiche.md', '# Fiche action 2\n\nPilote : CCAS.\n');
      const report = await indexPaths(['corpus'], { dataDir: path.join(tmp.dir, 'data'), embedder: new LocalHashingEmbedder(), logger: silentLogger, cwd: tmp.dir, limits: config.ingestion });
      const byName = Object.fromEntries(report.files.map((f) => [f.source, f]));
      expect(byName['corpus/fiche.md']!.status).toBe('indexed');
      expect(byName['corpus/deux-pages.pdf']).toMatchObject({ status: 'error', code: 'INPUT_UNSUPPORTED' });
      expect(byName['corpus/deux-pages.pdf']!.message).toContain('corpus/deux-pages.pdf compte 2 pages');
      expect(fs.existsSync(path.join(tmp.dir, 'data'))).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });
});
