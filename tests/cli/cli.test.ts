import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { tempDir, write } from '../helpers/files.js';

/** Runs the CLI in-process and captures its outputs. */
async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(args, { cwd, env: { ...env }, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

let tmp: { dir: string; cleanup: () => void };

beforeAll(() => {
  tmp = tempDir();
  write(tmp.dir, 'docs/fa04.md', '# Fiche action 4 — Pair-aidance\n\n## Pilote\n\nMme Céline Vasseur, GEM L’Escale.\n\n## Partenaires\n\n- EPSM de la Lironde\n- UNAFAM\n');
  write(tmp.dir, 'docs/glossaire.md', '# Glossaire\n\n- **CLSM** : conseil local de santé mentale.\n');
});
afterAll(() => tmp.cleanup());

describe('ptsm CLI', () => {
  it('indexes, then searches with a stable JSON shape', async () => {
    const idx = await cli(['index', 'docs', '--data', 'data'], tmp.dir);
    expect(idx.code).toBe(0);
    expect(idx.out).toContain('2 documents');
    expect(idx.err).toContain('docs/fa04.md');
    const res = await cli(['search', 'pair-aidance', '--json', '--k', '2', '--data', 'data'], tmp.dir);
    expect(res.code).toBe(0);
    const hits = JSON.parse(res.out) as Array<Record<string, unknown>>;
    expect(hits.length).toBeGreaterThan(0);
    expect(Object.keys(hits[0]!).sort()).toEqual(['kind', 'page', 'score', 'section', 'source', 'text', 'title']);
    expect(hits[0]!['source']).toBe('docs/fa04.md');
  });

  it('uses PTSM_DATA_DIR when --data is absent, and stats reports the index', async () => {
    await cli(['index', 'docs'], tmp.dir, { PTSM_DATA_DIR: path.join(tmp.dir, 'other') });
    const stats = await cli(['stats', '--json'], tmp.dir, { PTSM_DATA_DIR: path.join(tmp.dir, 'other') });
    expect(JSON.parse(stats.out)).toMatchObject({ documents: 2, byKind: { fiche: { documents: 1 } } });
  });

  it('explains usage errors in French with exit code 2', async () => {
    expect(await cli(['frobnicate'], tmp.dir)).toMatchObject({ code: 2, err: expect.stringContaining('Commande inconnue : « frobnicate »') });
    expect(await cli(['search', 'x', '--nope'], tmp.dir)).toMatchObject({ code: 2, err: expect.stringContaining('option inconnue « --nope »') });
    expect(await cli(['search', 'x', '--k', 'zéro', '--data', 'data'], tmp.dir)).toMatchObject({ code: 2, err: expect.stringContaining('--k attend un nombre entier') });
    expect(await cli(['index'], tmp.dir)).toMatchObject({ code: 2, err: expect.stringContaining('Indiquez au moins un fichier') });
    expect(await cli(['search', 'x'], tmp.dir, { PTSM_EMBEDDER: 'magique' })).toMatchObject({ code: 2, err: expect.stringContaining('PTSM_EMBEDDER') });
  });

  it('says there is no index yet, and fails when nothing could be indexed', async () => {
    const res = await cli(['search', 'x', '--data', 'vide'], tmp.dir);
    expect(res.code).toBe(1);
    expect(res.err).toContain('ptsm index');
    const none = await cli(['index', 'nulle-part', '--data', 'vide'], tmp.dir);
    expect(none.code).toBe(1);
    expect(none.out).toContain('nulle-part');
  });

  it('runs as the real `ptsm` binary', () => {
    const bin = path.resolve('bin/ptsm.js');
    const out = execFileSync(process.execPath, [bin, 'search', 'CLSM', '--json', '--data', 'data'], { cwd: tmp.dir, encoding: 'utf8' });
    expect((JSON.parse(out) as Array<{ source: string }>)[0]!.source).toBe('docs/glossaire.md');
    const bad = spawnSync(process.execPath, [bin, 'inconnue'], { cwd: tmp.dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
