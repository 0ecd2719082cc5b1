import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtsmError } from '../../src/core/errors.js';
import { Fiche } from '../../src/core/fiche.js';
import { silentLogger } from '../../src/core/logger.js';
import { findFiches, getFiche, listFiches, requireFiche, saveFiche, syncRegistry } from '../../src/fiches/registry.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { readSnapshot } from '../../src/search/snapshot.js';
import { openDatabase, type SqliteDb } from '../../src/storage/sqlite.js';
import { tempDir, write } from '../helpers/files.js';
import * as fx from './parse/fixtures.js';

let tmp: { dir: string; cleanup: () => void };
let dataDir: string;
let db: SqliteDb;
const embedder = new LocalHashingEmbedder();

const PTSM_SYNTHESIS = `# Projet territorial de santé mentale du Val-de-Brume — synthèse

Le projet a été adopté par l'ARS. Les fiches sont résumées ci-dessous.

### Fiche action n° 4 : Pair-aidance (résumé)

Pilote : GEM L'Escale

Échéance : 2026
`;

beforeEach(async () => {
  tmp = tempDir('ptsm-registry-');
  dataDir = path.join(tmp.dir, 'data');
  write(tmp.dir, 'corpus/fiches/fa04-pair-aidance.docx', await fx.makeRichDocx(fx.DOCX_TABLE_FICHE));
  write(tmp.dir, 'corpus/fiches/fa09-jeunes.md', fx.MARKDOWN_FICHE);
  write(tmp.dir, 'corpus/fiches/fa08-soins-somatiques.txt', fx.INLINE_TEXT_FICHE);
  write(tmp.dir, 'corpus/projet/ptsm-annexe.md', fx.MULTI_FICHE_MARKDOWN);
  write(tmp.dir, 'corpus/projet/ptsm-synthese.md', PTSM_SYNTHESIS);
  write(tmp.dir, 'corpus/comptes-rendus/cr-copil-2025-03-03.md', '# Compte rendu du COPIL du 3 mars 2025\n\nPrésents : Mme A, M. B.\n\nDécision : la fiche 4 est prolongée.\n');
  db = openDatabase(path.join(dataDir, 'ptsm.sqlite'));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

async function indexAndSync(now: string) {
  await indexPaths(['corpus'], { dataDir, embedder, logger: silentLogger, cwd: tmp.dir });
  return syncRegistry(db, readSnapshot(dataDir), now);
}

const T1 = '2025-02-01T10:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const T3 = '2025-04-01T10:00:00.000Z';

describe('syncRegistry', () => {
  it('registers every fiche of the fiche files and of the PTSM annex, once each', async () => {
    const report = await indexAndSync(T1);
    expect(report).toEqual({ added: 6, updated: 0, removed: 0, total: 6 });
    expect(listFiches(db).map((f) => f.id)).toEqual(['fa-1', 'fa-2', 'fa-4', 'fa-8', 'fa-9', 'fa-12']);
    // Fiche 4 is in its own file and in the PTSM synthesis: the fiche file wins.
    expect(getFiche(db, '4')?.source?.path).toBe('corpus/fiches/fa04-pair-aidance.docx');
    expect(getFiche(db, '4')?.pilots.map((p) => p.name)).toEqual(['Mme Céline Vasseur', 'Dr Paul Martin']);
    expect(listFiches(db).every((f) => f.updatedAt === T1 && f.status === 'validée' || f.id === 'fa-8' && f.status === 'abandonnée')).toBe(true);
  });

  it('changes nothing when the index did not change', async () => {
    await indexAndSync(T1);
    expect(await indexAndSync(T2)).toEqual({ added: 0, updated: 0, removed: 0, total: 6 });
    expect(getFiche(db, 'fa-8')?.updatedAt).toBe(T1);
  });

  it('updates a fiche whose file changed and removes fiches whose file is gone', async () => {
    await indexAndSync(T1);
    write(tmp.dir, 'corpus/fiches/fa08-soins-somatiques.txt', fx.INLINE_TEXT_FICHE.replace('Dr Paul Martin (EPSM des Trois-Vallées)', 'Dr Chloé Renaud (CH de Lavaux)'));
    fs.rmSync(path.join(tmp.dir, 'corpus/fiches/fa09-jeunes.md'));
    expect(await indexAndSync(T2)).toEqual({ added: 0, updated: 1, removed: 1, total: 5 });
    const f8 = getFiche(db, '8')!;
    expect(f8.pilots[0]).toMatchObject({ name: 'Dr Chloé Renaud', organisation: 'CH de Lavaux' });
    expect(f8.updatedAt).toBe(T2);
    expect(getFiche(db, '9')).toBeNull();
    expect(getFiche(db, '4')?.updatedAt).toBe(T1);
  });

  it('falls back on the PTSM version of a fiche when its own file is removed', async () => {
    await indexAndSync(T1);
    fs.rmSync(path.join(tmp.dir, 'corpus/fiches/fa04-pair-aidance.docx'));
    expect(await indexAndSync(T2)).toMatchObject({ updated: 1, removed: 0, total: 6 });
    expect(getFiche(db, '4')).toMatchObject({ title: 'Pair-aidance (résumé)', source: { path: 'corpus/projet/ptsm-synthese.md' } });
  });

  it('keeps the fiches saved by a coordinator across syncs, even without a document', async () => {
    await indexAndSync(T1);
    const draft = Fiche.parse({
      id: 'brouillon-logement', title: 'Logement accompagné', status: 'validée', updatedAt: T2,
      pilots: [{ name: 'Mme Inès Morel', organisation: 'CCAS de Lavaux' }],
    });
    saveFiche(db, draft);
    const edited = { ...getFiche(db, '4')!, status: 'en cours' as const, updatedAt: T2 };
    saveFiche(db, edited);
    const report = await indexAndSync(T3);
    expect(report).toEqual({ added: 0, updated: 0, removed: 0, total: 7 });
    expect(getFiche(db, 'brouillon-logement')).toEqual(draft);
    expect(getFiche(db, '4')).toMatchObject({ status: 'en cours', updatedAt: T2 });
    // With no index at all, only the parsed fiches go.
    expect(syncRegistry(db, null, T3)).toEqual({ added: 0, updated: 0, removed: 5, total: 2 });
    expect(listFiches(db).map((f) => f.id).sort()).toEqual(['brouillon-logement', 'fa-4']);
  });

  it('refuses to save an invalid fiche, naming it', () => {
    const err = (() => { try { saveFiche(db, { id: '', title: 'x', updatedAt: T1 } as Fiche); } catch (e) { return e; } return null; })();
    expect(err).toBeInstanceOf(PtsmError);
    expect((err as PtsmError).message).toMatch(/Fiche invalide/);
  });
});

describe('getFiche and findFiches', () => {
  beforeEach(async () => { await indexAndSync(T1); });

  it.each(['4', 'fa-4', 'FA4', 'FA 4', 'fiche 4', 'Fiche action n° 4', 'fa-4 '])('getFiche("%s") is fiche 4', (q) => {
    expect(getFiche(db, q)?.id).toBe('fa-4');
  });

  it('returns null, or a typed error naming the input, for a fiche that does not exist', () => {
    expect(getFiche(db, '99')).toBeNull();
    expect(getFiche(db, 'logement')).toBeNull();
    expect(() => requireFiche(db, '99')).toThrow(/Fiche introuvable : « 99 »/);
  });

  it('finds the fiche on a topic, from a bare word or a whole question', () => {
    expect(findFiches(db, 'pair-aidance')[0]?.fiche.id).toBe('fa-4');
    expect(findFiches(db, 'qui pilote la fiche sur la pair-aidance ?')[0]?.fiche.id).toBe('fa-4');
    expect(findFiches(db, 'quels partenaires pour la santé mentale des jeunes ?')[0]?.fiche.id).toBe('fa-9');
    expect(findFiches(db, 'soins somatiques')[0]?.fiche.id).toBe('fa-8');
    expect(findFiches(db, 'PRÉCARITÉ')[0]?.fiche.id).toBe('fa-2');
  });

  it('puts the fiche named by its number first, and finds nothing off topic', () => {
    expect(findFiches(db, 'les indicateurs de la fiche 12')[0]?.fiche.id).toBe('fa-12');
    expect(findFiches(db, 'ornithologie des zones humides')).toEqual([]);
    expect(findFiches(db, 'qui pilote la fiche ?')).toEqual([]);
  });

  it('scores the best match higher than the others', () => {
    const hits = findFiches(db, 'médiateurs de santé pairs');
    expect(hits[0]?.fiche.id).toBe('fa-4');
    for (const h of hits.slice(1)) expect(h.score).toBeLessThan(hits[0]!.score);
  });
});
