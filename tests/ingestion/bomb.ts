import JSZip from 'jszip';
import { makeDocx } from '../helpers/files.js';

/**
 * A DOCX decompression bomb, made on the fly (never committed): a real Word
 * file whose `word/document.xml` is replaced by `inflatedMb` megabytes of
 * one-letter paragraphs (the shape that made mammoth build a DOM of millions
 * of nodes), so a ~50 MB part deflates to a few hundred KB.
 */
export async function makeDocxBomb(inflatedMb = 52): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await makeDocx('Fiche action 9 — Bombe', [['Pilote', ['Personne']]]));
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
  const tail = '</w:body></w:document>';
  const filler = Buffer.alloc(inflatedMb * 1024 * 1024 - head.length - tail.length, '<w:p><w:r><w:t>A</w:t></w:r></w:p>');
  zip.file('word/document.xml', Buffer.concat([Buffer.from(head), filler, Buffer.from(tail)]));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** A valid DOCX padded with `extra` tiny entries. */
export async function makeDocxWithEntries(extra: number): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await makeDocx('Fiche action 10 — Archive', [['Pilote', ['Personne']]]));
  for (let i = 0; i < extra; i++) zip.file(`customXml/item${i}.xml`, `<a>${i}</a>`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
