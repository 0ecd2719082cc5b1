import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PtsmError } from '../../core/errors.js';
import { decodeText } from '../../ingestion/decode.js';
import { formatBytes } from '../../ingestion/limits.js';

/**
 * Receiving a document from the browser: the name is sanitised (never a path),
 * the size is capped while streaming (nothing larger ever lands on disk), and
 * the content must match its extension (magic bytes), so a renamed binary or
 * a broken file is refused before the indexer sees it.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const UPLOAD_EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt', '.html', '.htm'] as const;
type UploadExtension = (typeof UPLOAD_EXTENSIONS)[number];

export class UploadError extends PtsmError {
  readonly status: number;
  constructor(status: number, code: ConstructorParameters<typeof PtsmError>[0], message: string, input: string) {
    super(code, message, { input });
    this.status = status;
  }
}

export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

export { formatBytes };

/**
 * A file name safe to join to the uploads folder: the last segment of any
 * path (slashes, backslashes, encoded %2F), no NUL or control characters, no
 * leading dot, letters/digits/space/._()- only. Throws when the extension is
 * not one the knowledge base reads.
 */
export function sanitizeFileName(raw: string): string {
  let name = String(raw ?? '');
  // Names may arrive percent-encoded more than once ("..%252F"): decode until stable.
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(name); i++) {
    try { name = decodeURIComponent(name); } catch { break; }
  }
  name = name.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, '');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(/[^\p{L}\p{N} ._()'-]+/gu, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .replace(/^[ .]+|[ .]+$/g, '');
  const ext = path.extname(name).toLowerCase();
  if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UploadError(415, 'INPUT_UNSUPPORTED',
      `Format non pris en charge${ext ? ` (${ext})` : ''} pour « ${String(raw).slice(0, 80)} » : déposez un PDF, un DOCX, un fichier Markdown, texte ou HTML.`, String(raw));
  }
  let stem = name.slice(0, name.length - ext.length).replace(/[ .]+$/g, '') || 'document';
  if (stem.length > 100) stem = stem.slice(0, 100).trim();
  return `${stem}${ext}`;
}

/** Refuses content that does not match its extension (a renamed binary, a truncated download). */
export function checkContent(head: Buffer, name: string): void {
  const ext = path.extname(name).toLowerCase() as UploadExtension;
  if (head.length === 0) {
    throw new UploadError(422, 'INPUT_EMPTY', `Le fichier « ${name} » est vide.`, name);
  }
  if (ext === '.pdf') {
    if (!head.subarray(0, 1024).toString('latin1').includes('%PDF')) {
      throw new UploadError(415, 'INPUT_CORRUPT', `Le fichier « ${name} » n'est pas un PDF valide (en-tête %PDF absent). Vérifiez qu'il s'ouvre bien, puis réessayez.`, name);
    }
    return;
  }
  if (ext === '.docx') {
    if (head.subarray(0, 4).toString('latin1') !== 'PK\u0003\u0004') {
      throw new UploadError(415, 'INPUT_CORRUPT', `Le fichier « ${name} » n'est pas un document Word .docx valide (les anciens .doc ne sont pas lus : enregistrez-le en .docx).`, name);
    }
    return;
  }
  const start = head.subarray(0, 5).toString('latin1');
  if (start.startsWith('%PDF') || start.startsWith('PK\u0003\u0004')) {
    throw new UploadError(415, 'INPUT_CORRUPT', `Le fichier « ${name} » porte une extension de texte mais contient un ${start.startsWith('%PDF') ? 'PDF' : 'fichier compressé'} : renommez-le avec la bonne extension.`, name);
  }
  try {
    decodeText(head, name);
  } catch {
    throw new UploadError(415, 'INPUT_CORRUPT', `Le fichier « ${name} » n'est pas du texte lisible (contenu binaire).`, name);
  }
}

/** A name not yet taken in the folder: "bilan.pdf", then "bilan-2.pdf"… (an upload never overwrites). */
export function freeName(dir: string, name: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; i < 10_000; i++) {
    const candidate = i === 1 ? name : `${stem}-${i}${ext}`;
    if (!fs.existsSync(path.join(dir, candidate))) return candidate;
  }
  return `${stem}-${crypto.randomBytes(4).toString('hex')}${ext}`;
}

/** Joins a sanitised name to a folder and checks the result stays directly inside it. */
export function insideDir(dir: string, name: string): string {
  const full = path.resolve(dir, name);
  if (path.dirname(full) !== path.resolve(dir) || name.includes('\u0000')) {
    throw new UploadError(400, 'INPUT_UNSUPPORTED', `Nom de fichier refusé : « ${name} ».`, name);
  }
  return full;
}

/** Reads and discards a request body (up to `cap` bytes). */
export function drain(req: Readable, cap: number): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) { resolve(); return; }
    let seen = 0;
    const onData = (c: Buffer): void => {
      seen += c.length;
      if (seen > cap) { req.off('data', onData); req.destroy(); resolve(); }
    };
    req.on('data', onData);
    req.once('end', () => resolve());
    req.once('error', () => resolve());
    req.once('close', () => resolve());
  });
}

export interface ReceivedFile { name: string; path: string; bytes: number }

/**
 * Streams a request body into `<uploads>/<name>`, through a hidden temporary
 * file renamed only once the whole body is checked. Throws UploadError (413
 * over the limit, 415/422 bad content) after removing anything written.
 */
export async function receiveUpload(body: Readable, rawName: string, opts: { dataDir: string; maxBytes: number; declaredLength?: number }): Promise<ReceivedFile> {
  // The body is read to its end even when refused, so the browser receives the French answer.
  const cap = opts.maxBytes * 4 + 1024 * 1024;
  let safe: string;
  try {
    safe = sanitizeFileName(rawName);
  } catch (e) {
    await drain(body, cap);
    throw e;
  }
  const tooBig = (): UploadError => new UploadError(413, 'INPUT_UNSUPPORTED',
    `Le fichier « ${safe} » dépasse la taille maximale autorisée (${formatBytes(opts.maxBytes)}). Réduisez-le (export PDF allégé, découpage) ou demandez à l'administrateur de relever la limite.`, safe);
  if (opts.declaredLength !== undefined && opts.declaredLength > opts.maxBytes) {
    await drain(body, cap);
    throw tooBig();
  }

  const dir = uploadsDir(opts.dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = insideDir(dir, `.incoming-${crypto.randomBytes(8).toString('hex')}`);
  const out = fs.openSync(tmp, 'wx');
  let bytes = 0;
  let over = false;
  let head = Buffer.alloc(0);
  try {
    for await (const piece of body) {
      const chunk = piece as Buffer;
      bytes += chunk.length;
      if (over) {
        if (bytes > cap) break; // an endless body: stop listening
        continue;
      }
      if (bytes > opts.maxBytes) { over = true; continue; }
      if (head.length < 8192) head = Buffer.concat([head, chunk.subarray(0, 8192 - head.length)]);
      fs.writeSync(out, chunk);
    }
    if (over) throw tooBig();
    fs.closeSync(out);
    checkContent(head, safe);
    const name = freeName(dir, safe);
    const final = insideDir(dir, name);
    fs.renameSync(tmp, final);
    return { name, path: final, bytes };
  } catch (e) {
    try { fs.closeSync(out); } catch { /* already closed */ }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
