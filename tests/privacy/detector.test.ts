import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MASK, MASKED_NOTICE, detectPatientData, looksLikePatientData, maskPatientData, protectAnswer } from '../../src/privacy/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const readSet = (file: string): Array<{ text: string; patient: boolean }> =>
  fs.readFileSync(path.join(root, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; patient: boolean });

function figures(set: Array<{ text: string; patient: boolean }>): { precision: number; recall: number } {
  let tp = 0; let fp = 0; let fn = 0;
  for (const s of set) {
    const flagged = looksLikePatientData(s.text);
    if (flagged && s.patient) tp++; else if (flagged) fp++; else if (s.patient) fn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

describe('patient-data detector', () => {
  it.each([
    'Mme Sophie Durand, 45 ans, bipolaire, hospitalisée en HDT',
    'M. Jean Dupont, hospitalisé pour schizophrénie',
    'J.D., 27 ans, schizophrénie paranoïde, en rupture de traitement.',
    'Le patient X, 40 ans, hospitalisé en SDT, sort demain en programme de soins.',
    'NIR 1 80 03 75 056 012 34',
    'Née le 12/03/1980, elle est suivie pour schizophrénie.',
  ])('flags « %s »', (text) => {
    expect(detectPatientData(text)).toHaveLength(1);
  });

  it.each([
    'Dr Martin, psychiatre au CH, pilote la fiche',
    'Les personnes hospitalisées sans consentement représentent 20 % des admissions.',
    'Mme Sophie Durand, coordinatrice du PTSM, anime le COPIL du 12 mars 2026.',
    'Le CMP de Saint-Aubin est situé 12 rue de la Paix, 87200 Saint-Aubin.',
    'Le COPIL se réunira le 14/05/2026 à 10 h à l’ARS.',
  ])('leaves « %s » alone', (text) => {
    expect(detectPatientData(text)).toEqual([]);
  });

  it('returns the span of each flagged sentence only, with the cues that fired', () => {
    const text = 'Le COPIL a validé la fiche 4. M. Jean Dupont, 52 ans, est hospitalisé en SDRE depuis lundi. Prochaine réunion en juin.';
    const [span, ...rest] = detectPatientData(text);
    expect(rest).toEqual([]);
    expect(text.slice(span!.start, span!.end)).toBe('M. Jean Dupont, 52 ans, est hospitalisé en SDRE depuis lundi.');
    expect(span!.cues).toEqual(expect.arrayContaining(['civility-name', 'age', 'hospitalisation-mode']));
  });

  it('masks what singles the person out and keeps the rest of the text', () => {
    const m = maskPatientData('Mme Durand, 45 ans, bipolaire, peut-elle être accueillie au GEM ? Qui pilote la fiche GEM ?');
    expect(m.masked).toBe(1);
    expect(m.text).toBe(`${MASK}, ${MASK}, bipolaire, peut-elle être accueillie au GEM ? Qui pilote la fiche GEM ?`);
  });

  it('masks the whole sentence when what is left would still be flagged', () => {
    const m = maskPatientData('Mme Sophie Durand, 45 ans, bipolaire, hospitalisée en HDT. La fiche 3 est validée.');
    expect(m.text).toBe(`${MASK} La fiche 3 est validée.`);
    expect(looksLikePatientData(m.text)).toBe(false);
  });

  it('leaves nothing flagged once masked, on every patient line of both labelled sets', () => {
    for (const s of [...readSet('eval/privacy/mentions.jsonl'), ...readSet('eval/privacy/holdout.jsonl')]) {
      expect(detectPatientData(maskPatientData(s.text).text), s.text).toEqual([]);
    }
  });

  it('reaches precision and recall ≥ 0.9 on the tuning set and on the holdout set', () => {
    for (const file of ['eval/privacy/mentions.jsonl', 'eval/privacy/holdout.jsonl']) {
      const f = figures(readSet(file));
      expect(f.precision, file).toBeGreaterThanOrEqual(0.9);
      expect(f.recall, file).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('protects an answer: text and quotes masked, and the answer says so once', () => {
    const a = protectAnswer({ answer: 'Voir le cas cité [1].', abstained: false, citations: [{ source: 'a.md', title: 'A', page: null, section: null, quote: 'M. Jean Dupont, hospitalisé pour schizophrénie.' }] });
    expect(a.citations[0]!.quote).not.toContain('Dupont');
    expect(a.answer).toBe(`Voir le cas cité [1].\n\n${MASKED_NOTICE}`);
    expect(protectAnswer(a, 1).answer).toBe(a.answer);
    const clean = { answer: 'La fiche 4 est pilotée par le GEM [1].', abstained: false, citations: [] };
    expect(protectAnswer(clean)).toBe(clean);
  });
});
