import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { PtsmError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { createEmbedder } from '../../src/search/embedders/index.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { OpenAiCompatibleEmbedder } from '../../src/search/embedders/openai.js';
import { TransformersEmbedder } from '../../src/search/embedders/transformers.js';
import { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { startFakeOpenAi } from '../helpers/fake-openai.js';
import { MINI_PTSM } from '../helpers/kb.js';
import { tempDir, write } from '../helpers/files.js';

const local = new LocalHashingEmbedder();
let server: Awaited<ReturnType<typeof startFakeOpenAi>>;
const seen: string[] = [];

beforeAll(async () => {
  // The fake embeddings endpoint answers with the local embedder's vectors, so ranking is meaningful.
  server = await startFakeOpenAi(() => ({ content: '' }), (input) => { seen.push(...input); return input.map((t) => local.embedSync(t)); });
});
afterAll(() => server.close());

describe('local hashing embedder', () => {
  it('is deterministic, normalised, and close for inflections and compounds', async () => {
    const [a, b, c] = await local.embedDocuments(['pair-aidance et médiateurs', 'pairaidance et médiatrice', 'budget du logement accompagné']);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(Math.abs(dot(a!, a!) - 1)).toBeLessThan(1e-6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect(await local.embedQuery('pair-aidance et médiateurs')).toEqual(a);
  });
});

describe('OpenAI-compatible embeddings endpoint', () => {
  it('indexes and searches through the endpoint configured by PTSM_EMBEDDER=openai', async () => {
    const tmp = tempDir();
    try {
      for (const [rel, content] of Object.entries(MINI_PTSM)) write(tmp.dir, rel, content);
      const config = loadConfig({ PTSM_EMBEDDER: 'openai', PTSM_EMBEDDINGS_URL: server.url, PTSM_EMBEDDINGS_MODEL: 'fake-embed', PTSM_DATA_DIR: path.join(tmp.dir, 'data') });
      const embedder = createEmbedder(config.embedder);
      expect(embedder).toBeInstanceOf(OpenAiCompatibleEmbedder);
      await indexPaths(['docs'], { dataDir: config.dataDir, embedder, logger: silentLogger, cwd: tmp.dir });
      expect(seen.some((t) => t.includes('Inès Caradec'))).toBe(true);
      const kb = KnowledgeBase.open(config.dataDir, createEmbedder(config.embedder));
      const hits = await kb.search('médiateurs de santé pairs', { k: 1, mode: 'vector' });
      expect(hits[0]!.chunk.source).toBe('docs/fiches/fa04-pair-aidance.md');
      // An index built with another embedder is refused with a clear message, not silently mixed.
      expect(() => KnowledgeBase.open(config.dataDir, local)).toThrow(/relancez « ptsm index »/);
    } finally {
      tmp.cleanup();
    }
  });

  it('reports a failing endpoint as EMBEDDER_FAILED naming it', async () => {
    const e = new OpenAiCompatibleEmbedder({ baseURL: 'http://127.0.0.1:9/v1', model: 'x', apiKey: undefined, timeoutMs: 500 });
    const err = await e.embedQuery('test').then(() => null, (x: unknown) => x);
    expect(err).toBeInstanceOf(PtsmError);
    expect((err as PtsmError).code).toBe('EMBEDDER_FAILED');
    expect((err as PtsmError).message).toContain('127.0.0.1:9');
  });
});

describe('transformers.js embedder', () => {
  it('explains a missing model folder, and requires the folder in configuration', async () => {
    await expect(new TransformersEmbedder('/nulle/part/modele').embedQuery('x')).rejects.toThrow(/Dossier du modèle introuvable : \/nulle\/part\/modele/);
    expect(() => loadConfig({ PTSM_EMBEDDER: 'transformers' })).toThrow(/PTSM_TRANSFORMERS_MODEL_DIR/);
  });
});
