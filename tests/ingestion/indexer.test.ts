import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtsmError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import type { Embedder } from '../../src/search/embedders/embedder.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { currentGeneration, readSnapshot } from '../../src/search/snapshot.js';
import { makeDocx, makePdf, tempDir, write } from '../helpers/files.js';

let tmp: { dir: string; cleanup: () => void };
let corpus: string;
let dataDir: string;
const embedder = new LocalHashingEmbedder();

beforeEach(() => {
  tmp = tempDir();
  corpus = path.join(tmp.dir, 'corpus');
  dataDir = path.join(tmp.dir, 'data');
});
afterEach(() => tmp.cleanup());

const run = (paths: string[], e: Embedder = embedder) => indexPaths(paths, { dataDir, embedder: e, logger: silentLogger, cwd: tmp.dir });

describe('indexPaths', () => {
  it('indexes the good files, names each bad one with its reason, and keeps going', async () => {
    write(corpus, 'fiches/fa04-pair-aidance.md', '# Fiche action 4 : Pair-aidance\n\n## Pilote\n\nMme Céline Vasseur (GEM L’Escale)\n\n## Objectifs\n\n- Recruter deux médiateurs de santé pairs\n');
    write(corpus, 'comptes-rendus/cr-copil.txt', Buffer.from('Compte rendu du COPIL du 12 mars 2026\n\nDécision : le budget de la fiche logement est voté.', 'latin1'));
    write(corpus, 'fiches/fa05.pdf', await makePdf(['Fiche action 5\n\nPremiers secours en santé mentale']));
    write(corpus, 'fiches/fa06.docx', await makeDocx('Fiche action 6 — Habitat', [['Pilote', ['CCAS de Vaubrun']]]));
    write(corpus, 'bad/corrompu.pdf', Buffer.from('%PDF-1.7\n1 0 obj garbage'));
    write(corpus, 'bad/vide.txt', '');
    write(corpus, 'bad/zero.docx', Buffer.alloc(0));
    write(corpus, 'bad/binaire.md', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]));
    write(corpus, 'bad/image.png', Buffer.from([0x89, 0x50]));
    const report = await run(['corpus', 'absent/nulle-part']);
    const status = Object.fromEntries(report.files.map((f) => [f.source, f.status]));
    expect(status).toMatchObject({
      'corpus/fiches/fa04-pair-aidance.md': 'indexed',
      'corpus/comptes-rendus/cr-copil.txt': 'indexed',
      'corpus/fiches/fa05.pdf': 'indexed',
      'corpus/fiches/fa06.docx': 'indexed',
      'corpus/bad/corrompu.pdf': 'error',
      'corpus/bad/vide.txt': 'error',
      'corpus/bad/zero.docx': 'error',
      'corpus/bad/binaire.md': 'error',
      'corpus/bad/image.png': 'skipped',
      'absent/nulle-part': 'error',
    });
    for (const f of report.files.filter((x) => x.status === 'error')) expect(f.message).toContain(path.basename(f.source));
    expect(report.documents).toBe(4);
    const kb = KnowledgeBase.open(dataDir, embedder);
    const kinds = Object.fromEntries(kb.manifest.documents.map((d) => [d.source, d.kind]));
    expect(kinds['corpus/fiches/fa04-pair-aidance.md']).toBe('fiche');
    expect(kinds['corpus/comptes-rendus/cr-copil.txt']).toBe('compte-rendu');
    const hits = await kb.search('pair-aidance pilote', { k: 3 });
    expect(hits[0]!.chunk.source).toBe('corpus/fiches/fa04-pair-aidance.md');
    const latin = await kb.search('budget logement voté', { k: 1 });
    expect(latin[0]!.chunk.text).toContain('Décision : le budget de la fiche logement est voté.');
    expect(kb.manifest.documents.find((d) => d.source.endsWith('cr-copil.txt'))!.date).toBe('2026-03-12');
    expect(kb.manifest.errors.map((e) => e.source)).toContain('corpus/bad/corrompu.pdf');
  });

  it('is incremental: unchanged files skipped, modified re-read, deleted removed', async () => {
    const a = write(corpus, 'a.md', '# Document A\n\nLe CLSM de Saint-Aubin se réunit chaque trimestre.');
    const b = write(corpus, 'b.md', '# Document B\n\nLa CPTS du Pays de Vaubrun porte la fiche soins somatiques.');
    await run(['corpus']);
    let report = await run(['corpus']);
    expect(report.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    fs.writeFileSync(a, '# Document A\n\nLe CLSM de Saint-Aubin se réunit chaque mois désormais.');
    fs.rmSync(b);
    report = await run(['corpus']);
    expect(report.files.find((f) => f.source === 'corpus/a.md')!.status).toBe('indexed');
    expect(report.files.find((f) => f.source === 'corpus/b.md')!.status).toBe('removed');
    const kb = KnowledgeBase.open(dataDir, embedder);
    expect(kb.manifest.documents.map((d) => d.source)).toEqual(['corpus/a.md']);
    expect([...kb.allChunks()].some((c) => c.text.includes('chaque mois'))).toBe(true);
    expect([...kb.allChunks()].some((c) => c.text.includes('chaque trimestre'))).toBe(false);
  });

  it('reads again a file that an older reader of its format indexed, and only that one', async () => {
    write(corpus, 'a.html', '<h1>Document A</h1><p>Le CLSM de Saint-Aubin se réunit chaque trimestre.</p>');
    write(corpus, 'recueil.pdf', await makePdf(['Fiche action 5\n\nPremiers secours en santé mentale']));
    await run(['corpus']);
    // The PDF was indexed before reader versions existed: its record carries none (read as version 1, older than
    // today's PDF reader). The HTML file was read by today's HTML reader.
    const file = path.join(dataDir, 'kb', currentGeneration(dataDir)!, 'kb.sqlite');
    const db = new Database(file);
    db.prepare("UPDATE documents SET record = json_remove(record, '$.reader') WHERE source LIKE '%.pdf'").run();
    db.close();
    let report = await run(['corpus']);
    expect(Object.fromEntries(report.files.map((f) => [f.source, f.status]))).toEqual({ 'corpus/a.html': 'unchanged', 'corpus/recueil.pdf': 'indexed' });
    report = await run(['corpus']);
    expect(report.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('keeps documents indexed from another folder, and keeps a previous version when a file turns corrupt', async () => {
    write(corpus, 'a.md', '# A\n\nGroupe d’entraide mutuelle L’Escale.');
    const pdfPath = write(tmp.dir, 'autre/fiche.pdf', await makePdf(['Fiche action 9\n\nTélépsychiatrie en zone rurale']));
    await run(['corpus']);
    await run(['autre']);
    fs.writeFileSync(pdfPath, '%PDF-1.4 broken');
    const report = await run(['autre']);
    expect(report.files[0]).toMatchObject({ source: 'autre/fiche.pdf', status: 'error' });
    expect(report.files[0]!.message).toContain('version précédente conservée');
    const kb = KnowledgeBase.open(dataDir, embedder);
    expect(kb.manifest.documents.map((d) => d.source).sort()).toEqual(['autre/fiche.pdf', 'corpus/a.md']);
    expect((await kb.search('télépsychiatrie', { k: 1 }))[0]!.chunk.source).toBe('autre/fiche.pdf');
  });

  it('leaves the previous index intact when indexing crashes midway', async () => {
    write(corpus, 'a.md', '# A\n\nPremiers secours en santé mentale.');
    await run(['corpus']);
    const before = currentGeneration(dataDir);
    write(corpus, 'b.md', '# B\n\nPrévention du suicide, dispositif VigilanS.');
    const failing: Embedder = {
      id: embedder.id,
      dimensions: embedder.dimensions,
      embedQuery: (t) => embedder.embedQuery(t),
      embedDocuments: async () => { throw new PtsmError('EMBEDDER_FAILED', 'panne simulée'); },
    };
    await expect(run(['corpus'], failing)).rejects.toThrow('panne simulée');
    expect(currentGeneration(dataDir)).toBe(before);
    expect(readSnapshot(dataDir)!.manifest.documents.map((d) => d.source)).toEqual(['corpus/a.md']);
    // A half-written generation left by a crash does not disturb the next run.
    fs.mkdirSync(path.join(dataDir, 'kb', '.tmp-gen-crashed'));
    const report = await run(['corpus']);
    expect(report.documents).toBe(2);
    expect(fs.existsSync(path.join(dataDir, 'kb', '.tmp-gen-crashed'))).toBe(false);
  });

  it('produces no index when nothing could be indexed', async () => {
    write(corpus, 'vide.md', '');
    const report = await run(['corpus']);
    expect(report.generation).toBeNull();
    expect(readSnapshot(dataDir)).toBeNull();
  });
});
