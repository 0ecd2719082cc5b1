import { describe, expect, it } from 'vitest';
import { Fiche } from '../../src/core/fiche.js';
import { answerFieldQuestion } from '../../src/fiches/fields.js';

const fiche = Fiche.parse({
  id: 'fa-4',
  number: 4,
  title: 'Développer la pair-aidance',
  axis: 'Axe 2 — Parcours de rétablissement',
  context: 'Aucun médiateur de santé pair en poste.\nLes GEM demandent à être associés.',
  objectives: { general: ['Reconnaître le savoir expérientiel'], operational: ['Recruter deux médiateurs', 'Former les équipes'] },
  pilots: [
    { name: 'Mme Céline Vasseur', organisation: "GEM L'Escale" },
    { name: 'EPSM des Trois-Vallées', organisation: null },
  ],
  partners: ['UNAFAM', 'CMP de Brumeville'],
  milestones: [
    { label: 'Recrutement', dueText: 'T2 2025', due: '2025-06-30', start: '2025-04-01', precision: 'quarter' },
    { label: 'Bilan', dueText: 'à définir', due: null, precision: 'unresolved' },
  ],
  indicators: [{ label: 'Nombre de médiateurs recrutés', type: 'processus', target: '2' }],
  funding: '1,6 ETP (FIR)',
  updatedAt: '2025-01-15T09:00:00.000Z',
});

describe('answerFieldQuestion', () => {
  it('names the pilots with their organisation, in one line', () => {
    expect(answerFieldQuestion(fiche, 'pilots')).toEqual({
      text: "Pilote(s) : Mme Céline Vasseur (GEM L'Escale) ; EPSM des Trois-Vallées",
      items: ["Mme Céline Vasseur (GEM L'Escale)", 'EPSM des Trois-Vallées'],
    });
  });

  it('gives milestones with the deadline as written and the computed date', () => {
    expect(answerFieldQuestion(fiche, 'milestones')?.items).toEqual(['Recrutement — T2 2025 (au plus tard le 30/06/2025)', 'Bilan — à définir']);
  });

  it('gives indicators with type and target, objectives under both labels, text fields with their label', () => {
    expect(answerFieldQuestion(fiche, 'indicators')?.text).toBe("Indicateurs d'évaluation : Nombre de médiateurs recrutés (processus) — cible : 2");
    expect(answerFieldQuestion(fiche, 'objectives')?.text).toBe('Objectif général : Reconnaître le savoir expérientiel\nObjectifs opérationnels : Recruter deux médiateurs ; Former les équipes');
    expect(answerFieldQuestion(fiche, 'funding')?.text).toBe('Moyens / financement : 1,6 ETP (FIR)');
    expect(answerFieldQuestion(fiche, 'context')).toEqual({
      text: 'Contexte / constat :\nAucun médiateur de santé pair en poste.\nLes GEM demandent à être associés.',
      items: ['Aucun médiateur de santé pair en poste.', 'Les GEM demandent à être associés.'],
    });
    expect(answerFieldQuestion(fiche, 'partners')?.text).toBe('Partenaires : UNAFAM ; CMP de Brumeville');
  });

  it('lists long fields one item a line', () => {
    const many = Fiche.parse({ ...fiche, partners: Array.from({ length: 12 }, (_, i) => `Partenaire numéro ${i + 1} du territoire`) });
    const text = answerFieldQuestion(many, 'partners')!.text;
    expect(text.split('\n')).toHaveLength(13);
    expect(text.split('\n')[1]).toBe('- Partenaire numéro 1 du territoire');
  });

  it('is null for an empty field', () => {
    expect(answerFieldQuestion(fiche, 'targetPublic')).toBeNull();
    expect(answerFieldQuestion(fiche, 'steps')).toBeNull();
    expect(answerFieldQuestion(Fiche.parse({ ...fiche, axis: null }), 'axis')).toBeNull();
  });
});
