import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { PtsmError } from '../src/core/errors.js';

describe('loadConfig', () => {
  it('has offline defaults: local embedder, no LLM, ./data, localhost', () => {
    const c = loadConfig({}, { cwd: '/srv/ptsm' });
    expect(c).toMatchObject({ dataDir: '/srv/ptsm/data', embedder: { kind: 'local' }, llm: null, server: { port: 3978, host: '127.0.0.1', production: false } });
  });

  it('reads the LLM and embeddings endpoints, and the data directory flag over the variable', () => {
    const c = loadConfig({ PTSM_LLM_URL: 'http://localhost:11434/v1', PTSM_LLM_MODEL: 'mistral', PTSM_EMBEDDER: 'openai', PTSM_EMBEDDINGS_URL: 'http://localhost:11434/v1', PTSM_DATA_DIR: 'a' }, { cwd: '/x', dataDir: 'b' });
    expect(c.llm).toMatchObject({ baseURL: 'http://localhost:11434/v1', model: 'mistral', timeoutMs: 30000, allowPersonalData: false });
    expect(c.embedder).toMatchObject({ kind: 'openai', model: 'text-embedding-3-small' });
    expect(c.dataDir).toBe(path.resolve('/x', 'b'));
  });

  it('names every bad variable in one French message, with a hint', () => {
    try {
      loadConfig({ PORT: 'quatre-vingt', PTSM_EMBEDDER: 'magique', PTSM_LLM_URL: 'pas une url', PTSM_LLM_ALLOW_PERSONAL_DATA: 'peut-être' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PtsmError);
      const m = (e as PtsmError).message;
      for (const v of ['PORT', 'PTSM_EMBEDDER', 'PTSM_LLM_URL', 'PTSM_LLM_ALLOW_PERSONAL_DATA']) expect(m).toContain(v);
      expect(m).toContain('valeurs possibles : local, openai, transformers');
    }
  });

  it('requires the endpoint of the chosen embedder, and treats empty variables as unset', () => {
    expect(() => loadConfig({ PTSM_EMBEDDER: 'openai' })).toThrow(/PTSM_EMBEDDINGS_URL/);
    expect(loadConfig({ PTSM_LLM_URL: '', PORT: '' }).llm).toBeNull();
  });

  it('reads PTSM_DATABASE_URL (postgres:// or postgresql://), and refuses another scheme without echoing its password', () => {
    expect(loadConfig({}).database).toBeNull();
    expect(loadConfig({ PTSM_DATABASE_URL: 'postgresql://ptsm:s3cret@db.exemple.fr:5432/ptsm' }).database).toEqual({ url: 'postgresql://ptsm:s3cret@db.exemple.fr:5432/ptsm' });
    expect(loadConfig({ PTSM_DATABASE_URL: 'postgres://postgres@/ptsm?host=/tmp/pg' }).database).toEqual({ url: 'postgres://postgres@/ptsm?host=/tmp/pg' });
    try {
      loadConfig({ PTSM_DATABASE_URL: 'mysql://ptsm:s3cret@db.exemple.fr/ptsm' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PtsmError);
      const m = (e as PtsmError).message;
      expect(m).toContain('PTSM_DATABASE_URL');
      expect(m).toContain('commençant par postgres:// ou postgresql://');
      expect(m).toContain('mysql://ptsm:***@db.exemple.fr/ptsm');
      expect(m).not.toContain('s3cret');
    }
  });
});
