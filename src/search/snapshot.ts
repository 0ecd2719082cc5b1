import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PtsmError } from '../core/errors.js';
import type { Block, Chunk, DocumentRecord } from '../core/types.js';
import { LruMap } from '../core/lru.js';
import { KB_FILE, KbFile } from './kb-file.js';

/**
 * The knowledge base on disk: one immutable folder per generation (a SQLite
 * file and the HNSW graph of its vectors), and a CURRENT file naming the live
 * one. A new index is written beside the old, then CURRENT is swapped by
 * rename (atomic on POSIX): a crash at any point leaves a complete index —
 * the old one or the new one, never half of each.
 */
export const SNAPSHOT_VERSION = 2;

export interface IndexError { source: string; code: string; message: string }

export interface SnapshotManifest {
  version: number;
  createdAt: string;
  embedder: { id: string; dimensions: number };
  documents: Array<DocumentRecord & { absPath: string }>;
  chunkCount: number;
  /** Files that could not be indexed during the run that produced this snapshot. */
  errors: IndexError[];
}

export interface StoredChunk extends Chunk { terms: string }

/** Parsed blocks of a document, read when asked for (the fiche registry and the answerer need a few documents, not all). */
export interface BlockSource { get(docId: string): Block[] | undefined }

/**
 * A generation as its readers see it: the manifest in memory, passages and
 * blocks read from its SQLite file on demand.
 */
export interface SnapshotView {
  manifest: SnapshotManifest;
  blocks: BlockSource;
  chunksOf(docId: string): StoredChunk[];
  /** The generation's file (the knowledge base searches it). */
  file: KbFile;
  /** The generation folder, and its name. */
  dir: string;
  generation: string;
  close(): void;
}

export function kbDir(dataDir: string): string {
  return path.join(dataDir, 'kb');
}

export function currentGeneration(dataDir: string): string | null {
  try {
    const name = fs.readFileSync(path.join(kbDir(dataDir), 'CURRENT'), 'utf8').trim();
    return name && fs.existsSync(path.join(kbDir(dataDir), name)) ? name : null;
  } catch {
    return null;
  }
}

export function generationDir(dataDir: string, gen: string): string {
  return path.join(kbDir(dataDir), gen);
}

/** The current generation's manifest alone (documents and their paths), without passages or vectors. */
export function readManifest(dataDir: string): SnapshotManifest | null {
  const view = readSnapshot(dataDir);
  if (!view) return null;
  try {
    // The spread reads the documents while the file is open (they are read lazily).
    return { ...view.manifest };
  } finally {
    view.close();
  }
}

/** Opens the current generation, or null when there is none. Throws INDEX_CORRUPT (French hint) when it cannot be read. */
export function readSnapshot(dataDir: string): SnapshotView | null {
  const gen = currentGeneration(dataDir);
  if (!gen) return null;
  const dir = generationDir(dataDir, gen);
  const file = path.join(dir, KB_FILE);
  if (!fs.existsSync(file)) {
    const legacy = fs.existsSync(path.join(dir, 'chunks.jsonl'));
    throw new PtsmError('INDEX_CORRUPT', legacy
      ? `Index dans l'ancien format (${dir}) : relancez « ptsm index » (les vecteurs déjà calculés sont repris).`
      : `Index incomplet dans ${dir} (${KB_FILE} absent) : relancez « ptsm index ».`, { input: dir });
  }
  let kb: KbFile | null = null;
  try {
    kb = KbFile.openReadOnly(file);
    const manifest = kb.manifest();
    if (manifest.version !== SNAPSHOT_VERSION) {
      throw new PtsmError('INDEX_CORRUPT', `Index au format ${manifest.version}, attendu ${SNAPSHOT_VERSION} : relancez « ptsm index ».`, { input: dir });
    }
    const opened = kb;
    // Readers ask for the same few documents' blocks many times per question.
    const blocks = new LruMap<string, Block[] | null>(BLOCK_CACHE_DOCUMENTS);
    return {
      manifest,
      blocks: { get: (docId) => blocks.getOr(docId, () => opened.blocksOf(docId) ?? null) ?? undefined },
      chunksOf: (docId) => opened.chunksOfDoc(docId),
      file: opened,
      dir,
      generation: gen,
      close: () => opened.close(),
    };
  } catch (e) {
    kb?.close();
    if (e instanceof PtsmError) throw e;
    throw new PtsmError('INDEX_CORRUPT', `Index illisible dans ${dir} (${(e as Error).message}) : relancez « ptsm index ».`, { input: dir, cause: e });
  }
}

