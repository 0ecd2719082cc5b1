import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PtsmError, describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Block, DocumentKind, DocumentRecord } from '../core/types.js';
import type { Embedder } from '../search/embedders/embedder.js';
import { indexedText } from '../search/knowledge-base.js';
import { SNAPSHOT_VERSION, acquireLock, readSnapshot, writeSnapshot, type IndexError, type SnapshotData, type StoredChunk } from '../search/snapshot.js';
import { VectorIndex } from '../search/vector-index.js';
import { countPatientData } from '../privacy/index.js';
import { analyze } from '../text/french.js';
import { chunkDocument } from './chunker.js';
import { detectKind } from './detect-kind.js';
import { DEFAULT_INGESTION_LIMITS, type IngestionLimits } from './limits.js';
import { findDocumentDate } from './document-date.js';
import { loaderFor } from './loaders.js';
import { walkPaths } from './walk.js';

export type FileStatus = 'indexed' | 'unchanged' | 'removed' | 'skipped' | 'error';

export interface FileResult {
  source: string; status: FileStatus; chunks: number; kind?: DocumentKind; message?: string; code?: string;
  /** Passages that look like they concern a patient (masked in answers and before anything leaves for an LLM); absent when none. */
  patientData?: number;
}

export interface IndexReport {
  files: FileResult[];
  documents: number;
  chunks: number;
  generation: string | null;
  /** Documents whose content changed in this run (new or modified): consumers such as the fiche registry re-read these. */
  changedDocIds: string[];
}

export interface IndexOptions {
  dataDir: string;
  embedder: Embedder;
  logger: Logger;
  /** Force the kind of every file of this run. */
  kind?: DocumentKind;
  onProgress?: (done: number, total: number, result: FileResult) => void;
  /** Embedding batch size (remote endpoints like batches). */
  batchSize?: number;
  cwd?: string;
  /** What reading one file may cost (archive and PDF bounds); defaults to DEFAULT_INGESTION_LIMITS. */
  limits?: IngestionLimits;
}

type DocEntry = DocumentRecord & { absPath: string };

/**
 * Indexes files and folders into the knowledge base of a data directory.
 * Incremental: unchanged files (same content hash, same embedder) keep their
 * chunks and vectors; files gone from disk leave the index. A file that fails
 * keeps its previous version in the index, if any. Nothing is visible until
 * the new snapshot is complete.
 */
export async function indexPaths(inputs: readonly string[], opts: IndexOptions): Promise<IndexReport> {
  const release = acquireLock(opts.dataDir);
  try {
    return await runIndex(inputs, opts);
  } finally {
    release();
  }
}

