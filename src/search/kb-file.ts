import Database from 'better-sqlite3';
import type { Block, DocumentKind } from '../core/types.js';
import type { IndexError, SnapshotManifest, StoredChunk } from './snapshot.js';

/**
 * One generation of the knowledge base as a SQLite file: documents, passages
 * (with their analysed terms), the FTS5 index over those terms, parsed blocks
 * and vectors. Nothing is loaded whole at open: passages, blocks and term
 * statistics are read when asked for, so opening costs the same for 1,000 or
 * 1,000,000 passages. Passage rowids are the labels of the HNSW graph beside
 * the file, and a document's passages have consecutive rowids
 * (`first_chunk`…`first_chunk + chunk_count - 1`): the document of a label is
 * found without a query.
 */
export const KB_FILE = 'kb.sqlite';

/**
 * The terms are already analysed (folded, stemmed, stop words out) by
 * src/text/french.ts and joined by spaces: FTS5 only has to split on spaces.
 * `.` and `,` stay inside a token (« 3.5 »).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  first_chunk INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  glossary INTEGER NOT NULL DEFAULT 0,
  chunk TEXT NOT NULL,
  terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id, ord);
CREATE INDEX IF NOT EXISTS chunks_glossary ON chunks (glossary) WHERE glossary = 1;
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (terms, content = 'chunks', content_rowid = 'id', tokenize = "unicode61 remove_diacritics 0 tokenchars '.,'");
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab (chunks_fts, row);
CREATE TABLE IF NOT EXISTS blocks (doc_id TEXT PRIMARY KEY, blocks TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (chunk_id INTEGER PRIMARY KEY, v BLOB NOT NULL);
`;

/** Chunks whose source, title or section names a glossary: the acronym table reads only these. */
export const GLOSSARY_CUE = /glossaire|lexique|sigles|acronymes/i;

export function isGlossaryChunk(c: Pick<StoredChunk, 'source' | 'title' | 'section'>): boolean {
  return GLOSSARY_CUE.test(`${c.source} ${c.title} ${c.section ?? ''}`);
}

export interface KbStats { chunks: number; totalTerms: number }

interface ChunkRow { id: number; chunk: string; terms: string }

type DocumentRecord = SnapshotManifest['documents'][number];
export interface DocumentRange { first: number; count: number; docId: string; source: string; kind: DocumentKind }

/**
 * What a search needs of every document (its rowid range, source and kind),
 * packed in one `meta` row when a generation is committed: opening an index
 * of 100,000 documents then parses one string instead of scanning the
 * documents table and parsing every record. The full records are read when
 * something asks for them (the manifest's `documents`).
 */
const CATALOGUE_KEY = 'catalogue';
interface PackedCatalogue { version: 1; ids: string[]; sources: string[]; kinds: DocumentKind[]; firsts: number[]; counts: number[] }

export class KbFile {
  /** A committed generation never changes: what is read of its documents is read once. */
  private ranges: DocumentRange[] | null = null;
  private records: DocumentRecord[] | null = null;

  private constructor(readonly db: Database.Database, readonly file: string) {}

  static openReadOnly(file: string): KbFile {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    return new KbFile(db, file);
  }

  /** A generation being written: the schema is created if the file is new. */
  static openWritable(file: string): KbFile {
    const db = new Database(file);
    // A generation is written by one indexer in a folder of its own, and thrown away whole if the run fails:
    // no journal is needed (the file is fsynced once, before it becomes current).
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA);
    return new KbFile(db, file);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- meta ----

