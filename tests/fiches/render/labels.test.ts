import { describe, expect, it } from 'vitest';
import { Fiche, FicheMilestone, Indicator, Pilot } from '../../../src/core/fiche.js';
import {
  SECTION_LABELS, SECTION_ORDER, ficheHeading, ficheSections, formatDate, formatIndicator, formatMilestone,
  formatPilot, formatSources, missingLabels,
} from '../../../src/fiches/render/labels.js';
import { draftFiche, draftView, emptyFiche, fullFiche } from './fixtures.js';

describe('formatters', () => {
  it('formats a pilot with its organisation, once', () => {
    expect(formatPilot(Pilot.parse({ name: 'Mme Céline Vasseur', organisation: "GEM L'Escale" }))).toBe("Mme Céline Vasseur (GEM L'Escale)");
    expect(formatPilot(Pilot.parse({ name: 'Dr Anne Roux' }))).toBe('Dr Anne Roux');
    expect(formatPilot(Pilot.parse({ name: 'MDA du Val', organisation: 'MDA du Val' }))).toBe('MDA du Val');
  });

  it('formats a milestone with the deadline as written and the parsed date', () => {
    const m = FicheMilestone.parse({ label: 'Lancement', dueText: 'T2 2025', due: '2025-06-30', precision: 'quarter' });
    expect(formatMilestone(m)).toBe('Lancement — T2 2025 (au plus tard le 30/06/2025)');
    expect(formatMilestone(FicheMilestone.parse({ label: 'Bilan', dueText: 'à définir' }))).toBe('Bilan — à définir');
    // A day-precise date would only repeat itself.
    expect(formatMilestone(FicheMilestone.parse({ label: 'COPIL', dueText: '15 mars 2026', due: '2026-03-15', precision: 'day' }))).toBe('COPIL — 15 mars 2026');
    expect(formatMilestone(FicheMilestone.parse({ label: '', dueText: 'fin 2026', due: '2026-12-31', precision: 'year' }))).toBe('fin 2026 (au plus tard le 31/12/2026)');
  });

  it('formats an indicator with its type and target', () => {
    expect(formatIndicator(Indicator.parse({ label: 'Nombre de sessions PSSM', type: 'processus', target: '80 %' })))
      .toBe('Nombre de sessions PSSM (processus) — cible : 80 %');
    expect(formatIndicator(Indicator.parse({ label: 'Taux de réhospitalisation', type: 'resultat' }))).toBe('Taux de réhospitalisation (résultat)');
    expect(formatIndicator(Indicator.parse({ label: 'Satisfaction' }))).toBe('Satisfaction');
  });

  it('formats dates, sources and headings', () => {
    expect(formatDate('2025-05-12T09:30:00Z')).toBe('12/05/2025');
    expect(formatDate('printemps 2026')).toBe('printemps 2026');
    expect(formatSources(['m3', 'm7'])).toBe('sources : m3, m7');
    expect(formatSources(['m3'])).toBe('source : m3');
    expect(ficheHeading(fullFiche)).toBe("Fiche action n° 7 — Créer une équipe mobile d'appui aux structures d'hébergement social");
    expect(ficheHeading(Fiche.parse({ id: 'x', title: ' ', updatedAt: '2025-01-01' }))).toBe('Fiche action — (sans titre)');
  });
});

describe('ficheSections', () => {
  it('lists every row in canonical order, extras before the status', () => {
    const sections = ficheSections(fullFiche);
    const keys = sections.map((s) => s.key);
    expect(keys.filter((k) => !k.startsWith('extra:'))).toEqual([...SECTION_ORDER]);
    expect(keys.at(-2)).toBe('extra:Points de vigilance');
    expect(sections.map((s) => s.label).slice(0, 3)).toEqual([SECTION_LABELS.axis, 'Contexte / constat', 'Objectif général']);
    expect(sections.every((s) => !s.empty)).toBe(true);
  });

  it('marks empty rows of an almost empty fiche, and the status is never empty', () => {
    const sections = ficheSections(emptyFiche);
    expect(sections.filter((s) => !s.empty).map((s) => s.key)).toEqual(['status']);
    expect(sections.find((s) => s.key === 'status')!.lines).toEqual(['Brouillon — mise à jour le 10/01/2025']);
  });

  it('attaches provenance to rows, objectives falling back to the "objectives" key', () => {
    const sections = ficheSections(draftFiche, { missing: [], provenance: { ...draftView.provenance, objectives: ['m9'] } });
    expect(sections.find((s) => s.key === 'context')!.sources).toEqual(['m3', 'm7']);
    expect(sections.find((s) => s.key === 'operationalObjectives')!.sources).toEqual(['m9']);
    expect(sections.find((s) => s.key === 'funding')!.sources).toEqual([]);
  });

  it('translates missing field names and keeps free text', () => {
    expect(missingLabels(['pilots', 'objectives.general', 'toString', 'date du premier COPIL', 'pilots']))
      .toEqual(['Pilote(s)', 'Objectif général', 'toString', 'date du premier COPIL']);
  });
});