async function runIndex(inputs: readonly string[], opts: IndexOptions): Promise<IndexReport> {
  const cwd = opts.cwd ?? process.cwd();
  const previous = readSnapshotSafely(opts.dataDir, opts.logger);
  const sameEmbedder = previous?.manifest.embedder.id === opts.embedder.id;
  const prevDocs = new Map((previous?.manifest.documents ?? []).map((d) => [d.id, d]));
  const prevChunks = groupChunks(previous);

  const entries = walkPaths(inputs.map((i) => path.resolve(cwd, i)));
  const files: FileResult[] = [];
  const errors: IndexError[] = [];
  const docs = new Map<string, DocEntry>();
  const chunksByDoc = new Map<string, StoredChunk[]>();
  const vectorsByDoc = new Map<string, Float32Array>();
  const blocksByDoc = new Map<string, Block[]>();
  const changedDocIds: string[] = [];
  const seen = new Set<string>();
  let done = 0;

  const report = (r: FileResult): void => {
    files.push(r);
    if (r.status === 'error') errors.push({ source: r.source, code: r.code ?? 'ERROR', message: r.message ?? '' });
    opts.onProgress?.(++done, entries.length, r);
  };

  for (const entry of entries) {
    const source = displayPath(entry.path, cwd);
    if (entry.kind === 'missing') {
      report({ source, status: 'error', chunks: 0, code: 'INPUT_NOT_FOUND', message: `Chemin introuvable : ${source}` });
      continue;
    }
    if (entry.kind === 'outside') {
      report({ source, status: 'skipped', chunks: 0, message: `Lien symbolique ignoré : ${source} mène hors des dossiers à indexer (${entry.target})` });
      continue;
    }
    if (entry.kind === 'broken-link') {
      report({ source, status: 'skipped', chunks: 0, message: `Lien symbolique cassé ou qui boucle sur lui-même, ignoré : ${source}` });
      continue;
    }
    const loader = loaderFor(entry.path);
    if (!loader) {
      report({ source, status: 'skipped', chunks: 0, message: `Format non pris en charge (${path.extname(entry.path) || 'sans extension'}) : ${source}` });
      continue;
    }
    const docId = sha1(entry.path);
    seen.add(docId);
    try {
      const buf = fs.readFileSync(entry.path);
      const hash = crypto.createHash('sha256').update(buf).digest('hex');
      const prev = prevDocs.get(docId);
      if (prev && prev.hash === hash && sameEmbedder && (!opts.kind || prev.kind === opts.kind) && prevChunks.has(docId)) {
        // Counted once per content: indexes built before the count existed get it now.
        const flagged = prev.patientData ?? countPatientData((previous!.blocks.get(docId) ?? []).map((b) => b.text));
        keepPrevious(docId, { ...prev, patientData: flagged });
        report({ source, status: 'unchanged', chunks: prev.chunkCount, kind: prev.kind, ...reported(flagged) });
        continue;
      }
      const parsed = await loader.load(buf, source, opts.limits ?? DEFAULT_INGESTION_LIMITS);
      const kind = opts.kind ?? detectKind(source, parsed);
      const date = findDocumentDate(source, parsed);
      const chunks = chunkDocument(parsed, { docId, source, title: parsed.title, kind, date });
      if (!chunks.length) throw new PtsmError('INPUT_EMPTY', `Aucun passage indexable dans : ${source}`, { input: source });
      const stored = chunks.map((c) => ({ ...c, terms: analyze(indexedText(c)).join(' ') }));
      const vectors = await embedAll(opts.embedder, stored.map(indexedText), opts.batchSize ?? 64);
      const flagged = countPatientData(parsed.blocks.map((b) => b.text));
      docs.set(docId, { id: docId, source, absPath: entry.path, title: parsed.title, kind, hash, date, pageCount: parsed.pageCount, chunkCount: stored.length, indexedAt: new Date().toISOString(), patientData: flagged });
      chunksByDoc.set(docId, stored);
      vectorsByDoc.set(docId, vectors);
      blocksByDoc.set(docId, parsed.blocks);
      changedDocIds.push(docId);
      report({ source, status: 'indexed', chunks: stored.length, kind, ...reported(flagged) });
    } catch (e) {
      const code = e instanceof PtsmError ? e.code : 'INPUT_CORRUPT';
      if (e instanceof PtsmError && (e.code === 'EMBEDDER_FAILED' || e.code === 'CONFIG_INVALID')) throw e;
      opts.logger.warn('file not indexed', { source, code, error: describeError(e) });
      // No data lost: a file that indexed before and fails now keeps its previous version.
      const prev = prevDocs.get(docId);
      if (prev && sameEmbedder && prevChunks.has(docId)) keepPrevious(docId, prev);
      report({ source, status: 'error', chunks: 0, code, message: describeError(e) + (prev ? ' (version précédente conservée)' : '') });
    }
  }

  // Documents indexed earlier from other paths stay, unless their file is gone.
  for (const prev of prevDocs.values()) {
    if (seen.has(prev.id)) continue;
    if (fs.existsSync(prev.absPath) && sameEmbedder && prevChunks.has(prev.id)) {
      keepPrevious(prev.id, prev);
    } else if (!fs.existsSync(prev.absPath)) {
      files.push({ source: prev.source, status: 'removed', chunks: 0 });
    } else {
      opts.logger.warn('document dropped: embedder changed, re-index its folder', { source: prev.source });
      files.push({ source: prev.source, status: 'removed', chunks: 0, message: "Embedder changé : réindexez ce document." });
    }
  }

  const indexedSomething = files.some((f) => f.status === 'indexed' || f.status === 'unchanged');
  const changed = changedDocIds.length > 0 || files.some((f) => f.status === 'removed') || !previous;
  let generation: string | null = null;
  if (indexedSomething || (previous && changed)) {
    generation = commit(opts, docs, chunksByDoc, vectorsByDoc, blocksByDoc, errors);
  }
  const chunkTotal = [...chunksByDoc.values()].reduce((n, c) => n + c.length, 0);
  return { files, documents: docs.size, chunks: chunkTotal, generation, changedDocIds };

  function keepPrevious(docId: string, prev: DocEntry): void {
    const pc = prevChunks.get(docId)!;
    docs.set(docId, prev);
    chunksByDoc.set(docId, pc.chunks);
    vectorsByDoc.set(docId, pc.vectors);
    const blocks = previous!.blocks.get(docId);
    if (blocks) blocksByDoc.set(docId, blocks);
  }
}

