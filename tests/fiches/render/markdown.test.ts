import { describe, expect, it } from 'vitest';
import { renderFicheMarkdown } from '../../../src/fiches/render/markdown.js';
import { SECTION_LABELS, SECTION_ORDER } from '../../../src/fiches/render/labels.js';
import { draftFiche, draftView, emptyFiche, expectedContent, fullFiche, hugeFiche } from './fixtures.js';

describe('renderFicheMarkdown', () => {
  it('shows every filled field with its label, in canonical order', () => {
    const md = renderFicheMarkdown(fullFiche);
    for (const snippet of expectedContent(fullFiche)) expect(md).toContain(snippet);
    const positions = SECTION_ORDER.map((k) => md.indexOf(`## ${SECTION_LABELS[k]}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md).toContain('## Points de vigilance');
    expect(md).toContain('- Mme Céline Vasseur (GEM L\'Escale)');
    expect(md).toContain('- Lancement — T2 2025 (au plus tard le 30/06/2025)');
    expect(md).toContain('_Source : PTSM de la Vallée 2024-2028, p. 42_');
    expect(md.startsWith("# Fiche action n° 7 — Créer une équipe mobile")).toBe(true);
    // Not a draft: no provenance, no "to complete" section.
    expect(md).not.toContain('sources :');
    expect(md).not.toContain('À compléter');
  });

  it('leaves out the empty rows of an almost empty fiche', () => {
    const md = renderFicheMarkdown(emptyFiche);
    expect(md).toContain('# Fiche action — Repérage précoce des troubles psychiques en milieu scolaire');
    expect(md).toContain('## Statut\n\nBrouillon — mise à jour le 10/01/2025');
    expect(md).not.toContain('## Contexte');
    expect(md).not.toContain('## Pilote(s)');
  });

  it('lists the missing fields of a draft in French and the sources of each field', () => {
    const md = renderFicheMarkdown(draftFiche, { draft: draftView });
    const todo = md.slice(md.indexOf('## À compléter'), md.indexOf('## Contexte'));
    expect(todo).toContain('- Pilote(s)');
    expect(todo).toContain("- Indicateurs d'évaluation");
    expect(todo).toContain('- Moyens / financement');
    expect(todo).toContain('- date du premier COPIL');
    expect(todo).not.toContain('pilots');
    const context = md.slice(md.indexOf('## Contexte'), md.indexOf('## Étapes'));
    expect(context).toContain('_sources : m3, m7_');
    expect(md).toContain('_Intitulé — source : m1_');
    expect(md).toContain('_sources : m2, m5_');
    for (const snippet of expectedContent(draftFiche)) expect(md).toContain(snippet);
  });

  it('keeps everything of a huge fiche (no channel limit applies)', () => {
    const md = renderFicheMarkdown(hugeFiche);
    for (const snippet of expectedContent(hugeFiche)) expect(md).toContain(snippet);
  });

  it('does not let a user line become a heading', () => {
    const md = renderFicheMarkdown({ ...emptyFiche, context: '# pas un titre' });
    expect(md).toContain('\\# pas un titre');
  });
});
