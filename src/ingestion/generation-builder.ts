import fs from 'node:fs';
import { PtsmError, describeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Block, DocumentRecord } from '../core/types.js';
import type { Embedder } from '../search/embedders/embedder.js';
import {
  SNAPSHOT_VERSION, readLegacySnapshot, readSnapshot,
  type GenerationWriter, type IndexError, type LegacySnapshot, type SnapshotManifest, type SnapshotView, type StoredChunk,
} from '../search/snapshot.js';
import { VectorIndex } from '../search/vector-index.js';

export type DocEntry = DocumentRecord & { absPath: string };

/** Rebuild the HNSW graph from the stored vectors once this share of its points are deletions. */
const REBUILD_DELETED_SHARE = 0.3;

/** The index a run starts from: the current generation, or one of the first format to migrate. */
export interface BaseIndex {
  kind: 'current' | 'legacy';
  gen: string;
  manifest: SnapshotManifest;
  close(): void;
  blocks(docId: string): Block[] | undefined;
  /** Legacy indexes only: a document's passages and vectors, to copy them into the new format. */
  legacyDocument?(docId: string): { chunks: StoredChunk[]; vectors: Float32Array } | undefined;
}

/** A failure writing the new generation (disk full, SQLite error): it ends the run, it is not the fault of one input file. */
export class GenerationWriteError extends Error {
  constructor(readonly reason: unknown) {
    super(describeError(reason));
  }
}

export function openBase(dataDir: string, logger: Logger): BaseIndex | null {
  let view: SnapshotView | null = null;
  try {
    view = readSnapshot(dataDir);
  } catch (e) {
    try {
      const legacy = readLegacySnapshot(dataDir);
      if (legacy) return legacyBase(dataDir, legacy);
    } catch { /* unreadable as well: rebuilt below */ }
    // A damaged index is rebuilt from the files rather than blocking indexing.
    logger.warn('previous index unreadable, rebuilding from scratch', { error: describeError(e) });
    return null;
  }
  if (!view) return null;
  const opened = view;
  return {
    kind: 'current',
    gen: opened.dir.split(/[\\/]/).pop()!,
    manifest: opened.manifest,
    close: () => opened.close(),
    blocks: (docId) => opened.blocks.get(docId),
  };
}

function legacyBase(dataDir: string, legacy: LegacySnapshot): BaseIndex {
  const dims = legacy.manifest.embedder.dimensions;
  const byDoc = new Map<string, { start: number; end: number }>();
  legacy.chunks.forEach((c, i) => {
    const r = byDoc.get(c.docId);
    if (r) r.end = i + 1;
    else byDoc.set(c.docId, { start: i, end: i + 1 });
  });
  return {
    kind: 'legacy',
    gen: dataDir,
    manifest: legacy.manifest,
    close: () => undefined,
    blocks: (docId) => legacy.blocks.get(docId),
    legacyDocument: (docId) => {
      const r = byDoc.get(docId);
      return r ? { chunks: legacy.chunks.slice(r.start, r.end), vectors: legacy.vectors.slice(r.start * dims, r.end * dims) } : undefined;
    },
  };
}

/**
 * Applies one indexing run to a new generation, document by document, as
 * the files are read: a kept document costs nothing (its rows were copied
 * with the previous generation's file), a changed one is replaced in place,
 * and the vector graph follows. Memory stays that of one document and the
 * graph, whatever the size of the index.
 */
export class GenerationBuilder {
  private readonly kept = new Set<string>();
  private readonly initial: Set<string>;
  private readonly previous: Map<string, DocEntry>;
  private ann: VectorIndex | null = null;
  private dims: number;
  private documents = 0;
  private chunks = 0;

  constructor(private readonly writer: GenerationWriter, private readonly base: BaseIndex | null, private readonly sameEmbedder: boolean, private readonly logger: Logger) {
    // What the copied file holds: the previous generation when it could be extended, else nothing.
    this.initial = new Set(writer.base ? (base?.manifest.documents ?? []).map((d) => d.id) : []);
    this.dims = writer.base ? base?.manifest.embedder.dimensions ?? 0 : 0;
    this.previous = new Map((base?.manifest.documents ?? []).map((d) => [d.id, d]));
  }

  get hasBase(): boolean {
    return this.base !== null;
  }

  get documentCount(): number {
    return this.documents;
  }

  get chunkCount(): number {
    return this.chunks;
  }

