import zlib from 'node:zlib';
import { PtsmError } from '../core/errors.js';
import { RATIO_FLOOR_BYTES, formatBytes, type IngestionLimits } from './limits.js';

/**
 * Bounds on a zip-based file (DOCX, and any future ODT/XLSX/EPUB), checked
 * before mammoth or jszip inflate anything: they inflate every entry in
 * memory, so a 200 KB file whose `word/document.xml` claims 50 MB would cost
 * the process gigabytes. The central directory says what each entry inflates
 * to; we check those sizes, then inflate each entry once more with a hard
 * output cap, so an archive that lies about its sizes is refused as well.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Reads the central directory; throws INPUT_CORRUPT (naming `source`) when it cannot be found or read. */
export function readZipDirectory(buf: Buffer, source: string): ZipEntry[] {
  const corrupt = (why: string): PtsmError =>
    new PtsmError('INPUT_CORRUPT', `Archive illisible : ${source} (${why})`, { input: source });
  const eocd = findEndOfCentralDirectory(buf);
  if (eocd < 0) throw corrupt('répertoire central introuvable');
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) throw corrupt('en-tête ZIP64 absent');
    const z64 = Number(buf.readBigUInt64LE(locator + 8));
    if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== ZIP64_EOCD) throw corrupt('en-tête ZIP64 invalide');
    count = Number(buf.readBigUInt64LE(z64 + 32));
    offset = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw corrupt(`entrée ${i + 1} du répertoire central invalide`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    };
    readZip64Extra(buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), entry);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Throws INPUT_UNSUPPORTED, with a French message naming `source` and the
 * limit, when the archive has too many entries, inflates past the size
 * limit, or holds an entry compressed beyond the ratio limit.
 */
export function checkArchiveLimits(buf: Buffer, source: string, limits: IngestionLimits): void {
  const entries = readZipDirectory(buf, source);
  const refuse = (why: string): PtsmError => new PtsmError('INPUT_UNSUPPORTED',
    `Archive refusée : ${source} ${why}. Ce fichier ressemble à une « bombe de décompression » ; s'il est légitime, allégez-le ou demandez à l'administrateur de relever la limite.`,
    { input: source });
  if (entries.length > limits.maxArchiveEntries) {
    throw refuse(`contient ${entries.length} éléments (au plus ${limits.maxArchiveEntries} permis)`);
  }
  const declared = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  if (declared > limits.maxArchiveBytes) {
    throw refuse(`se décompresserait en ${formatBytes(declared)} (au plus ${formatBytes(limits.maxArchiveBytes)} permis)`);
  }
  for (const e of entries) {
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize >= RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
      throw refuse(`contient « ${e.name} », compressé ${Math.round(ratio)} fois (au plus ${limits.maxCompressionRatio} fois permis)`);
    }
  }
  // The directory may lie: inflate each entry with its declared size as a hard cap.
  let inflated = 0;
  for (const e of entries) {
    const size = inflatedSize(buf, e, source);
    if (size > e.uncompressedSize) throw refuse(`contient « ${e.name} », plus gros décompressé que ce qu'annonce l'archive`);
    inflated += size;
  }
  if (inflated > limits.maxArchiveBytes) {
    throw refuse(`se décompresse en plus de ${formatBytes(limits.maxArchiveBytes)}`);
  }
}

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** ZIP64 "extended information" (0x0001): the real sizes when the 32-bit fields say 0xFFFFFFFF. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = (): number => { const v = q + 8 <= p + 4 + size ? Number(extra.readBigUInt64LE(q)) : 0; q += 8; return v; };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + size;
  }
}

/** Bytes an entry really inflates to, stopping one byte past its declared size. */
function inflatedSize(buf: Buffer, e: ZipEntry, source: string): number {
  const h = e.localHeaderOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) {
    throw new PtsmError('INPUT_CORRUPT', `Archive illisible : ${source} (en-tête local de « ${e.name} » invalide)`, { input: source });
  }
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data.length;
  if (e.method !== 8) return e.uncompressedSize; // other methods: mammoth will refuse them itself
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: e.uncompressedSize + 1 }).length;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return e.uncompressedSize + 1;
    throw new PtsmError('INPUT_CORRUPT', `Archive illisible : ${source} (« ${e.name} » : ${(cause as Error).message})`, { input: source, cause });
  }
}
