import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PtsmError } from '../core/errors.js';
import type { Block, Chunk, DocumentRecord } from '../core/types.js';

/**
 * The knowledge base on disk: one immutable folder per generation, and a
 * CURRENT file naming the live one. A new index is written beside the old,
 * then CURRENT is swapped by rename (atomic on POSIX): a crash at any point
 * leaves a complete index — the old one or the new one, never half of each.
 */
export const SNAPSHOT_VERSION = 1;

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

export interface SnapshotData {
  manifest: SnapshotManifest;
  chunks: StoredChunk[];
  vectors: Float32Array;
  /** Parsed blocks per document, so the fiche registry can rebuild without re-reading files. */
  blocks: Map<string, Block[]>;
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

/** The current generation's manifest alone (documents and their paths), without chunks or vectors. */
export function readManifest(dataDir: string): SnapshotManifest | null {
  const gen = currentGeneration(dataDir);
  if (!gen) return null;
  const file = path.join(generationDir(dataDir, gen), 'manifest.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotManifest;
  } catch (e) {
    throw new PtsmError('INDEX_CORRUPT', `Index illisible : ${file} (${(e as Error).message}) : relancez « ptsm index ».`, { input: file, cause: e });
  }
}

export function readSnapshot(dataDir: string): SnapshotData | null {
  const gen = currentGeneration(dataDir);
  if (!gen) return null;
  const dir = generationDir(dataDir, gen);
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
    if (manifest.version !== SNAPSHOT_VERSION) {
      throw new PtsmError('INDEX_CORRUPT', `Index au format ${manifest.version}, attendu ${SNAPSHOT_VERSION} : relancez « ptsm index ».`, { input: dir });
    }
    const chunks = readJsonl<StoredChunk>(path.join(dir, 'chunks.jsonl'));
    const raw = fs.readFileSync(path.join(dir, 'vectors.f32'));
    const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const blocks = new Map<string, Block[]>();
    for (const rec of readJsonl<{ docId: string; blocks: Block[] }>(path.join(dir, 'blocks.jsonl'))) blocks.set(rec.docId, rec.blocks);
    if (chunks.length !== manifest.chunkCount || vectors.length !== chunks.length * manifest.embedder.dimensions) {
      throw new PtsmError('INDEX_CORRUPT', `Index incohérent dans ${dir} : relancez « ptsm index ».`, { input: dir });
    }
    return { manifest, chunks, vectors, blocks };
  } catch (e) {
    if (e instanceof PtsmError) throw e;
    throw new PtsmError('INDEX_CORRUPT', `Index illisible dans ${dir} (${(e as Error).message}) : relancez « ptsm index ».`, { input: dir, cause: e });
  }
}

/**
 * Writes a new generation and makes it current. `extraFiles` lets the caller
 * add derived files (the HNSW graph) into the same atomic step.
 */
export function writeSnapshot(dataDir: string, data: SnapshotData, extraFiles: (dir: string) => void = () => undefined): string {
  const root = kbDir(dataDir);
  fs.mkdirSync(root, { recursive: true });
  const gen = `gen-${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;
  const tmp = path.join(root, `.tmp-${gen}`);
  fs.mkdirSync(tmp);
  writeJsonl(path.join(tmp, 'chunks.jsonl'), data.chunks);
  writeJsonl(path.join(tmp, 'blocks.jsonl'), [...data.blocks].map(([docId, blocks]) => ({ docId, blocks })));
  fs.writeFileSync(path.join(tmp, 'vectors.f32'), Buffer.from(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength));
  extraFiles(tmp);
  // The manifest last: a folder without one was never finished.
  fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(data.manifest, null, 1));
  fsyncDir(tmp);
  fs.renameSync(tmp, path.join(root, gen));
  const pointerTmp = path.join(root, `.CURRENT-${gen}`);
  fs.writeFileSync(pointerTmp, gen);
  fs.renameSync(pointerTmp, path.join(root, 'CURRENT'));
  fsyncDir(root);
  removeStaleGenerations(root, gen);
  return gen;
}

function removeStaleGenerations(root: string, keep: string): void {
  for (const name of fs.readdirSync(root)) {
    if (name === keep || name === 'CURRENT' || name === 'LOCK') continue;
    if (name.startsWith('gen-') || name.startsWith('.tmp-') || name.startsWith('.CURRENT-')) {
      fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
  }
}

function writeJsonl(file: string, items: Iterable<unknown>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let buf = '';
    for (const it of items) {
      buf += JSON.stringify(it) + '\n';
      if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
    }
    if (buf) fs.writeSync(fd, buf);
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
