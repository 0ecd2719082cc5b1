import { describe, expect, it } from 'vitest';
import { isFieldLine, isListLine, listMarker } from '../../src/ingestion/blocks/normalize.js';

describe('line shapes', () => {
  it('tells a « Label : value » field from a title that has a colon in it', () => {
    const cases: Array<[string, boolean]> = [
      ['Échéance (date butoir) : 24 octobre 2025', true],
      ['Échéance : 24/10/2025', true],
      ['Date de rédaction : 1er octobre 2024', true],
      ['Pilote : UNAFAM', true],
      ['Partenaires principaux : UNAFAM, GEM L’Escale', true],
      ['Indicateurs de suivi : taux de recours au CMP', true],
      ['Action 2.1 : Former les médecins généralistes', false],
      ['PRIORITÉ 1 : REPÉRAGE PRÉCOCE ET ACCÈS AUX SOINS', false],
      ['Priorité 1 : Le repérage précoce des troubles psychiques', false],
      ['Axe II : Parcours de soins', false],
      ['Fiche action n° 4 : Pair-aidance', false],
      ['AXE STRATÉGIQUE : PARCOURS DE SOINS', false],
      ['Pilote(s) :', false],
    ];
    expect(cases.map(([line]) => [line, isFieldLine(line)])).toEqual(cases);
  });

  it('reads the number of a numbered list line as printed, and never a year or a decimal', () => {
    expect(['4. Créer un service', '12) Former', 'b) Étendre', '- Former', '2021. Une année', '3.5 ETP'].map(listMarker)).toEqual(['4.', '12)', 'b)', '', '', '']);
    expect(['4. Créer', '- Former', '• Ouvrir', '2021 fut une année'].map(isListLine)).toEqual([true, true, true, false]);
  });
});