/** The report names each document that seems to hold patient data, with a count, so the coordination can clean it. */
function reported(patientData: number): { patientData?: number } {
  return patientData ? { patientData } : {};
}

function commit(
  opts: IndexOptions,
  docs: Map<string, DocEntry>,
  chunksByDoc: Map<string, StoredChunk[]>,
  vectorsByDoc: Map<string, Float32Array>,
  blocksByDoc: Map<string, Block[]>,
  errors: IndexError[],
): string {
  const ordered = [...docs.values()].sort((a, b) => a.source.localeCompare(b.source));
  const chunks: StoredChunk[] = [];
  const dims = dimensionsOf(opts.embedder, vectorsByDoc);
  const vectors = new Float32Array(ordered.reduce((n, d) => n + (chunksByDoc.get(d.id)?.length ?? 0), 0) * dims);
  for (const d of ordered) {
    const cs = chunksByDoc.get(d.id) ?? [];
    vectors.set(vectorsByDoc.get(d.id)!, chunks.length * dims);
    chunks.push(...cs);
  }
  const data: SnapshotData = {
    manifest: {
      version: SNAPSHOT_VERSION,
      createdAt: new Date().toISOString(),
      embedder: { id: opts.embedder.id, dimensions: dims },
      documents: ordered,
      chunkCount: chunks.length,
      errors,
    },
    chunks,
    vectors,
    blocks: blocksByDoc,
  };
  return writeSnapshot(opts.dataDir, data, (dir) => {
    if (chunks.length) VectorIndex.build(vectors, dims, chunks.length).write(path.join(dir, 'vectors.hnsw'));
  });
}

function dimensionsOf(embedder: Embedder, vectorsByDoc: Map<string, Float32Array>): number {
  try {
    return embedder.dimensions;
  } catch {
    // Remote embedders learn their dimension from the first call.
    for (const [, v] of vectorsByDoc) if (v.length) return v.length;
    return 0;
  }
}

async function embedAll(embedder: Embedder, texts: string[], batchSize: number): Promise<Float32Array> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedder.embedDocuments(texts.slice(i, i + batchSize))));
  const dims = out[0]?.length ?? 0;
  const flat = new Float32Array(out.length * dims);
  out.forEach((v, i) => flat.set(v, i * dims));
  return flat;
}

function groupChunks(snap: SnapshotData | null): Map<string, { chunks: StoredChunk[]; vectors: Float32Array }> {
  const map = new Map<string, { chunks: StoredChunk[]; vectors: Float32Array }>();
  if (!snap) return map;
  const dims = snap.manifest.embedder.dimensions;
  let start = 0;
  while (start < snap.chunks.length) {
    const docId = snap.chunks[start]!.docId;
    let end = start;
    while (end < snap.chunks.length && snap.chunks[end]!.docId === docId) end++;
    map.set(docId, { chunks: snap.chunks.slice(start, end), vectors: snap.vectors.slice(start * dims, end * dims) });
    start = end;
  }
  return map;
}

function readSnapshotSafely(dataDir: string, logger: Logger): SnapshotData | null {
  try {
    return readSnapshot(dataDir);
  } catch (e) {
    // A damaged index is rebuilt from the files rather than blocking indexing.
    logger.warn('previous index unreadable, rebuilding from scratch', { error: describeError(e) });
    return null;
  }
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

function sha1(s: string): string {
  return crypto.createHash('sha1').update(s).digest('hex').slice(0, 16);
}
