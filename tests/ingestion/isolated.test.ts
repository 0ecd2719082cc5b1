import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtsmError } from '../../src/core/errors.js';
import { IsolatedIndexer } from '../../src/ingestion/isolated/run.js';
import { DEFAULT_INGESTION_LIMITS } from '../../src/ingestion/limits.js';
import { tempDir, write } from '../helpers/files.js';
import { makeDocxBomb } from './bomb.js';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

const request = (file: string, limits = DEFAULT_INGESTION_LIMITS) => ({
  inputs: [file], dataDir: path.join(tmp.dir, 'data'), cwd: tmp.dir, embedder: { kind: 'local' } as const, limits, logLevel: 'silent' as const,
});

describe('IsolatedIndexer (indexing in a child process)', () => {
  it('indexes in the child and answers with the same report, then serves the next request from the same child', async () => {
    const indexer = new IsolatedIndexer();
    try {
      const first = await indexer.index(request(write(tmp.dir, 'docs/fa04.md', '# Fiche action 4\n\nPilote : GEM La Boussole.\n')));
      expect(first.files).toEqual([expect.objectContaining({ source: 'docs/fa04.md', status: 'indexed', kind: 'fiche' })]);
      const again = await indexer.index(request(path.join(tmp.dir, 'docs/fa04.md')));
      expect(again.files[0]).toMatchObject({ source: 'docs/fa04.md', status: 'unchanged' });
    } finally {
      await indexer.close();
    }
  });

  it('names the file when the child runs out of memory, and starts a fresh child for the next request', async () => {
    const indexer = new IsolatedIndexer({ maxMemoryMb: 160 });
    try {
      const bomb = write(tmp.dir, 'docs/piege.docx', await makeDocxBomb(40));
      const unbounded = { ...DEFAULT_INGESTION_LIMITS, maxArchiveBytes: 1024 ** 3, maxCompressionRatio: 1e9 };
      const err = await indexer.index(request(bomb, unbounded)).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(PtsmError);
      expect((err as PtsmError).message).toMatch(/^Indexation interrompue : .*piege\.docx \(la lecture a/);
      const next = await indexer.index(request(write(tmp.dir, 'docs/fa05.md', '# Fiche action 5\n\nPilote : CCAS.\n')));
      expect(next.files.find((f) => f.source === 'docs/fa05.md')?.status).toBe('indexed');
    } finally {
      await indexer.close();
    }
  });

  it('abandons a request past its time limit, naming the file', async () => {
    const indexer = new IsolatedIndexer({ timeoutMs: 50 });
    try {
      const err = await indexer.index(request(write(tmp.dir, 'docs/lent.md', '# Lent\n\nTexte.\n'))).then(() => null, (e: unknown) => e);
      expect((err as PtsmError).message).toMatch(/^Indexation abandonnée : .*lent\.md \(plus de 0 s de lecture\)$/);
    } finally {
      await indexer.close();
    }
  });
});
