import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtsmError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import type { Embedder } from '../../src/search/embedders/embedder.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { DEFAULT_LEXICAL_OPTIONS, LexicalIndex } from '../../src/search/lexical.js';
import { currentGeneration, generationDir, kbDir, readManifest, readSnapshot, type StoredChunk } from '../../src/search/snapshot.js';
import { analyze } from '../../src/text/french.js';
import { MINI_PTSM } from '../helpers/kb.js';
import { tempDir, write } from '../helpers/files.js';

let tmp: { dir: string; cleanup: () => void };
let dataDir: string;
const local = new LocalHashingEmbedder();

/** The local embedder, counting the texts it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly id = local.id;
  readonly dimensions = local.dimensions;
  texts = 0;
  async embedDocuments(texts: string[]): Promise<number[][]> { this.texts += texts.length; return local.embedDocuments(texts); }
  async embedQuery(text: string): Promise<number[]> { return local.embedQuery(text); }
}

beforeEach(() => {
  tmp = tempDir();
  dataDir = path.join(tmp.dir, 'data');
});
afterEach(() => tmp.cleanup());

const run = (e: Embedder = local) => indexPaths(['docs'], { dataDir, embedder: e, logger: silentLogger, cwd: tmp.dir });

/** Generated fiches sharing the common words of a PTSM, each with a word of its own. */
function writeCorpus(count: number): void {
  for (const [rel, text] of Object.entries(MINI_PTSM)) write(tmp.dir, rel, text);
  for (let i = 0; i < count; i++) {
    write(tmp.dir, `docs/lot/fiche-${i}.md`, [
      `# Fiche action ${100 + i} — coordination santé mentale`, '',
      '## Constat', '', `La santé mentale des usagers du secteur ${i % 7} demande une coordination des partenaires, suivie par la cellule ${'abcdefghij'[i % 10]}${i}.`, '',
      '## Pilote', '', `Le pilote de la fiche ${100 + i} réunit le groupe de travail ${i % 3 === 0 ? 'logement' : 'parcours'} chaque trimestre.`,
    ].join('\n'));
  }
}

/** The project's BM25 computed over every passage, by brute force: what FTS5 plus re-scoring must reproduce. */
function bruteForceBm25(chunks: StoredChunk[], query: string): Array<{ id: string; score: number }> {
  const docs = chunks.map((c) => (c.terms ? c.terms.split(' ') : []));
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / n;
  const weights = new Map<string, number>();
  for (const t of analyze(query)) weights.set(t, (weights.get(t) ?? 0) + 1);
  const df = new Map([...weights.keys()].map((t) => [t, docs.filter((d) => d.includes(t)).length]));
  return docs.map((terms, i) => {
    let s = 0;
    for (const [t, q] of weights) {
      const f = terms.filter((x) => x === t).length;
      if (!f) continue;
      const idf = Math.log(1 + (n - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
      s += q * idf * ((f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * terms.length) / avg)));
    }
    return { id: chunks[i]!.id, score: s };
  }).filter((h) => h.score > 0).sort((a, b) => b.score - a.score);
}