  /** True when the previous version of a document can be kept as it is. */
  canKeep(docId: string): boolean {
    if (!this.base || !this.sameEmbedder) return false;
    if (this.base.kind === 'legacy') return !!this.base.legacyDocument?.(docId);
    return this.initial.has(docId);
  }

  previousBlocks(docId: string): Block[] | undefined {
    return this.base?.blocks(docId);
  }

  keep(record: DocEntry): void {
    if (this.kept.has(record.id)) return;
    this.kept.add(record.id);
    this.documents++;
    this.chunks += record.chunkCount;
    this.write(() => {
      if (this.base?.kind === 'legacy') {
        const doc = this.base.legacyDocument!(record.id)!;
        this.dims ||= this.base.manifest.embedder.dimensions;
        const ids = this.writer.file.insertDocument(record, doc.chunks, doc.vectors, this.dims, this.base.blocks(record.id));
        this.addVectors(ids, doc.vectors);
        return;
      }
      const before = this.previous.get(record.id);
      if (before && before.patientData !== record.patientData) this.writer.file.updateRecord(record);
    });
  }

  replace(record: DocEntry, chunks: readonly StoredChunk[], vectors: Float32Array, blocks: readonly Block[], dims: number): void {
    this.dims ||= dims;
    if (dims && this.dims !== dims) {
      throw new PtsmError('EMBEDDER_FAILED', `L'embedder a renvoyé des vecteurs de dimension ${dims}, l'index en a ${this.dims} : relancez « ptsm index » après avoir vérifié la configuration.`, { input: record.source });
    }
    this.write(() => {
      this.writer.file.transaction(() => {
        if (this.initial.has(record.id)) this.removeDocument(record.id);
        const ids = this.writer.file.insertDocument(record, chunks, vectors, this.dims, blocks);
        this.addVectors(ids, vectors);
      });
    });
    if (!this.kept.has(record.id)) {
      this.kept.add(record.id);
      this.documents++;
      this.chunks += chunks.length;
    }
  }

  /** Drops what the run did not keep, writes the statistics and the graph, and makes the generation current. */
  commit(embedder: Embedder, errors: IndexError[]): string {
    this.write(() => {
      const file = this.writer.file;
      file.transaction(() => {
        for (const docId of this.initial) if (!this.kept.has(docId)) this.removeDocument(docId);
      });
      if (!this.dims) {
        try { this.dims = embedder.dimensions; } catch { this.dims = 0; }
      }
      file.setManifestHead({ version: SNAPSHOT_VERSION, createdAt: new Date().toISOString(), embedder: { id: embedder.id, dimensions: this.dims }, chunkCount: this.chunks, errors });
      const stats = file.refreshStats();
      let ann = this.graph();
      if (ann && ann.deletedCount > REBUILD_DELETED_SHARE * Math.max(1, ann.size)) {
        this.logger.info('rebuilding the vector graph', { deleted: ann.deletedCount, live: ann.size });
        ann = VectorIndex.build(file.iterateVectors(), this.dims, stats.chunks);
      }
      if (ann && stats.chunks) {
        ann.write(this.writer.vectorsFile);
        file.setMeta('hnsw_deleted', String(ann.deletedCount));
      } else {
        fs.rmSync(this.writer.vectorsFile, { force: true });
        file.setMeta('hnsw_deleted', '0');
      }
    });
    return this.writer.commit();
  }

  abort(): void {
    this.writer.abort();
  }

  private removeDocument(docId: string): void {
    const labels = this.writer.file.deleteDocument(docId);
    const ann = this.graph();
    for (const l of labels) ann?.remove(l);
    this.initial.delete(docId);
  }

  private addVectors(ids: readonly number[], vectors: Float32Array): void {
    if (!this.dims || !ids.length) return;
    const ann = this.graph() ?? (this.ann = VectorIndex.empty(this.dims, ids.length));
    ann.reserve(ids.length);
    ids.forEach((id, i) => ann.add(id, vectors.subarray(i * this.dims, (i + 1) * this.dims)));
  }

  /** The graph copied with the previous generation, read on first use. */
  private graph(): VectorIndex | null {
    if (!this.ann && this.writer.base && this.dims && fs.existsSync(this.writer.vectorsFile)) {
      this.ann = VectorIndex.read(this.writer.vectorsFile, this.dims, Number(this.writer.file.getMeta('hnsw_deleted') ?? 0));
    }
    return this.ann;
  }

  private write(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof PtsmError) throw e;
      throw new GenerationWriteError(e);
    }
  }
}
