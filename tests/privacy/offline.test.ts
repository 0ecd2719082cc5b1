import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerService } from '../../src/answers/answer-service.js';
import { main } from '../../src/cli/main.js';
import { silentLogger } from '../../src/core/logger.js';
import { draftFicheOffline } from '../../src/fiches/draft/index.js';
import { MASK, MASKED_NOTICE, looksLikePatientData } from '../../src/privacy/index.js';
import type { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { MINI_PTSM, buildKb } from '../helpers/kb.js';

/** Without any LLM, answers and drafts never quote what looks like patient data either. */
const NOTE = [
  '# Bilan des hospitalisations sous contrainte', '',
  'Le CLSM de Port-Orme a suivi les hospitalisations sous contrainte en 2025.',
  'M. Jean Dupont, hospitalisé pour schizophrénie, a été admis en SDRE le 3 mars 2025 à l’EPSM des Deux-Rives.',
  'Les hospitalisations sous contrainte ont baissé de 12 % à Port-Orme en 2025.',
].join('\n');

let kb: KnowledgeBase;
let dir: string;
let cleanup: () => void;
beforeAll(async () => { ({ kb, dir, cleanup } = await buildKb({ ...MINI_PTSM, 'docs/notes/contrainte.md': NOTE })); });
afterAll(() => cleanup());

describe('offline answers and drafts mask patient data', () => {
  it('the offline answer and its quotes mask the patient sentence, and say so', async () => {
    const a = await new AnswerService({ kb, logger: silentLogger }).ask('Qui a été admis en SDRE à l’EPSM des Deux-Rives en 2025 ?');
    const shown = [a.answer, ...a.citations.map((c) => c.quote)].join('\n');
    expect(a.citations.some((c) => c.source === 'docs/notes/contrainte.md')).toBe(true);
    expect(shown).not.toContain('Dupont');
    expect(shown).toContain(MASK);
    expect(looksLikePatientData(shown)).toBe(false);
    expect(a.answer).toContain(MASKED_NOTICE);
  });

  it('ptsm ask --json keeps its fields and masks the same way', async () => {
    let out = '';
    const code = await main(['ask', 'Qui a été admis en SDRE à l’EPSM des Deux-Rives en 2025 ?', '--json', '--data', 'data'], { cwd: dir, env: {}, stdout: (s) => { out += s; }, stderr: () => {}, interactive: false });
    expect(code).toBe(0);
    const a = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(['abstained', 'answer', 'citations']);
    expect(out).not.toContain('Dupont');
    expect(String(a['answer'])).toContain(MASKED_NOTICE);
  });

  it('an answer with nothing to mask is left as it was', async () => {
    const a = await new AnswerService({ kb, logger: silentLogger }).ask('Qui pilote la fiche pair-aidance ?');
    expect(a.answer).toContain('Inès Caradec');
    expect(a.answer).not.toContain(MASKED_NOTICE);
  });

  it('the offline draft keeps the thread\'s content but not the patient', () => {
    const draft = draftFicheOffline({
      channel: 'gt-crise',
      messages: [
        { id: 'm1', author: { id: 'U1', name: 'Inès Caradec' }, ts: '1', text: 'Fiche action : équipe mobile de crise.' },
        { id: 'm2', author: { id: 'U2', name: 'Paul Morel' }, ts: '2', text: 'Constat : Mme Sophie Durand, 45 ans, bipolaire, hospitalisée en HDT, a attendu trois jours aux urgences.' },
        { id: 'm3', author: { id: 'U1', name: 'Inès Caradec' }, ts: '3', text: 'Objectif : intervenir à domicile sous 48 heures. Je pilote.' },
      ],
    }, { now: '2026-01-10T09:00:00Z' });
    const json = JSON.stringify(draft);
    expect(json).not.toContain('Durand');
    expect(json).toContain('48 heures');
    expect(draft.fiche.id).toMatch(/^draft-/);
  });
});
