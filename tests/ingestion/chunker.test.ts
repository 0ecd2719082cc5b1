import { describe, expect, it } from 'vitest';
import { markdownToBlocks } from '../../src/ingestion/blocks/markdown.js';
import { chunkDocument, splitSentences } from '../../src/ingestion/chunker.js';

const meta = { docId: 'd', source: 'f.md', title: 'Fiche 3', kind: 'fiche' as const, date: null };

describe('chunkDocument', () => {
  it('never cuts a list that fits, and keeps the section heading with it', () => {
    const long = 'Le constat partagé par les acteurs du territoire est que les délais sont longs. '.repeat(10);
    const objectives = Array.from({ length: 8 }, (_, i) => `- Objectif opérationnel numéro ${i + 1} : améliorer le repérage précoce des troubles`).join('\n');
    const doc = { title: 'Fiche 3', pageCount: null, blocks: markdownToBlocks(`# Fiche 3\n\n## Constat\n\n${long}\n\n## Objectifs opérationnels\n\n${objectives}\n\n## Pilote\n\nMme A`) };
    const chunks = chunkDocument(doc, meta);
    const withList = chunks.filter((c) => c.text.includes('Objectif opérationnel'));
    expect(withList).toHaveLength(1);
    expect(withList[0]!.text).toContain('Objectifs opérationnels\n- Objectif opérationnel numéro 1');
    expect(withList[0]!.text).toContain('numéro 8');
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(1500);
  });

  it('splits a very long section on sentences, with overlap, and records section and headings', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Phrase ${i + 1} du contexte de la fiche sur la télépsychiatrie.`).join(' ');
    const chunks = chunkDocument({ title: 'T', pageCount: null, blocks: markdownToBlocks(`# T\n\n## Contexte\n\n${text}`) }, meta);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[1]!.text.startsWith('… Phrase')).toBe(true);
    expect(chunks.every((c) => c.section === 'Contexte' && c.headingPath.join('>') === 'T>Contexte')).toBe(true);
    expect(chunks.map((c) => c.ord)).toEqual(chunks.map((_, i) => i));
  });

  it('splits French sentences without breaking on titles and abbreviations', () => {
    expect(splitSentences('M. Dupont et Mme Leroy sont venus. Le Dr. Martin aussi. Voir p. 12 du rapport.')).toEqual([
      'M. Dupont et Mme Leroy sont venus.', 'Le Dr. Martin aussi.', 'Voir p. 12 du rapport.',
    ]);
  });
});
