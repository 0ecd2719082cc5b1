import { PtsmError } from '../core/errors.js';

/**
 * Turns the bytes of a text file into a string. Real offices still produce
 * Windows-1252 (Latin-1) files: we try strict UTF-8 first, then fall back,
 * and refuse binary content that merely carries a text extension.
 */
export function decodeText(buf: Buffer, source: string): { text: string; encoding: 'utf-8' | 'utf-16le' | 'windows-1252' } {
  if (buf.length === 0) {
    throw new PtsmError('INPUT_EMPTY', `Fichier vide : ${source}`, { input: source });
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
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
