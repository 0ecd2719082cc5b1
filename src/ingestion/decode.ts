import { PtsmError } from '../core/errors.js';

/**
 * Turns the bytes of a text file into a string. Real offices still produce
 * Windows-1252 (Latin-1) files: we try strict UTF-8 first, then fall back,
 * and refuse binary content that merely carries a text extension.
 */
export function decodeText(buf: Buffer, source: string): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' } {
  if (buf.length === 0) {
    throw new PtsmError('INPUT_EMPTY', `Fichier vide : ${source}`, { input: source });
  }
  const utf16 = utf16ByteOrder(buf);
  if (utf16) {
    // TextDecoder drops the byte order mark itself.
    return { text: new TextDecoder(utf16).decode(buf), encoding: utf16 };
  }
  if (looksBinary(buf)) {
    throw new PtsmError('INPUT_UNSUPPORTED', `Fichier binaire, pas du texte : ${source} (extension trompeuse ?)`, { input: source });
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(buf), encoding: 'windows-1252' };
  }
}

/**
 * Bytes 0x80–0x9F of Windows-1252 hold €, ’, œ, « … » quotes: Node's
 * TextDecoder('windows-1252') decodes them as Latin-1 control characters on
 * some builds, so the upper half is mapped by hand.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

export function decodeWindows1252(buf: Buffer): string {
  let out = '';
  for (const byte of buf) out += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
  return out;
}

/**
 * UTF-16 is told by its byte order mark, or, without one, by where the zero
 * bytes fall: French text is mostly Latin-1 code points, whose high byte is
 * zero, so one byte in two is zero, always on the same side (even offsets for
 * big-endian, odd for little-endian). Binary files do not keep that rhythm.
 */
function utf16ByteOrder(buf: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  const sample = buf.subarray(0, Math.min(buf.length, 8192) & ~1);
  const pairs = sample.length / 2;
  if (pairs < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) zeroEven++;
    if (sample[i + 1] === 0) zeroOdd++;
  }
  if (zeroEven / pairs >= 0.6 && zeroOdd === 0) return 'utf-16be';
  if (zeroOdd / pairs >= 0.6 && zeroEven === 0) return 'utf-16le';
  return null;
}

/** NUL bytes or many control characters in the first 8 KB mean "not text". */
function looksBinary(buf: Buffer): boolean {
  const sample = buf.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control / sample.length > 0.1;
}
