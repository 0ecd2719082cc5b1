import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { findFiches, getFiche, listFiches, syncRegistry } from '../../src/fiches/registry.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { readSnapshot } from '../../src/search/snapshot.js';
import { openDatabase, type SqliteDb } from '../../src/storage/sqlite.js';
import { tempDir } from '../helpers/files.js';

/** The sample corpus of the repository (PTSM of the Haute-Lironde), indexed as a user would. */
const ROOT = path.resolve(import.meta.dirname, '../..');
const hasCorpus = fs.existsSync(path.join(ROOT, 'corpus/fiches'));

describe.runIf(hasCorpus)('fiche registry on the sample corpus', () => {
  let tmp: { dir: string; cleanup: () => void };
  let db: SqliteDb;

  beforeAll(async () => {
    tmp = tempDir('ptsm-corpus-');
    const dataDir = path.join(tmp.dir, 'data');
    await indexPaths(['corpus'], { dataDir, embedder: new LocalHashingEmbedder(), logger: silentLogger, cwd: ROOT });
    db = openDatabase(path.join(dataDir, 'ptsm.sqlite'));
    syncRegistry(db, readSnapshot(dataDir), '2025-03-01T00:00:00.000Z');
  });
  afterAll(() => {
    db?.close();
    tmp?.cleanup();
  });

  it('finds at least 12 fiches, each with a pilot and a milestone', () => {
    const fiches = listFiches(db);
    expect(fiches.length).toBeGreaterThanOrEqual(12);
    const incomplete = fiches.filter((f) => f.pilots.length === 0 || f.milestones.length === 0).map((f) => f.id);
    expect(incomplete).toEqual([]);
    // Fiches come from the fiche files, not from the PTSM's summary list.
    expect(fiches.filter((f) => f.source?.path.startsWith('corpus/fiches/')).length).toBe(fiches.length);
  });

  it('answers "qui pilote la fiche sur la pair-aidance ?" with fiche 4 and its pilot', () => {
    const hit = findFiches(db, 'qui pilote la fiche sur la pair-aidance ?')[0];
    expect(hit?.fiche.number).toBe(4);
    expect(hit?.fiche.pilots[0]?.name).toMatch(/^(Mme|M\.|Dr) /);
    expect(getFiche(db, 'FA4')?.id).toBe(hit?.fiche.id);
  });
});
