import { describe, expect, it } from 'vitest';
import { markdownToBlocks } from '../../src/ingestion/blocks/markdown.js';
import { plainToBlocks } from '../../src/ingestion/blocks/plain.js';
import { chunkDocument, splitSentences } from '../../src/ingestion/chunker.js';

const meta = { docId: 'd', source: 'f.md', title: 'Fiche 3', kind: 'fiche' as const, date: null };

describe('chunkDocument', () => {
  it('keeps the numbers of a numbered list in passages (« l’action 4 »), and bullets as bullets', () => {
    const plain = plainToBlocks('Actions retenues :\n1. Développer le centre de compétence\n4. Créer au CHU un service de psychiatrie de liaison\nb) Étendre l’accès aux soins\n\nAutres pistes :\n• Former les pairs\n- Ouvrir un GEM');
    const [numbered, bulleted] = plain.filter((b) => b.type === 'list');
    // The items stay bare (fiches read them); the numbers are kept beside them.
    expect(numbered!.items).toEqual(['Développer le centre de compétence', 'Créer au CHU un service de psychiatrie de liaison', 'Étendre l’accès aux soins']);
    expect(numbered!.markers).toEqual(['1.', '4.', 'b)']);
    expect(bulleted!.markers).toBeUndefined();
    const text = chunkDocument({ title: 'T', pageCount: null, blocks: plain }, meta).map((c) => c.text).join('\n');
    expect(text).toContain('1. Développer le centre de compétence\n4. Créer au CHU un service de psychiatrie de liaison\nb) Étendre');
    expect(text).toContain('- Former les pairs\n- Ouvrir un GEM');

    const md = markdownToBlocks('# T\n\n3. Recruter un coordinateur\n4. Former les équipes\n\nsuite\n\n1. Un\n   - sous-point\n2. Deux');
    const lists = md.filter((b) => b.type === 'list');
    expect(lists[0]!.markers).toEqual(['3.', '4.']);
    // A nested list is flattened into its parent: the numbers would no longer line up, so none are kept.
    expect(lists[1]!.markers).toBeUndefined();
    expect(chunkDocument({ title: 'T', pageCount: null, blocks: md }, meta).map((c) => c.text).join('\n')).toContain('3. Recruter un coordinateur\n4. Former les équipes');
  });

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
