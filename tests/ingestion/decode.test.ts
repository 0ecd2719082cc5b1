import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/ingestion/decode.js';
import { loaderFor } from '../../src/ingestion/loaders.js';

const TEXT = 'Compte rendu du COPIL — décision : créer un poste de médiateur « pair » (œuvre €).';

function utf16be(s: string, bom: boolean): Buffer {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) { be[i] = le[i + 1]!; be[i + 1] = le[i]!; }
  return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), be]) : be;
}

describe('UTF-16 text files', () => {
  it('decodes UTF-16BE with a byte order mark', () => {
    expect(decodeText(utf16be(TEXT, true), 'cr-copil.txt')).toEqual({ text: TEXT, encoding: 'utf-16be' });
  });
  it('decodes UTF-16BE without a byte order mark (French text: every other byte is zero)', () => {
    expect(decodeText(utf16be(TEXT, false), 'cr-copil.txt')).toEqual({ text: TEXT, encoding: 'utf-16be' });
  });
  it('decodes UTF-16LE without a byte order mark too', () => {
    expect(decodeText(Buffer.from(TEXT, 'utf16le'), 'cr-copil.txt')).toEqual({ text: TEXT, encoding: 'utf-16le' });
  });
  it('reads a UTF-16BE Markdown fiche into blocks', async () => {
    const doc = await loaderFor('fiche.md')!.load(utf16be('# Fiche action 7\n\nPilote : Mme Odile Ferrand (CCAS).\n', true), 'fiche.md');
    expect(doc.title).toBe('Fiche action 7');
    expect(doc.blocks[1]!.text).toBe('Pilote : Mme Odile Ferrand (CCAS).');
  });
  it('still refuses real binary content', () => {
    expect(() => decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]), 'image.txt')).toThrow(/image\.txt/);
  });
});
