import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/core/types.js';
import { parseFicheDocument } from '../../src/fiches/parse/fiche-parser.js';
import { markdownToBlocks } from '../../src/ingestion/blocks/markdown.js';
import { loadFiche } from '../fiches/parse/fixtures.js';

/** Real-world shapes of Markdown: exports of wikis, Word-to-Markdown converters, hand-written notes. */
const table = (rows: string[][]): Block => ({ type: 'table', rows, text: rows.map((r) => r.join(' | ')).join('\n'), page: null });

describe('Markdown → blocks through a CommonMark + GFM parser', () => {
  it('reads a GFM table without outer pipes as a table, header row first', () => {
    const md = ['## Fiche action 4 — Pair-aidance', '', 'Champ | Contenu', ':---- | -------', 'Pilote | Mme Céline Vasseur (GEM L’Escale)', 'Échéance | T2 2026'].join('\n');
    expect(markdownToBlocks(md)).toEqual([
      { type: 'heading', level: 2, text: 'Fiche action 4 — Pair-aidance', page: null },
      table([['Champ', 'Contenu'], ['Pilote', 'Mme Céline Vasseur (GEM L’Escale)'], ['Échéance', 'T2 2026']]),
    ]);
  });

  it('keeps an escaped pipe inside a cell, and inline markup out of cells', () => {
    const md = '| Financement | Montant |\n|:-:|--:|\n| FIOP \\| ARS | **60 000 €** par an |\n| [CPOM](https://ars.fr/cpom) | `à définir` |';
    expect(markdownToBlocks(md)).toEqual([table([['Financement', 'Montant'], ['FIOP | ARS', '60 000 € par an'], ['CPOM', 'à définir']])]);
  });

  it('reads ~~~ fences: a "#" inside is code, not a heading', () => {
    const md = ['## Calendrier', '', '~~~text', '# Export du tableur', 'T2 2026 : recrutement', '~~~', '', '````', '~~~', '# encore du code', '````', '', 'Fin.'].join('\n');
    const blocks = markdownToBlocks(md);
    expect(blocks.filter((b) => b.type === 'heading').map((b) => b.text)).toEqual(['Calendrier']);
    expect(blocks.map((b) => b.text)).toEqual(['Calendrier', '# Export du tableur T2 2026 : recrutement', '~~~ # encore du code', 'Fin.']);
  });

  it('honours backslash escapes and leaves snake_case names alone', () => {
    const blocks = markdownToBlocks(['Budget : 60 000 \\* 2 ans, soit \\*120 000\\* €', '', '\\# pas un titre', '', '1\\. Pas une liste', '', 'Fichier fa_04_pair_aidance.md et *priorité* _haute_.'].join('\n'));
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Budget : 60 000 * 2 ans, soit *120 000* €', page: null },
      { type: 'paragraph', text: '# pas un titre', page: null },
      { type: 'paragraph', text: '1. Pas une liste', page: null },
      { type: 'paragraph', text: 'Fichier fa_04_pair_aidance.md et priorité haute.', page: null },
    ]);
  });

  it('resolves reference links and drops their definitions from the text', () => {
    const md = ['Voir le [diagnostic territorial][diag] et le [site de l’ARS].', '', '[diag]: https://ars.example.fr/diagnostic "Diagnostic 2024"', '[site de l’ARS]: https://ars.example.fr'].join('\n');
    expect(markdownToBlocks(md)).toEqual([{ type: 'paragraph', text: 'Voir le diagnostic territorial et le site de l’ARS.', page: null }]);
  });

  it('keeps what the fiche parser relies on: bold labels as separate fields, • bullets as lists, entities decoded', () => {
    const md = ['**Pilote :** Mme Inès Caradec', '**Partenaires :** EPSM &amp; CCAS', '', 'Objectifs :', '• Réduire les délais', '• Former les équipes', '', '> ## Décision', '> Le COPIL valide.'].join('\n');
    expect(markdownToBlocks(md)).toEqual([
      { type: 'paragraph', text: 'Pilote : Mme Inès Caradec', page: null },
      { type: 'paragraph', text: 'Partenaires : EPSM & CCAS', page: null },
      { type: 'paragraph', text: 'Objectifs :', page: null },
      { type: 'list', items: ['Réduire les délais', 'Former les équipes'], text: 'Réduire les délais\nFormer les équipes', page: null },
      { type: 'heading', level: 2, text: 'Décision', page: null },
      { type: 'paragraph', text: 'Le COPIL valide.', page: null },
    ]);
  });

  it('a Markdown fiche written as a table without outer pipes gives its pilot and partners to the fiche parser', async () => {
    const md = [
      '# Fiche action n° 9 — Prévention du suicide', '',
      'Rubrique | Contenu',
      '--- | ---',
      'Pilote(s) | Dr Paul Martin (CH de Vaubrun)',
      'Partenaires | CPTS du Val d’Orme ; UNAFAM',
      'Calendrier | Formation des sentinelles : T2 2026',
    ].join('\n');
    const fiche = parseFicheDocument(await loadFiche('fiches/fa09-suicide.md', Buffer.from(md)), { now: '2026-01-15T00:00:00.000Z' });
    expect(fiche?.number).toBe(9);
    expect(fiche?.pilots.map((p) => p.name)).toEqual(['Dr Paul Martin']);
    expect(fiche?.partners).toEqual(expect.arrayContaining(['CPTS du Val d’Orme', 'UNAFAM']));
  });
});
