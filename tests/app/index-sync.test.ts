import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncWithIndex } from '../../src/app/index-sync.js';
import { silentLogger } from '../../src/core/logger.js';
import { listFiches } from '../../src/fiches/registry.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { readSnapshot } from '../../src/search/snapshot.js';
import { openDatabase } from '../../src/storage/sqlite.js';
import { MINI_PTSM } from '../helpers/kb.js';
import { tempDir, write } from '../helpers/files.js';

let tmp: { dir: string; cleanup: () => void } | null = null;
afterEach(() => tmp?.cleanup());

describe('registers derived from the index', () => {
  it('are re-read when the index generation changed, not at every start', async () => {
    tmp = tempDir();
    for (const [rel, text] of Object.entries(MINI_PTSM)) write(tmp.dir, rel, text);
    const dataDir = path.join(tmp.dir, 'data');
    const index = () => indexPaths(['docs'], { dataDir, embedder: new LocalHashingEmbedder(), logger: silentLogger, cwd: tmp!.dir });
    await index();
    const db = openDatabase(path.join(tmp.dir, 'ptsm.sqlite'));
    const now = '2026-03-01T00:00:00.000Z';
    let snap = readSnapshot(dataDir)!;
    const first = syncWithIndex(db, snap, now);
    expect(first?.registry.added).toBeGreaterThanOrEqual(2);
    expect(first?.decisions.meetings).toBe(1);
    expect(syncWithIndex(db, snap, now)).toBeNull();
    expect(syncWithIndex(db, snap, now, { force: true })?.registry.total).toBe(first!.registry.total);
    snap.close();

    write(tmp.dir, 'docs/fiches/fa09-crise.md', '# Fiche action n° 9 — Gestion de crise\n\n## Pilote\n\nDr Anne Rivière, SAMU 27\n');
    await index();
    snap = readSnapshot(dataDir)!;
    const after = syncWithIndex(db, snap, now);
    expect(after?.registry.added).toBe(1);
    expect(listFiches(db).map((f) => f.title)).toContain('Gestion de crise');
    snap.close();
    db.close();
  });
});