  getMeta(key: string): string | null {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The manifest; its `documents` (every record, parsed) are read at their first use, not at open. */
  manifest(): SnapshotManifest {
    const head = JSON.parse(this.getMeta('manifest') ?? 'null') as Omit<SnapshotManifest, 'documents'> | null;
    if (!head) throw new Error(`manifeste absent de ${this.file}`);
    return Object.defineProperty({ ...head }, 'documents', { get: () => this.documentRecords(), enumerable: true }) as SnapshotManifest;
  }

  /** Every document record, by source. */
  documentRecords(): DocumentRecord[] {
    if (this.records) return this.records;
    // A manifest kept past its file's close (readManifest copies the documents before closing).
    if (!this.db.open) throw new Error(`liste des documents de ${this.file} lue après la fermeture de l'index`);
    const rows = this.db.prepare('SELECT source, record FROM documents').raw().all() as Array<[string, string]>;
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const records = rows.map((r) => JSON.parse(r[1]) as DocumentRecord);
    if (this.db.readonly) this.records = records;
    return records;
  }

  /** (first chunk rowid, count, document) of every document, by rowid: the document of an HNSW label is a binary search away. */
  documentRanges(): DocumentRange[] {
    if (this.ranges) return this.ranges;
    // A generation being written still holds the catalogue of the one it was copied from.
    const ranges = (this.db.readonly ? this.packedRanges() : null) ?? this.scanRanges();
    if (this.db.readonly) this.ranges = ranges;
    return ranges;
  }

  /** Packs the document catalogue into `meta`: called once, when the generation is complete. */
  writeCatalogue(): void {
    const ranges = this.scanRanges();
    const packed: PackedCatalogue = {
      version: 1,
      ids: ranges.map((r) => r.docId), sources: ranges.map((r) => r.source), kinds: ranges.map((r) => r.kind),
      firsts: ranges.map((r) => r.first), counts: ranges.map((r) => r.count),
    };
    this.setMeta(CATALOGUE_KEY, JSON.stringify(packed));
  }

  /** The packed catalogue, or null when absent (a generation written before it existed) or not matching the table. */
  private packedRanges(): DocumentRange[] | null {
    const raw = this.getMeta(CATALOGUE_KEY);
    if (raw === null) return null;
    const p = JSON.parse(raw) as PackedCatalogue;
    const n = p.ids?.length;
    const documents = this.db.prepare('SELECT COUNT(*) FROM documents').pluck().get() as number;
    if (p.version !== 1 || n !== documents || [p.sources, p.kinds, p.firsts, p.counts].some((a) => a?.length !== n)) return null;
    return p.ids.map((docId, i) => ({ docId, source: p.sources[i]!, kind: p.kinds[i]!, first: p.firsts[i]!, count: p.counts[i]! }));
  }

  private scanRanges(): DocumentRange[] {
    // Sorted in memory: an SQL sort of 100,000 rows costs more than the scan.
    const rows = this.db.prepare("SELECT id, source, first_chunk, chunk_count, json_extract(record, '$.kind') FROM documents").raw().all() as Array<[string, string, number, number, DocumentKind | null]>;
    return rows.map((r) => ({ docId: r[0], source: r[1], first: r[2], count: r[3], kind: r[4] ?? 'autre' })).sort((a, b) => a.first - b.first);
  }

  stats(): KbStats {
    return JSON.parse(this.getMeta('stats') ?? '{"chunks":0,"totalTerms":0}') as KbStats;
  }

  /** Recomputes the collection statistics BM25 needs (once per generation). */
  refreshStats(): KbStats {
    const row = this.db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(terms) - LENGTH(REPLACE(terms, ' ', '')) + (terms <> '')), 0) AS t FROM chunks").get() as { n: number; t: number };
    const stats = { chunks: row.n, totalTerms: row.t };
    this.setMeta('stats', JSON.stringify(stats));
    return stats;
  }

  // ---- chunks ----

  chunksByIds(ids: readonly number[]): Map<number, StoredChunk> {
    const out = new Map<number, StoredChunk>();
    const stmt = this.db.prepare('SELECT id, chunk, terms FROM chunks WHERE id = ?');
    for (const id of ids) {
      const r = stmt.get(id) as ChunkRow | undefined;
      if (r) out.set(r.id, { ...(JSON.parse(r.chunk) as StoredChunk), terms: r.terms });
    }
    return out;
  }

  termsByIds(ids: readonly number[]): Map<number, string> {
    const out = new Map<number, string>();
    const stmt = this.db.prepare('SELECT terms FROM chunks WHERE id = ?').pluck();
    for (const id of ids) {
      const t = stmt.get(id) as string | undefined;
      if (t !== undefined) out.set(id, t);
    }
    return out;
  }

  chunksOfDoc(docId: string): StoredChunk[] {
    return (this.db.prepare('SELECT id, chunk, terms FROM chunks WHERE doc_id = ? ORDER BY ord').all(docId) as ChunkRow[])
      .map((r) => ({ ...(JSON.parse(r.chunk) as StoredChunk), terms: r.terms }));
  }

  glossaryChunks(): StoredChunk[] {
    return (this.db.prepare('SELECT id, chunk, terms FROM chunks WHERE glossary = 1 ORDER BY id').all() as ChunkRow[])
      .map((r) => ({ ...(JSON.parse(r.chunk) as StoredChunk), terms: r.terms }));
  }

  *iterateChunks(): Generator<StoredChunk> {
    for (const r of this.db.prepare('SELECT id, chunk, terms FROM chunks ORDER BY id').iterate() as Iterable<ChunkRow>) {
      yield { ...(JSON.parse(r.chunk) as StoredChunk), terms: r.terms };
    }
  }

  /** Vectors of one document's passages, in order (kept for unchanged documents on re-index). */
  vectorsOfDoc(docId: string): Array<{ id: number; vector: Float32Array }> {
    return (this.db.prepare('SELECT c.id AS id, v.v AS v FROM chunks c JOIN vectors v ON v.chunk_id = c.id WHERE c.doc_id = ? ORDER BY c.ord').all(docId) as Array<{ id: number; v: Buffer }>)
      .map((r) => ({ id: r.id, vector: toFloat32(r.v) }));
  }

  *iterateVectors(): Generator<{ id: number; vector: Float32Array }> {
    for (const r of this.db.prepare('SELECT chunk_id AS id, v FROM vectors ORDER BY chunk_id').iterate() as Iterable<{ id: number; v: Buffer }>) {
      yield { id: r.id, vector: toFloat32(r.v) };
    }
  }

  // ---- lexical statistics ----

  /** Number of passages holding a term (0 when unknown). */
  documentFrequency(term: string): number {
    return (this.db.prepare('SELECT doc FROM chunks_vocab WHERE term = ?').pluck().get(term) as number | undefined) ?? 0;
  }

  termsWithPrefix(prefix: string, max: number): string[] {
    return this.db.prepare('SELECT term FROM chunks_vocab WHERE term >= ? AND term < ? ORDER BY term LIMIT ?').pluck()
      .all(prefix, prefix + '\uffff', max) as string[];
  }

  /**
   * Rowids matching any of the terms, best FTS5 bm25() first. `offset`
   * pages through the matches when a filter rejected the first ones.
   */
  matchAny(terms: readonly string[], limit: number, offset = 0): number[] {
    if (!terms.length) return [];
    const expr = terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
    return this.db.prepare('SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ? OFFSET ?').pluck()
      .all(expr, limit, offset) as number[];
  }

  // ---- blocks ----

  blocksOf(docId: string): Block[] | undefined {
    const raw = this.db.prepare('SELECT blocks FROM blocks WHERE doc_id = ?').pluck().get(docId) as string | undefined;
    return raw === undefined ? undefined : (JSON.parse(raw) as Block[]);
  }

  // ---- writes (one indexer, inside its own generation file) ----

  /** Adds one document with its passages, vectors and blocks; returns the passages' rowids in order. */
  insertDocument(record: SnapshotManifest['documents'][number], chunks: readonly StoredChunk[], vectors: Float32Array | null, dims: number, blocks: readonly Block[] | undefined): number[] {
    const insertChunk = this.db.prepare('INSERT INTO chunks (doc_id, ord, glossary, chunk, terms) VALUES (?, ?, ?, ?, ?)');
    const insertFts = this.db.prepare('INSERT INTO chunks_fts (rowid, terms) VALUES (?, ?)');
    const insertVector = this.db.prepare('INSERT INTO vectors (chunk_id, v) VALUES (?, ?)');
    const ids: number[] = [];
    chunks.forEach((c, i) => {
      const { terms, ...chunk } = c;
      const id = Number(insertChunk.run(record.id, c.ord, isGlossaryChunk(c) ? 1 : 0, JSON.stringify(chunk), terms).lastInsertRowid);
      insertFts.run(id, terms);
      if (vectors && dims) insertVector.run(id, Buffer.from(vectors.buffer, vectors.byteOffset + i * dims * 4, dims * 4));
      ids.push(id);
    });
    this.db.prepare('INSERT INTO documents (id, source, first_chunk, chunk_count, record) VALUES (?, ?, ?, ?, ?)')
      .run(record.id, record.source, ids[0] ?? 0, ids.length, JSON.stringify(record));
    if (blocks) this.db.prepare('INSERT INTO blocks (doc_id, blocks) VALUES (?, ?)').run(record.id, JSON.stringify(blocks));
    return ids;
  }

  /** Updates a kept document's record (its metadata changed, its passages did not). */
  updateRecord(record: SnapshotManifest['documents'][number]): void {
    this.db.prepare('UPDATE documents SET record = ?, source = ? WHERE id = ?').run(JSON.stringify(record), record.source, record.id);
  }

  /** Removes a document and everything derived from it; returns the rowids its passages had. */
  deleteDocument(docId: string): number[] {
    const rows = this.db.prepare('SELECT id, terms FROM chunks WHERE doc_id = ?').all(docId) as Array<{ id: number; terms: string }>;
    const deleteFts = this.db.prepare("INSERT INTO chunks_fts (chunks_fts, rowid, terms) VALUES ('delete', ?, ?)");
    for (const r of rows) deleteFts.run(r.id, r.terms);
    this.db.prepare('DELETE FROM vectors WHERE chunk_id IN (SELECT id FROM chunks WHERE doc_id = ?)').run(docId);
    this.db.prepare('DELETE FROM chunks WHERE doc_id = ?').run(docId);
    this.db.prepare('DELETE FROM documents WHERE id = ?').run(docId);
    this.db.prepare('DELETE FROM blocks WHERE doc_id = ?').run(docId);
    return rows.map((r) => r.id);
  }

  setManifestHead(head: { version: number; createdAt: string; embedder: SnapshotManifest['embedder']; chunkCount: number; errors: IndexError[] }): void {
    this.setMeta('manifest', JSON.stringify(head));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function toFloat32(buf: Buffer): Float32Array {
  // Copied: a Buffer from SQLite may not be 4-byte aligned.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
