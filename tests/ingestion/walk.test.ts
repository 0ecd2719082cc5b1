import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { walkPaths } from '../../src/ingestion/walk.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { tempDir, write } from '../helpers/files.js';

let tmp: { dir: string; cleanup: () => void };
let corpus: string;
beforeEach(() => {
  tmp = tempDir();
  corpus = path.join(tmp.dir, 'corpus');
  write(corpus, 'gt-crise/fiche-crise.md', '# Fiche action 3 : Crise\n\nPilote : EPSM des Deux-Rives.\n');
  write(corpus, 'gt-logement/fiche-logement.md', '# Fiche action 5 : Logement\n\nPilote : CCAS de Vaubrun.\n');
});
afterEach(() => tmp.cleanup());

const files = (inputs: string[]): string[] =>
  walkPaths(inputs).filter((e) => e.kind === 'file').map((e) => path.relative(tmp.dir, e.path).split(path.sep).join('/'));

describe('walkPaths and symbolic links', () => {
  it('ends on a loop of two links and lists each file once', () => {
    fs.symlinkSync('../gt-logement', path.join(corpus, 'gt-crise', 'vers-logement'));
    fs.symlinkSync('../gt-crise', path.join(corpus, 'gt-logement', 'vers-crise'));
    // gt-logement is first reached through the link (sorted order): its file is listed once, under that path.
    expect(files([corpus])).toEqual(['corpus/gt-crise/fiche-crise.md', 'corpus/gt-crise/vers-logement/fiche-logement.md']);
  });

  it('ends on a folder that links to itself', () => {
    fs.symlinkSync('.', path.join(corpus, 'gt-crise', 'boucle'));
    fs.symlinkSync(path.join(corpus, 'gt-crise', 'soi-meme'), path.join(corpus, 'gt-crise', 'soi-meme'));
    expect(files([corpus])).toEqual(['corpus/gt-crise/fiche-crise.md', 'corpus/gt-logement/fiche-logement.md']);
  });

  it('never leaves the roots it was given, and says which link it ignored', () => {
    const outside = write(tmp.dir, 'prive/dossier-patient.md', '# Dossier patient\n\nMme X, hospitalisée.\n');
    fs.symlinkSync(path.dirname(outside), path.join(corpus, 'gt-crise', 'raccourci'));
    fs.symlinkSync(outside, path.join(corpus, 'gt-crise', 'patient.md'));
    const entries = walkPaths([path.join(corpus, 'gt-crise')]);
    expect(entries.filter((e) => e.kind === 'file').map((e) => path.basename(e.path))).toEqual(['fiche-crise.md']);
    const ignored = entries.filter((e) => e.kind === 'outside').map((e) => path.basename(e.path)).sort();
    expect(ignored).toEqual(['patient.md', 'raccourci']);
  });

  it('follows a link inside the roots once: a linked file and a linked folder are indexed once', async () => {
    fs.symlinkSync('fiche-crise.md', path.join(corpus, 'gt-crise', 'alias-crise.md'));
    fs.symlinkSync('gt-logement', path.join(corpus, 'logement-bis'));
    fs.symlinkSync('../gt-crise', path.join(corpus, 'gt-crise', 'encore'));
    const report = await indexPaths(['corpus'], { dataDir: path.join(tmp.dir, 'data'), embedder: new LocalHashingEmbedder(), logger: silentLogger, cwd: tmp.dir });
    const indexed = report.files.filter((f) => f.status === 'indexed').map((f) => f.source).sort();
    expect(indexed).toHaveLength(2);
    expect(report.documents).toBe(2);
  });
});
