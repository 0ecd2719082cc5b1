import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicy, OPERATOR_AUDIENCE } from '../../src/app/access.js';
import { compileInclude, loadScopeConfig, scopedPath, type ScopeConfig } from '../../src/app/scopes.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { PtsmError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { readSnapshot } from '../../src/search/snapshot.js';
import { serve } from '../../src/server/serve.js';
import { tempDir, write } from '../helpers/files.js';

const ROOT = '/srv/ptsm';
const at = (rel: string) => scopedPath(path.join(ROOT, rel), ROOT);

describe('scope patterns (picomatch), relative to the corpus root', () => {
  it.each([
    ['corpus/{gt-logement,gt-crise}/**', 'corpus/gt-logement/cr/2026-03.md', true],
    ['corpus/{gt-logement,gt-crise}/**', 'corpus/gt-crise/note.pdf', true],
    ['corpus/{gt-logement,gt-crise}/**', 'corpus/gt-soins/note.pdf', false],
    ['corpus/@(gt-logement|gt-crise)/*.md', 'corpus/gt-crise/cr.md', true],
    ['corpus/@(gt-logement|gt-crise)/*.md', 'corpus/gt-crise/sous/cr.md', false],
    ['corpus/!(public)/**', 'corpus/gt-crise/cr.md', true],
    ['corpus/!(public)/**', 'corpus/public/cr.md', false],
    ['corpus/gt-*/*.{md,docx}', 'corpus/gt-logement/fa.docx', true],
    ['corpus/gt-*/*.{md,docx}', 'corpus/gt-logement/fa.pdf', false],
    ['corpus/**', 'corpus/.cache/x.md', true],
    [`${ROOT}/corpus/gt-*/**`, 'corpus/gt-crise/cr.md', true],
    [`${ROOT}/corpus/gt-*/**`, 'corpus/public/cr.md', false],
  ])('%s on %s → %s', (pattern, rel, expected) => {
    expect(compileInclude([pattern]).matches(at(rel))).toBe(expected);
  });

  it('a leading "!" excludes from the rule’s other patterns', () => {
    const m = compileInclude(['corpus/**', '!corpus/public/**']);
    expect(m.matches(at('corpus/gt-crise/cr.md'))).toBe(true);
    expect(m.matches(at('corpus/public/cr.md'))).toBe(false);
    expect(m.patterns.map((p) => p.pattern)).toEqual(['corpus/**']);
  });

  it('a file outside the corpus root is only reached by an absolute pattern', () => {
    const outside = scopedPath('/home/marie/notes/cr.md', ROOT);
    expect(outside.relative).toBeNull();
    expect(compileInclude(['**']).matches(outside)).toBe(false);
    expect(compileInclude(['/home/marie/**']).matches(outside)).toBe(true);
  });

  it('the corpus root is PTSM_CORPUS_ROOT, else the data directory’s parent — never the folder a command runs from', () => {
    expect(loadConfig({ PTSM_DATA_DIR: '/srv/ptsm/data' }, { cwd: '/tmp' }).corpusRoot).toBe('/srv/ptsm');
    expect(loadConfig({ PTSM_DATA_DIR: '/var/lib/ptsm', PTSM_CORPUS_ROOT: 'partage' }, { cwd: '/srv' }).corpusRoot).toBe('/srv/partage');
  });
});

describe('scopes.json', () => {
  let t: { dir: string; cleanup: () => void };
  beforeAll(() => { t = tempDir(); });
  afterAll(() => t.cleanup());
  const writeScopes = (data: unknown) => fs.writeFileSync(path.join(t.dir, 'scopes.json'), JSON.stringify(data));

  it('reads the older list form and the form with coordinators', () => {
    writeScopes([{ platform: 'slack', channel: 'C1', private: true, include: ['a/**'] }]);
    expect(loadScopeConfig(t.dir)).toMatchObject({ scopes: [{ channel: 'C1', users: [] }], coordinators: [] });
    writeScopes({ coordinators: [{ platform: 'slack', user: 'U0COORD' }], scopes: [{ platform: 'web', channel: 'direction', private: true, include: ['d/**'], users: ['marie'] }] });
    expect(loadScopeConfig(t.dir).coordinators).toEqual([{ platform: 'slack', user: 'U0COORD' }]);
  });

  it('names the file and the entry at fault, in French', () => {
    writeScopes({ scopes: [{ platform: 'slack', channel: 'C1', include: ['a/**'], users: ['U1'] }] });
    expect(() => loadScopeConfig(t.dir)).toThrow(/scopes\.json, entrée scopes\.0\.users : « users » ne sert que pour la console web/);
    writeScopes({ scopes: [], coordinateurs: [] });
    expect(() => loadScopeConfig(t.dir)).toThrow(PtsmError);
  });
});

