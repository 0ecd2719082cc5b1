import { describe, expect, it } from 'vitest';
import { resolveFollowUp } from '../../src/answers/follow-up.js';
import { countNoun, hasCountOf, hasEvidence } from '../../src/answers/evidence.js';
import { analyzeQuestion } from '../../src/answers/question.js';

const known = new Set(['CLSM', 'CPTS', 'MDA', 'PTSM', 'COPIL']);

describe('analyzeQuestion', () => {
  it.each([
    ['Qui pilote la fiche sur la pair-aidance ?', 'pilot'],
    ['c qui le référent de la fiche logement', 'pilot'],
    ['quels indicateurs pour la fiche 3 ?', 'indicators'],
    ['avec qui on travaille sur la périnatalité ?', 'partners'],
    ['à qui s’adresse la fiche aidants ?', 'public'],
    ["qu'a-t-on décidé au COPIL de mars ?", 'decision'],
    ['c’est pour quand le lancement ?', 'deadline'],
    ['quel budget pour la télépsy ?', 'budget'],
    ['nb de sentinelles formées ?', 'count'],
    ['quel taux de suicide ?', 'rate'],
    ["c'est quoi un CLSM ?", 'acronym'],
    ['c koi la CPTS', 'acronym'],
    ['signification de FIOP ?', 'acronym'],
    ["c'est quoi le numéro de téléphone de la MDA ?", 'contact'],
    ["quelle est l'adresse mail du Dr Caradec ?", 'contact'],
    ['comment s’appelle la psychiatre recrutée ?', 'person'],
  ])('%s → %s', (q, type) => {
    expect(analyzeQuestion(q, known).type).toBe(type);
  });

  it('extracts the constraints a passage must meet', () => {
    const q = analyzeQuestion("Qu'a décidé le COPIL du 2 juillet 2026 sur la fiche n° 17 en Corrèze ?", known);
    expect(q).toMatchObject({ years: ['2026'], months: ['juillet'], meetings: ['copil'], days: [{ text: '2 juillet', iso: '2026-07-02' }], ficheNumbers: ['17'], names: ['Corrèze'] });
    expect(analyzeQuestion('la pleniere de nov 2025 c’était où ?', known)).toMatchObject({ months: ['novembre'], meetings: ['pleniere'] });
    expect(analyzeQuestion("l'équipe mobile a été reportée à quand ?", known).asksUpdate).toBe(true);
  });
});

describe('evidence checks', () => {
  it('wants the kind of fact asked for', () => {
    expect(hasEvidence('budget', 'Le COPIL attribue 45 000 € à la fiche 4.')).toBe(true);
    expect(hasEvidence('budget', 'Le COPIL soutient la fiche 4.')).toBe(false);
    expect(hasEvidence('deadline', 'Lancement prévu au T2 2026.')).toBe(true);
    expect(hasEvidence('deadline', 'Lancement prévu rapidement.')).toBe(false);
    expect(hasEvidence('rate', 'Objectif : 80 % des personnes incluses.')).toBe(true);
    expect(hasEvidence('person', 'Mme Céline Vasseur pilote la fiche.')).toBe(true);
    expect(hasEvidence('person', 'Une psychiatre a été recrutée.')).toBe(false);
  });

  it('counts the asked thing, not any number', () => {
    expect(countNoun("combien d'appels la régulation a traités ?")).toBe('appel');
    expect(hasCountOf('appel', '312 appels traités en janvier')).toBe(true);
    expect(hasCountOf('appel', '312 personnes reçues')).toBe(false);
    expect(hasCountOf(countNoun('combien de gens ont participé ?')!, 'le diagnostic a mobilisé 312 participants')).toBe(true);
  });
});

describe('resolveFollowUp', () => {
  it('carries the previous topic into an anaphoric question, and replaces its year', () => {
    const h = [{ role: 'user' as const, content: 'combien a été voté pour la pair-aidance en 2026 ?' }, { role: 'assistant' as const, content: '78 000 €.' }];
    const r = resolveFollowUp('et en 2025 ?', h);
    expect(r.text).toContain('pair-aidance');
    expect(r.text).toContain('2025');
    expect(r.text).not.toContain('2026');
    expect(resolveFollowUp('Qui pilote la fiche sur la télépsychiatrie rurale ?', h).text).toBe('Qui pilote la fiche sur la télépsychiatrie rurale ?');
  });
});
