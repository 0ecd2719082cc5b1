import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PtsmError, describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DocumentKind } from '../core/types.js';
import type { Embedder } from '../search/embedders/embedder.js';
import { indexedText } from '../search/knowledge-base.js';
import { GenerationWriter, acquireLock, type IndexError } from '../search/snapshot.js';
import { countPatientData } from '../privacy/index.js';
import { analyzeAndTokenize } from '../text/french.js';
import { chunkDocument } from './chunker.js';
import { detectKind } from './detect-kind.js';
import { DEFAULT_INGESTION_LIMITS, type IngestionLimits } from './limits.js';
import { findDocumentDate } from './document-date.js';
import { loaderFor } from './loaders.js';
import { walkPaths } from './walk.js';
import { GenerationBuilder, GenerationWriteError, openBase, type DocEntry } from './generation-builder.js';

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
  const base = openBase(opts.dataDir, opts.logger);
  const sameEmbedder = base?.manifest.embedder.id === opts.embedder.id;
  const prevDocs = new Map((base?.manifest.documents ?? []).map((d) => [d.id, d]));
  // An index of another embedder cannot be extended: its vectors would not compare with the new ones.
  const writer = GenerationWriter.begin(opts.dataDir, base?.kind === 'current' && sameEmbedder ? base.gen : null);
  const target = new GenerationBuilder(writer, base, sameEmbedder, opts.logger);
  try {
    const result = await walkAndIndex(inputs, opts, cwd, prevDocs, sameEmbedder, target);
    return result;
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    base?.close();
  }
}

async function walkAndIndex(
  inputs: readonly string[],
  opts: IndexOptions,
  cwd: string,
  prevDocs: ReadonlyMap<string, DocEntry>,
  sameEmbedder: boolean,
  target: GenerationBuilder,
): Promise<IndexReport> {
  const entries = walkPaths(inputs.map((i) => path.resolve(cwd, i)));
  const files: FileResult[] = [];
  const errors: IndexError[] = [];
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
      const sameReader = (prev?.reader ?? 1) === loader.reader;
      if (prev && prev.hash === hash && sameEmbedder && sameReader && (!opts.kind || prev.kind === opts.kind) && target.canKeep(docId)) {
        // Counted once per content: indexes built before the count existed get it now.
        const flagged = prev.patientData ?? countPatientData((target.previousBlocks(docId) ?? []).map((b) => b.text));
        target.keep({ ...prev, patientData: flagged });
        report({ source, status: 'unchanged', chunks: prev.chunkCount, kind: prev.kind, ...reported(flagged) });
        continue;
      }
      const parsed = await loader.load(buf, source, opts.limits ?? DEFAULT_INGESTION_LIMITS);
      const kind = opts.kind ?? detectKind(source, parsed);
      const date = findDocumentDate(source, parsed);
      const chunks = chunkDocument(parsed, { docId, source, title: parsed.title, kind, date });
      if (!chunks.length) throw new PtsmError('INPUT_EMPTY', `Aucun passage indexable dans : ${source}`, { input: source });
      // Each passage is analysed once: its terms go to FTS5, and the local embedder reuses them.
      const analysed = chunks.map((c) => analyzeAndTokenize(indexedText(c)));
      const stored = chunks.map((c, i) => ({ ...c, terms: analysed[i]!.terms.join(' ') }));
      const vectors = opts.embedder.embedAnalyzed
        ? flatten(opts.embedder.embedAnalyzed(analysed))
        : await embedAll(opts.embedder, stored.map(indexedText), opts.batchSize ?? 64);
      const flagged = countPatientData(parsed.blocks.map((b) => b.text));
      target.replace(
        { id: docId, source, absPath: entry.path, title: parsed.title, kind, hash, date, pageCount: parsed.pageCount, chunkCount: stored.length, indexedAt: new Date().toISOString(), patientData: flagged, reader: loader.reader },
        stored, vectors, parsed.blocks, dimensionsOf(opts.embedder, vectors, stored.length),
      );
      changedDocIds.push(docId);
      report({ source, status: 'indexed', chunks: stored.length, kind, ...reported(flagged) });
    } catch (e) {
      const code = e instanceof PtsmError ? e.code : 'INPUT_CORRUPT';
      if (e instanceof PtsmError && (e.code === 'EMBEDDER_FAILED' || e.code === 'CONFIG_INVALID')) throw e;
      if (e instanceof GenerationWriteError) throw e.reason;
      opts.logger.warn('file not indexed', { source, code, error: describeError(e) });
      // No data lost: a file that indexed before and fails now keeps its previous version.
      const prev = prevDocs.get(docId);
      if (prev && sameEmbedder && target.canKeep(docId)) target.keep(prev);
      report({ source, status: 'error', chunks: 0, code, message: describeError(e) + (prev ? ' (version précédente conservée)' : '') });
    }
  }

  // Documents indexed earlier from other paths stay, unless their file is gone.
  for (const prev of prevDocs.values()) {
    if (seen.has(prev.id)) continue;
    if (fs.existsSync(prev.absPath) && sameEmbedder && target.canKeep(prev.id)) {
      target.keep(prev);
    } else if (!fs.existsSync(prev.absPath)) {
      files.push({ source: prev.source, status: 'removed', chunks: 0 });
    } else {
      opts.logger.warn('document dropped: embedder changed, re-index its folder', { source: prev.source });
      files.push({ source: prev.source, status: 'removed', chunks: 0, message: "Embedder changé : réindexez ce document." });
    }
  }

  const indexedSomething = files.some((f) => f.status === 'indexed' || f.status === 'unchanged');
  const changed = changedDocIds.length > 0 || files.some((f) => f.status === 'removed') || !target.hasBase;
  let generation: string | null = null;
  if (indexedSomething || (target.hasBase && changed)) {
    generation = target.commit(opts.embedder, errors);
  } else {
    target.abort();
  }
  return { files, documents: target.documentCount, chunks: target.chunkCount, generation, changedDocIds };
}

/** The report names each document that seems to hold patient data, with a count, so the coordination can clean it. */
function reported(patientData: number): { patientData?: number } {
  return patientData ? { patientData } : {};
}

function dimensionsOf(embedder: Embedder, vectors: Float32Array, count: number): number {
  try {
    return embedder.dimensions;
  } catch {
    // Remote embedders learn their dimension from the first call.
    return count ? vectors.length / count : 0;
  }
}

async function embedAll(embedder: Embedder, texts: string[], batchSize: number): Promise<Float32Array> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedder.embedDocuments(texts.slice(i, i + batchSize))));
  return flatten(out);
}

function flatten(out: readonly number[][]): Float32Array {
  const dims = out[0]?.length ?? 0;
  const flat = new Float32Array(out.length * dims);
  out.forEach((v, i) => flat.set(v, i * dims));
  return flat;
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

function sha1(s: string): string {
  return crypto.createHash('sha1').update(s).digest('hex').slice(0, 16);
}