describe('the policy over a real index, whatever folder it was built from', () => {
  let t: { dir: string; cleanup: () => void };
  const cli = async (args: string[], cwd: string, env: Record<string, string> = {}) => {
    let out = '';
    let err = '';
    const code = await main(args, { cwd, env, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
    return { code, out, err };
  };
  const SCOPES: ScopeConfig = { coordinators: [], scopes: [{ platform: 'slack', channel: 'C0GT', private: true, include: ['corpus/{gt-logement,gt-crise}/**'], users: [] }] };

  beforeAll(() => {
    t = tempDir();
    write(t.dir, 'corpus/gt-logement/cr-logement.md', '# CR du GT logement\n\nLe bailleur retenu est Port-Orme Habitat.');
    write(t.dir, 'corpus/gt-crise/cr-crise.md', '# CR de la cellule de crise\n\nProtocole de nuit activé.');
    write(t.dir, 'corpus/public/glossaire.md', '# Glossaire\n\n- **CLSM** : conseil local de santé mentale.');
  });
  afterAll(() => t.cleanup());

  it('gives the same answer for an index built from the root and one built from inside corpus/', async () => {
    expect((await cli(['index', 'corpus', '--data', 'data-a'], t.dir)).code).toBe(0);
    expect((await cli(['index', '.', '--data', '../data-b'], path.join(t.dir, 'corpus'))).code).toBe(0);
    const visible: string[][] = [];
    for (const data of ['data-a', 'data-b']) {
      const docs = readSnapshot(path.join(t.dir, data))!.manifest.documents;
      const policy = new AccessPolicy(SCOPES, docs, t.dir);
      expect(policy.unmatchedPatterns()).toEqual([]);
      const filter = policy.documentFilter({ platform: 'slack', channel: 'C07AUTRE' });
      visible.push(docs.filter((d) => filter(d.source)).map((d) => path.basename(d.source)));
      expect(docs.every((d) => policy.canSee({ platform: 'slack', channel: 'C0GT' }, d.source))).toBe(true);
      expect(docs.every((d) => policy.canSee(OPERATOR_AUDIENCE, d.source))).toBe(true);
    }
    expect(visible).toEqual([['glossaire.md'], ['glossaire.md']]);
  });

  it('ptsm index warns, naming the rule, when a pattern matches no document; ptsm serve refuses to start', async () => {
    const dataDir = path.join(t.dir, 'data-a');
    fs.writeFileSync(path.join(dataDir, 'scopes.json'), JSON.stringify([
      { platform: 'slack', channel: 'C0GT', private: true, include: ['corpus/{gt-logement,gt-crise}/**', 'corpus/gt-logment/**'] },
    ]));
    write(t.dir, 'corpus/public/nouveau.md', '# Nouveau document\n\nUn document de plus pour réindexer.');
    const idx = await cli(['index', 'corpus', '--data', 'data-a', '--json'], t.dir);
    expect(idx.code).toBe(0);
    expect(idx.err).toContain('Attention : Périmètres (scopes.json)');
    expect(idx.err).toContain('canal slack:C0GT (privé) : « corpus/gt-logment/** » ne correspond à aucun document');
    expect(JSON.parse(idx.out)['scopeWarnings']).toHaveLength(2);

    const start = serve({ config: loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0' }), logger: silentLogger, tickMs: 0 });
    await expect(start).rejects.toThrow(PtsmError);
    await expect(start).rejects.toThrow(/canal slack:C0GT \(privé\) : « corpus\/gt-logment\/\*\* » ne correspond à aucun document/);
    // The brace pattern alone is fine: the server starts.
    fs.writeFileSync(path.join(dataDir, 'scopes.json'), JSON.stringify(SCOPES));
    const server = await serve({ config: loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0' }), logger: silentLogger, tickMs: 0 });
    await server.close();
  });
});