describe('knowledge base on SQLite FTS5 and HNSW', () => {
  it('ranks exactly as BM25 over every passage would, scores included', async () => {
    writeCorpus(60);
    await run();
    const kb = KnowledgeBase.open(dataDir, local);
    const all = [...kb.allChunks()];
    expect(all.length).toBeGreaterThan(60);
    // A page of 40 candidates out of 60+ matches: FTS5's own order must hold BM25's top 10.
    const view = readSnapshot(dataDir)!;
    const narrow = new LexicalIndex(view.file, view.file.stats(), { ...DEFAULT_LEXICAL_OPTIONS, candidatePage: 1 });
    for (const q of ['qui pilote la pair-aidance ?', 'coordination santé mentale des partenaires', 'groupe de travail logement trimestre', 'budget fiche logement COPIL', 'cellule c12']) {
      const expected = bruteForceBm25(all, q).slice(0, 10);
      const got = await kb.search(q, { k: 10, mode: 'bm25' });
      expect(got.map((h) => h.bm25)).toEqual(expected.map((h) => expect.closeTo(h.score, 9)));
      // Ties may come in either order: compare the passages by score.
      expect(new Set(got.map((h) => `${h.chunk.id}:${h.bm25.toFixed(9)}`))).toEqual(new Set(expected.map((h) => `${h.id}:${h.score.toFixed(9)}`)));
      expect(narrow.search(analyze(q), 10).map((h) => h.score)).toEqual(expected.map((h) => expect.closeTo(h.score, 9)));
    }
    view.close();
    kb.close();
  });

  it('leaves frequent words out of the FTS5 query on large indexes and still finds and scores the rare ones', async () => {
    writeCorpus(60);
    await run();
    const view = readSnapshot(dataDir)!;
    const pruning = new LexicalIndex(view.file, view.file.stats(), { ...DEFAULT_LEXICAL_OPTIONS, pruneMinChunks: 1, pruneShare: 0.2 });
    const exact = new LexicalIndex(view.file, view.file.stats());
    // « santé » and « coordination » are in most passages, « c12 » in one.
    const terms = analyze('coordination santé mentale cellule c12');
    expect(pruning.documentFrequency(analyze('coordination')[0]!)).toBeGreaterThan(0.2 * view.file.stats().chunks);
    const top = pruning.search(terms, 5);
    expect(top[0]).toEqual(exact.search(terms, 5)[0]);
    // Only frequent words: the rarest ones are kept, something is still found.
    expect(pruning.search(analyze('coordination santé mentale'), 5).length).toBe(5);
    view.close();
  });

  it('pages through candidates when a channel filter rejects the best ones', async () => {
    writeCorpus(60);
    await run();
    const view = readSnapshot(dataDir)!;
    const lexical = new LexicalIndex(view.file, view.file.stats(), { ...DEFAULT_LEXICAL_OPTIONS, candidatePage: 4, maxPages: 40 });
    const target = view.manifest.documents.find((d) => d.source.endsWith('fiche-59.md'))!;
    const range = view.file.documentRanges().find((r) => r.docId === target.id)!;
    const hits = lexical.search(analyze('santé mentale coordination'), 1, (label) => label >= range.first && label < range.first + range.count);
    expect(hits).toHaveLength(1);
    expect(view.file.chunksByIds([hits[0]!.index]).get(hits[0]!.index)!.source).toBe(target.source);
    view.close();
  });

  it('opens from the catalogue packed at commit, and from the documents table when a generation has none', async () => {
    writeCorpus(12);
    await run();
    const gen = currentGeneration(dataDir)!;
    const file = path.join(generationDir(dataDir, gen), 'kb.sqlite');
    const view = readSnapshot(dataDir)!;
    expect(view.file.getMeta('catalogue')).not.toBeNull();
    const packed = view.file.documentRanges();
    const records = new Map(view.manifest.documents.map((d) => [d.id, d]));
    expect(packed).toHaveLength(records.size);
    for (const r of packed) {
      const d = records.get(r.docId)!;
      expect([r.source, r.kind, r.count]).toEqual([d.source, d.kind, d.chunkCount]);
    }
    view.close();

    // A generation written before the catalogue existed: the same ranges, read from the table.
    const db = new Database(file);
    db.prepare("DELETE FROM meta WHERE key = 'catalogue'").run();
    db.close();
    const old = KnowledgeBase.open(dataDir, local);
    expect(old.snapshot.file.documentRanges()).toEqual(packed);
    const fiches = await old.search('santé mentale', { k: 5, kinds: ['fiche'] });
    expect(fiches.length).toBeGreaterThan(0);
    expect(fiches.every((h) => h.chunk.kind === 'fiche')).toBe(true);
    old.close();

    // A catalogue that does not match the table (a damaged or foreign one) is not trusted.
    const db2 = new Database(file);
    db2.prepare("INSERT INTO meta (key, value) VALUES ('catalogue', ?)").run(JSON.stringify({ version: 1, ids: ['x'], sources: ['x'], kinds: ['fiche'], firsts: [1], counts: [1] }));
    db2.close();
    const damaged = readSnapshot(dataDir)!;
    expect(damaged.file.documentRanges()).toEqual(packed);
    damaged.close();
  });

  it('reads the document records only when asked, and keeps them once the file is closed by readManifest', async () => {
    writeCorpus(3);
    await run();
    const view = readSnapshot(dataDir)!;
    const manifest = view.manifest;
    view.close();
    // Read after close: the records were never parsed, the closed file cannot give them.
    expect(() => manifest.documents).toThrow(/lue après la fermeture/);
    const kept = readManifest(dataDir)!;
    expect(kept.documents.map((d) => d.source)).toContain('docs/lot/fiche-2.md');
  });

  it('re-indexes in place: unchanged documents keep their rows, a changed one is replaced in FTS5 and in the vector graph', async () => {
    writeCorpus(20);
    const counting = new CountingEmbedder();
    await run(counting);
    const first = counting.texts;
    const before = readSnapshot(dataDir)!;
    const rangesBefore = new Map(before.file.documentRanges().map((r) => [r.source, r]));
    before.close();

    counting.texts = 0;
    await run(counting);
    expect(counting.texts).toBe(0);

    write(tmp.dir, 'docs/lot/fiche-3.md', '# Fiche action 103 — astreinte\n\n## Constat\n\nUne astreinte zygomatique de nuit prend le relais.');
    counting.texts = 0;
    const report = await run(counting);
    expect(counting.texts).toBe(1);
    expect(first).toBeGreaterThan(20);
    expect(report.changedDocIds).toHaveLength(1);

    const kb = KnowledgeBase.open(dataDir, local);
    const after = new Map(kb.snapshot.file.documentRanges().map((r) => [r.source, r]));
    expect(after.get('docs/lot/fiche-7.md')).toEqual(rangesBefore.get('docs/lot/fiche-7.md'));
    // One scan gives both views of the documents: the manifest by source, the ranges by rowid, each document's own.
    const sources = kb.manifest.documents.map((d) => d.source);
    expect(sources).toEqual([...sources].sort());
    const firsts = kb.snapshot.file.documentRanges().map((r) => r.first);
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    for (const d of kb.manifest.documents) expect(after.get(d.source)!.count).toBe(d.chunkCount);
    expect(after.get('docs/lot/fiche-3.md')!.first).toBeGreaterThan(Math.max(...[...rangesBefore.values()].map((r) => r.first)));
    expect((await kb.search('zygomatique', { k: 3, mode: 'bm25' }))[0]!.chunk.source).toBe('docs/lot/fiche-3.md');
    expect(await kb.search('cellule d3', { k: 50, mode: 'bm25' })).not.toContainEqual(expect.objectContaining({ chunk: expect.objectContaining({ source: 'docs/lot/fiche-3.md' }) }));
    // The old passages are deleted from the graph: vector search returns live passages only, the new one first.
    const semantic = await kb.search('astreinte zygomatique de nuit', { k: 200, mode: 'vector' });
    expect(semantic[0]!.chunk.source).toBe('docs/lot/fiche-3.md');
    expect(semantic.length).toBe(kb.size);
    expect(Number(kb.snapshot.file.getMeta('hnsw_deleted'))).toBeGreaterThan(0);
    kb.close();
  });

  it('keeps answering from the generation it opened while a new one replaces it', async () => {
    writeCorpus(5);
    await run();
    const kb = KnowledgeBase.open(dataDir, local);
    const oldGen = currentGeneration(dataDir)!;
    write(tmp.dir, 'docs/nouveau.md', '# Note\n\nLe dispositif hirondelle ouvre en 2027.');
    await run();
    expect(currentGeneration(dataDir)).not.toBe(oldGen);
    expect(fs.existsSync(generationDir(dataDir, oldGen))).toBe(false);
    expect((await kb.search('pair-aidance pilote', { k: 1 }))[0]!.chunk.source).toBe('docs/fiches/fa04-pair-aidance.md');
    expect(await kb.search('hirondelle', { k: 1, mode: 'bm25' })).toHaveLength(0);
    kb.close();
    const fresh = KnowledgeBase.open(dataDir, local);
    expect((await fresh.search('hirondelle', { k: 1, mode: 'bm25' }))[0]!.chunk.source).toBe('docs/nouveau.md');
    fresh.close();
  });

  it('migrates an index of the first format without embedding again, and says so before', async () => {
    writeCorpus(5);
    await run();
    // Rewrite the current generation in the first format (JSON lines and a raw vector file).
    const kb = KnowledgeBase.open(dataDir, local);
    const chunks = [...kb.allChunks()];
    const manifest = { ...kb.manifest, version: 1 };
    const blocks = manifest.documents.map((d) => ({ docId: d.id, blocks: kb.snapshot.blocks.get(d.id) ?? [] }));
    const vectors = new Float32Array(chunks.length * local.dimensions);
    chunks.forEach((c, i) => vectors.set(local.embedSync(`${c.title}\n${c.headingPath.join(' > ')}\n${c.text}`), i * local.dimensions));
    kb.close();
    const legacy = path.join(kbDir(dataDir), 'gen-1-legacy');
    fs.mkdirSync(legacy);
    fs.writeFileSync(path.join(legacy, 'chunks.jsonl'), chunks.map((c) => JSON.stringify(c)).join('\n') + '\n');
    fs.writeFileSync(path.join(legacy, 'blocks.jsonl'), blocks.map((b) => JSON.stringify(b)).join('\n') + '\n');
    fs.writeFileSync(path.join(legacy, 'vectors.f32'), Buffer.from(vectors.buffer));
    fs.writeFileSync(path.join(legacy, 'manifest.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(kbDir(dataDir), 'CURRENT'), 'gen-1-legacy');

    expect(() => KnowledgeBase.open(dataDir, local)).toThrow(PtsmError);
    expect(() => KnowledgeBase.open(dataDir, local)).toThrow(/ancien format.*relancez « ptsm index »/);
    const counting = new CountingEmbedder();
    const report = await run(counting);
    expect(counting.texts).toBe(0);
    expect(report.files.every((f) => f.status === 'unchanged')).toBe(true);
    const migrated = KnowledgeBase.open(dataDir, local);
    expect(migrated.size).toBe(chunks.length);
    expect((await migrated.search('qui pilote la pair-aidance', { k: 1 }))[0]!.chunk.source).toBe('docs/fiches/fa04-pair-aidance.md');
    migrated.close();
  });

  it('opens without waiting for the vector graph, and names the graph file when it cannot be read', async () => {
    writeCorpus(3);
    await run();
    const kb = KnowledgeBase.open(dataDir, local);
    await kb.loaded();
    expect((await kb.search('qui pilote la pair-aidance', { k: 1, mode: 'vector' }))[0]!.chunk.source).toBe('docs/fiches/fa04-pair-aidance.md');
    kb.close();
    fs.writeFileSync(path.join(generationDir(dataDir, currentGeneration(dataDir)!), 'vectors.hnsw'), 'abîmé');
    const damaged = KnowledgeBase.open(dataDir, local);
    expect((await damaged.search('pair-aidance', { k: 1, mode: 'bm25' }))[0]!.chunk.source).toBe('docs/fiches/fa04-pair-aidance.md');
    await expect(damaged.search('pair-aidance', { k: 1 })).rejects.toThrow(/Graphe des vecteurs illisible : .*vectors\.hnsw.*relancez « ptsm index »/);
    damaged.close();
  });

  it('names the folder when the index file is damaged, and rebuilds it on the next indexing', async () => {
    writeCorpus(3);
    await run();
    const file = path.join(generationDir(dataDir, currentGeneration(dataDir)!), 'kb.sqlite');
    fs.writeFileSync(file, 'pas une base SQLite');
    expect(() => KnowledgeBase.open(dataDir, local)).toThrow(/Index illisible dans .*relancez « ptsm index »/);
    const report = await run();
    expect(report.files.filter((f) => f.status === 'indexed').length).toBe(report.files.length);
    const kb = KnowledgeBase.open(dataDir, local);
    expect(kb.size).toBeGreaterThan(0);
    kb.close();
  });
});