/** What an index of the first format (JSON lines and a raw vector file) held: read once, to migrate it without re-embedding. */
export interface LegacySnapshot {
  manifest: SnapshotManifest;
  chunks: StoredChunk[];
  vectors: Float32Array;
  blocks: Map<string, Block[]>;
}

export function readLegacySnapshot(dataDir: string): LegacySnapshot | null {
  const gen = currentGeneration(dataDir);
  if (!gen) return null;
  const dir = generationDir(dataDir, gen);
  if (!fs.existsSync(path.join(dir, 'chunks.jsonl'))) return null;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
  const chunks = readJsonl<StoredChunk>(path.join(dir, 'chunks.jsonl'));
  const raw = fs.readFileSync(path.join(dir, 'vectors.f32'));
  const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const blocks = new Map<string, Block[]>();
  for (const rec of readJsonl<{ docId: string; blocks: Block[] }>(path.join(dir, 'blocks.jsonl'))) blocks.set(rec.docId, rec.blocks);
  if (chunks.length !== manifest.chunkCount || vectors.length !== chunks.length * manifest.embedder.dimensions) return null;
  return { manifest, chunks, vectors, blocks };
}

/**
 * A new generation being written in a temporary folder: it starts as a copy
 * of the current one (so an incremental run only writes what changed), and
 * becomes current in one rename. A crash before `commit` leaves the current
 * generation untouched; the temporary folder is removed by the next run.
 */
export class GenerationWriter {
  private constructor(
    readonly dataDir: string,
    readonly gen: string,
    readonly dir: string,
    readonly file: KbFile,
    /** The generation this one started from (its files were copied), if any. */
    readonly base: string | null,
  ) {}

  /** `from`: a generation whose files to start from (null: an empty index). */
  static begin(dataDir: string, from: string | null): GenerationWriter {
    const root = kbDir(dataDir);
    fs.mkdirSync(root, { recursive: true });
    const gen = `gen-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;
    const dir = path.join(root, `.tmp-${gen}`);
    fs.mkdirSync(dir);
    if (from) {
      const src = generationDir(dataDir, from);
      fs.copyFileSync(path.join(src, KB_FILE), path.join(dir, KB_FILE));
      if (fs.existsSync(path.join(src, VECTORS_FILE))) fs.copyFileSync(path.join(src, VECTORS_FILE), path.join(dir, VECTORS_FILE));
    }
    const file = KbFile.openWritable(path.join(dir, KB_FILE));
    return new GenerationWriter(dataDir, gen, dir, file, from);
  }

  get vectorsFile(): string {
    return path.join(this.dir, VECTORS_FILE);
  }

  /** Makes this generation the current one. */
  commit(): string {
    this.file.writeCatalogue();
    this.file.close();
    fsyncFile(path.join(this.dir, KB_FILE));
    if (fs.existsSync(this.vectorsFile)) fsyncFile(this.vectorsFile);
    fsyncDir(this.dir);
    const root = kbDir(this.dataDir);
    fs.renameSync(this.dir, path.join(root, this.gen));
    const pointerTmp = path.join(root, `.CURRENT-${this.gen}`);
    fs.writeFileSync(pointerTmp, this.gen);
    fs.renameSync(pointerTmp, path.join(root, 'CURRENT'));
    fsyncDir(root);
    removeStaleGenerations(root, this.gen);
    return this.gen;
  }

  abort(): void {
    this.file.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Documents whose parsed blocks a reader keeps in memory. */
const BLOCK_CACHE_DOCUMENTS = 256;

/** The HNSW graph of a generation, beside its SQLite file. */
export const VECTORS_FILE = 'vectors.hnsw';

function removeStaleGenerations(root: string, keep: string): void {
  for (const name of fs.readdirSync(root)) {
    if (name === keep || name === 'CURRENT' || name === 'LOCK') continue;
    if (name.startsWith('gen-') || name.startsWith('.tmp-') || name.startsWith('.CURRENT-')) {
      fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readJsonl<T>(file: string): T[] {
  const out: T[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line) out.push(JSON.parse(line) as T);
  return out;
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch { /* not supported on every platform */ }
}

/**
 * One indexer at a time per data directory. A lock left by a dead process
 * (crash) is taken over.
 */
export function acquireLock(dataDir: string): () => void {
  const root = kbDir(dataDir);
  fs.mkdirSync(root, { recursive: true });
  const file = path.join(root, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch {
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new PtsmError('USAGE', `Une indexation est déjà en cours (processus ${pid}) sur ${dataDir}.`, { input: dataDir });
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new PtsmError('USAGE', `Impossible de verrouiller ${file}.`, { input: file });
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
