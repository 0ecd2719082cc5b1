import { describe, expect, it } from 'vitest';
import { dueDate, findDateExpressions, parseFrenchDate } from '../../src/milestones/french-dates.js';
import { PtsmError } from '../../src/core/errors.js';

/** A Wednesday, early in the year: the date of the document the deadlines come from. */
const REF = '2025-01-15';

type Row = [text: string, start: string, end: string, precision: string];

/** Deadlines as PTSM fiches actions and COPIL minutes write them, with their exact interval. */
const absolute: Row[] = [
  // Full dates
  ['15 mars 2025', '2025-03-15', '2025-03-15', 'day'],
  ['1er mars 2025', '2025-03-01', '2025-03-01', 'day'],
  ['1ᵉʳ mars 2025', '2025-03-01', '2025-03-01', 'day'],
  ['premier mars 2025', '2025-03-01', '2025-03-01', 'day'],
  ['lundi 3 mars 2025', '2025-03-03', '2025-03-03', 'day'],
  ['15/03/2025', '2025-03-15', '2025-03-15', 'day'],
  ['15/03/25', '2025-03-15', '2025-03-15', 'day'],
  ['15.03.2025', '2025-03-15', '2025-03-15', 'day'],
  ['15-03-2025', '2025-03-15', '2025-03-15', 'day'],
  ['2025-03-15', '2025-03-15', '2025-03-15', 'day'],
  ['au plus tard le 30 juin 2025', '2025-06-30', '2025-06-30', 'day'],
  ['avant le 30/06/2025', '2025-06-30', '2025-06-30', 'day'],
  ['29 février 2024', '2024-02-29', '2024-02-29', 'day'],
  ['mercredi 5 février 2025 à 10h', '2025-02-05', '2025-02-05', 'day'],
  ['15 mars 2025 - 14h', '2025-03-15', '2025-03-15', 'day'],
  ['à partir du 1er septembre 2025', '2025-09-01', '2025-09-01', 'day'],
  ['Échéance : 30/09/2025', '2025-09-30', '2025-09-30', 'day'],
  ['15\u00a0mars\u00a02025', '2025-03-15', '2025-03-15', 'day'],
  // Months
  ['juin 2025', '2025-06-01', '2025-06-30', 'month'],
  ['Juin 2025', '2025-06-01', '2025-06-30', 'month'],
  ['06/2025', '2025-06-01', '2025-06-30', 'month'],
  ['fin juin 2025', '2025-06-21', '2025-06-30', 'month'],
  ['FIN JUIN 2025', '2025-06-21', '2025-06-30', 'month'],
  ['fin-juin 2025', '2025-06-21', '2025-06-30', 'month'],
  ['fin\u2011juin 2025', '2025-06-21', '2025-06-30', 'month'],
  ['début juin 2025', '2025-06-01', '2025-06-10', 'month'],
  ['debut juin 2025', '2025-06-01', '2025-06-10', 'month'],
  ['mi-juin 2025', '2025-06-11', '2025-06-20', 'month'],
  ['Mi juin 2025', '2025-06-11', '2025-06-20', 'month'],
  ['courant mars 2026', '2026-03-01', '2026-03-31', 'month'],
  ['fin février 2028', '2028-02-21', '2028-02-29', 'month'],
  ['janv. 2026', '2026-01-01', '2026-01-31', 'month'],
  ['sept 2025', '2025-09-01', '2025-09-30', 'month'],
  ['déc. 2025', '2025-12-01', '2025-12-31', 'month'],
  ['AOUT 2025', '2025-08-01', '2025-08-31', 'month'],
  ['A partir de septembre 2025', '2025-09-01', '2025-09-30', 'month'],
  ['1ère quinzaine de mars 2025', '2025-03-01', '2025-03-15', 'month'],
  ['seconde quinzaine de juin 2025', '2025-06-16', '2025-06-30', 'month'],
  ['avant juin 2026', '2026-05-01', '2026-05-31', 'month'],
  ['avant fin juin 2025', '2025-06-21', '2025-06-30', 'month'],
  // Quarters and semesters
  ['T2 2025', '2025-04-01', '2025-06-30', 'quarter'],
  ['T2\u202f2025', '2025-04-01', '2025-06-30', 'quarter'],
  ['T4-2025', '2025-10-01', '2025-12-31', 'quarter'],
  ['2e trimestre 2025', '2025-04-01', '2025-06-30', 'quarter'],
  ['2ème trimestre 2025', '2025-04-01', '2025-06-30', 'quarter'],
  ['2ᵉ trimestre 2025', '2025-04-01', '2025-06-30', 'quarter'],
  ['Q3 2025', '2025-07-01', '2025-09-30', 'quarter'],
  ['premier trimestre 2026', '2026-01-01', '2026-03-31', 'quarter'],
  ['dernier trimestre 2025', '2025-10-01', '2025-12-31', 'quarter'],
  ['fin du 1er trimestre 2026', '2026-03-01', '2026-03-31', 'quarter'],
  ['Au 1er trimestre 2026', '2026-01-01', '2026-03-31', 'quarter'],
  ['avant T3 2026', '2026-04-01', '2026-06-30', 'quarter'],
  ['S1 2026', '2026-01-01', '2026-06-30', 'semester'],
  ['1er semestre 2026', '2026-01-01', '2026-06-30', 'semester'],
  ['1er sem. 2026', '2026-01-01', '2026-06-30', 'semester'],
  ['second semestre 2024', '2024-07-01', '2024-12-31', 'semester'],
  ['2nd semestre 2024', '2024-07-01', '2024-12-31', 'semester'],
  ['au cours du 2e semestre 2025', '2025-07-01', '2025-12-31', 'semester'],
  ['Fin S1 2026', '2026-05-01', '2026-06-30', 'semester'],
  ['Début du second semestre 2025', '2025-07-01', '2025-08-31', 'semester'],
  ["d'ici la fin du 1er semestre 2026", '2026-05-01', '2026-06-30', 'semester'],
  // Seasons
  ['printemps 2026', '2026-03-20', '2026-06-20', 'season'],
  ['été 2025', '2025-06-21', '2025-09-22', 'season'],
  ['E\u0301te\u0301 2025', '2025-06-21', '2025-09-22', 'season'],
  ['automne 2025', '2025-09-23', '2025-12-20', 'season'],
  ['hiver 2025/2026', '2025-12-21', '2026-03-19', 'season'],
  ['hiver 2025-2026', '2025-12-21', '2026-03-19', 'season'],
  ['Hiver 2025 – 2026', '2025-12-21', '2026-03-19', 'season'],
  ['hiver 2026', '2025-12-21', '2026-03-19', 'season'],
  ['rentrée 2025', '2025-09-01', '2025-09-30', 'season'],
  ['rentrée scolaire 2025', '2025-09-01', '2025-09-30', 'season'],
  ['Dès la rentrée 2025', '2025-09-01', '2025-09-30', 'season'],
  ["avant l'été 2026", '2026-03-20', '2026-06-20', 'season'],
  ["début de l'été 2026", '2026-06-21', '2026-07-21', 'season'],
  // Years
  ['2025', '2025-01-01', '2025-12-31', 'year'],
  ['en 2025', '2025-01-01', '2025-12-31', 'year'],
  ['courant 2025', '2025-01-01', '2025-12-31', 'year'],
  ["l'année 2025", '2025-01-01', '2025-12-31', 'year'],
  ['fin 2026', '2026-10-01', '2026-12-31', 'year'],
  ["fin de l'année 2026", '2026-10-01', '2026-12-31', 'year'],
  ['début 2026', '2026-01-01', '2026-03-31', 'year'],
  ['mi-2026', '2026-06-01', '2026-07-31', 'year'],
  ["d'ici 2027", '2027-01-01', '2027-12-31', 'year'],
  ["d'ici à 2027", '2027-01-01', '2027-12-31', 'year'],
  ["d'ici fin 2026", '2026-10-01', '2026-12-31', 'year'],
  ['d’ici fin 2026', '2026-10-01', '2026-12-31', 'year'],
  ["jusqu'en 2027", '2027-01-01', '2027-12-31', 'year'],
  ['au plus tard fin 2025', '2025-10-01', '2025-12-31', 'year'],
  ["à l'horizon 2030", '2030-01-01', '2030-12-31', 'year'],
  ['avant 2027', '2026-01-01', '2026-12-31', 'year'],
  ['avant début 2026', '2025-01-01', '2025-12-31', 'year'],
  ['à partir de 2025', '2025-01-01', '2025-12-31', 'year'],
  ['dès 2025', '2025-01-01', '2025-12-31', 'year'],
  ['au plus tôt en 2026', '2026-01-01', '2026-12-31', 'year'],
  // Spans
  ['2024-2026', '2024-01-01', '2026-12-31', 'range'],
  ['2024–2026', '2024-01-01', '2026-12-31', 'range'],
  ['2025/2026', '2025-01-01', '2026-12-31', 'range'],
  ['de 2025 à 2027', '2025-01-01', '2027-12-31', 'range'],
  ['Entre 2025 et 2026', '2025-01-01', '2026-12-31', 'range'],
  ['entre mars et juin 2026', '2026-03-01', '2026-06-30', 'range'],
  ['de janvier à mars 2025', '2025-01-01', '2025-03-31', 'range'],
  ['janvier-mars 2025', '2025-01-01', '2025-03-31', 'range'],
  ['de novembre à février 2026', '2025-11-01', '2026-02-28', 'range'],
  ['du 3 au 15 mars 2025', '2025-03-03', '2025-03-15', 'range'],
  ['du 1er mars au 15 avril 2025', '2025-03-01', '2025-04-15', 'range'],
  ['entre le 3 et le 15 mars 2025', '2025-03-03', '2025-03-15', 'range'],
  ['du 01/09/2025 au 30/06/2026', '2025-09-01', '2026-06-30', 'range'],
  ['sept. 2025 – juin 2026', '2025-09-01', '2026-06-30', 'range'],
  ['de mars 2025 à juin', '2025-03-01', '2025-06-30', 'range'],
  ['T1-T2 2026', '2026-01-01', '2026-06-30', 'range'],
  ['T1 2025 à T3 2026', '2025-01-01', '2026-09-30', 'range'],
  ['printemps-été 2026', '2026-03-20', '2026-09-22', 'range'],
  ['année scolaire 2025-2026', '2025-09-01', '2026-08-31', 'range'],
  ['année scolaire 2025/26', '2025-09-01', '2026-08-31', 'range'],
  // ISO weeks
  ['S12 2026', '2026-03-16', '2026-03-22', 'week'],
  ['semaine 12 2026', '2026-03-16', '2026-03-22', 'week'],
  ['S01 2026', '2025-12-29', '2026-01-04', 'week'],
  ['semaine 53 2026', '2026-12-28', '2027-01-03', 'week'],
  ['la semaine du 3 mars 2025', '2025-03-03', '2025-03-09', 'week'],
];

describe('parseFrenchDate — absolute expressions', () => {
  it.each(absolute)('%s → %s … %s (%s)', (text, start, end, precision) => {
    const p = parseFrenchDate(text, REF);
    expect({ start: p.start, end: p.end, precision: p.precision }).toEqual({ start, end, precision });
    expect(p.flagged).toBe(false);
    expect(p.reason).toBeNull();
  });

  it('reads absolute expressions the same without a reference date', () => {
    for (const [text, start, end, precision] of absolute) {
      const p = parseFrenchDate(text);
      expect({ text, start: p.start, end: p.end, precision: p.precision }).toEqual({ text, start, end, precision });
    }
  });
});

/** Relative to REF = Wednesday 15 January 2025. */
const relative: Row[] = [
  ['le 15 mars', '2025-03-15', '2025-03-15', 'day'],
  ['31/12', '2025-12-31', '2025-12-31', 'day'],
  ['le 29 février', '2028-02-29', '2028-02-29', 'day'],
  ['en mars', '2025-03-01', '2025-03-31', 'month'],
  ["d'ici fin juin", '2025-06-21', '2025-06-30', 'month'],
  ['mi-septembre', '2025-09-11', '2025-09-20', 'month'],
  ['juin prochain', '2025-06-01', '2025-06-30', 'month'],
  ['S2', '2025-07-01', '2025-12-31', 'semester'],
  ['3e trimestre', '2025-07-01', '2025-09-30', 'quarter'],
  ['au prochain trimestre', '2025-04-01', '2025-06-30', 'quarter'],
  ['à la rentrée', '2025-09-01', '2025-09-30', 'season'],
  ["d'ici l'été", '2025-06-21', '2025-09-22', 'season'],
  ['hiver', '2024-12-21', '2025-03-19', 'season'],
  ['hiver prochain', '2025-12-21', '2026-03-19', 'season'],
  ['dans 3 mois', '2025-01-15', '2025-04-15', 'range'],
  ['sous 6 mois', '2025-01-15', '2025-07-15', 'range'],
  ['dans les 6 mois', '2025-01-15', '2025-07-15', 'range'],
  ['dans les six prochains mois', '2025-01-15', '2025-07-15', 'range'],
  ["d'ici 2 ans", '2025-01-15', '2027-01-15', 'range'],
  ['dans un an', '2025-01-15', '2026-01-15', 'range'],
  ['durant 5 ans', '2025-01-15', '2030-01-14', 'range'],
  ['pendant 18 mois', '2025-01-15', '2026-07-14', 'range'],
  ['pendant dix-huit mois', '2025-01-15', '2026-07-14', 'range'],
  ['dans quinze jours', '2025-01-15', '2025-01-30', 'range'],
  ['sous 8 jours', '2025-01-15', '2025-01-23', 'range'],
  ['sous huitaine', '2025-01-15', '2025-01-23', 'range'],
  ['sous 48h', '2025-01-15', '2025-01-17', 'range'],
  ['dans 2 semaines', '2025-01-15', '2025-01-29', 'range'],
  ['la semaine prochaine', '2025-01-20', '2025-01-26', 'week'],
  ['semaine 12', '2025-03-17', '2025-03-23', 'week'],
  ['le mois prochain', '2025-02-01', '2025-02-28', 'month'],
  ['fin du mois prochain', '2025-02-21', '2025-02-28', 'month'],
  ["l'an prochain", '2026-01-01', '2026-12-31', 'year'],
  ["début de l'année prochaine", '2026-01-01', '2026-03-31', 'year'],
  ['cette année', '2025-01-01', '2025-12-31', 'year'],
  ["d'ici la fin de l'année", '2025-01-15', '2025-12-31', 'year'],
  ["fin d'année", '2025-10-01', '2025-12-31', 'year'],
  ["en fin d'année", '2025-10-01', '2025-12-31', 'year'],
  ['avant la fin du mois', '2025-01-15', '2025-01-31', 'month'],
  ['demain', '2025-01-16', '2025-01-16', 'day'],
  ['lundi prochain', '2025-01-20', '2025-01-20', 'day'],
  ['jeudi', '2025-01-16', '2025-01-16', 'day'],
];

describe('parseFrenchDate — relative to the reference date', () => {
  it.each(relative)('%s → %s … %s (%s)', (text, start, end, precision) => {
    const p = parseFrenchDate(text, REF);
    expect({ start: p.start, end: p.end, precision: p.precision }).toEqual({ start, end, precision });
    expect(p.flagged).toBe(false);
  });

  it.each([
    ['en mars', '2025-09-10', '2026-03-01', '2026-03-31'],
    ['le 15 mars', '2025-03-20', '2026-03-15', '2026-03-15'],
    ["d'ici fin juin", '2025-06-25', '2025-06-21', '2025-06-30'],
    ["d'ici fin juin", '2025-07-01', '2026-06-21', '2026-06-30'],
    ['hiver', '2025-06-01', '2025-12-21', '2026-03-19'],
    ['juin prochain', '2025-06-10', '2026-06-01', '2026-06-30'],
    ['la semaine prochaine', '2025-01-19', '2025-01-20', '2025-01-26'],
    ['le mois prochain', '2025-12-31', '2026-01-01', '2026-01-31'],
    ['dans 1 mois', '2025-01-31', '2025-01-31', '2025-02-28'],
    ['semaine 2', '2025-12-30', '2026-01-05', '2026-01-11'],
    ['de novembre à février', '2025-12-10', '2025-11-01', '2026-02-28'],
  ])('%s with ref %s → %s … %s', (text, ref, start, end) => {
    const p = parseFrenchDate(text, ref);
    expect([p.start, p.end]).toEqual([start, end]);
  });

  it.each(['dans 3 mois', 'la semaine prochaine', "l'an prochain", "d'ici la fin de l'année", 'jeudi', 'sous 8 jours'])(
    '%s without a reference date is unresolved and flagged',
    (text) => {
      const p = parseFrenchDate(text);
      expect(p).toMatchObject({ start: null, end: null, precision: 'unresolved', flagged: true });
      expect(p.reason).toBe('échéance relative sans date de référence');
    },
  );

  it.each(['le 15 mars', 'en mars', "d'ici fin juin", 'T3', 'printemps'])('%s without year nor reference is flagged', (text) => {
    const p = parseFrenchDate(text);
    expect(p).toMatchObject({ start: null, end: null, precision: 'unresolved', flagged: true });
    expect(p.reason).toMatch(/année non précisée/);
  });
});

describe('parseFrenchDate — flagged expressions', () => {
  it.each([
    ['31 février 2025', 'date impossible : 31 février 2025'],
    ['32/01/2025', 'date impossible : 32/01/2025'],
    ['30/13/2025', 'date impossible : 30/13/2025'],
    ['31/04/2025', 'date impossible : 31/04/2025'],
    ['29 février 2025', 'date impossible : 29 février 2025'],
    ['2025-13-01', 'date impossible : 2025-13-01'],
    ['0 mars 2025', 'date impossible : 0 mars 2025'],
    ['semaine 53 2025', 'date impossible : semaine 53 2025'],
    ['hiver 2024-2026', 'date impossible : hiver 2024-2026'],
    ['à la prochaine plénière', 'échéance relative à un événement non daté'],
    ['au prochain COPIL', 'échéance relative à un événement non daté'],
    ["après validation de l'ARS", 'échéance relative à un événement non daté'],
    ['dans les 6 mois suivant la signature du CTSM', 'échéance relative à un événement non daté'],
    ['dès que possible', '« dès que possible » : aucune échéance datée'],
    ['en continu', 'action continue : aucune échéance datée'],
    ['selon financement', 'échéance conditionnée (financement, validation…) : à préciser'],
    ['sur la durée du PTSM', 'durée du PTSM non datée : précisez les années'],
    ['chaque année', 'échéance récurrente : précisez la première date'],
    ['à définir', 'échéance à définir ou à confirmer'],
    ['NC', 'échéance à définir ou à confirmer'],
    ['?', 'échéance à définir ou à confirmer'],
    ['', 'aucune échéance indiquée'],
    ['dans quelques mois', 'durée imprécise : « dans quelques mois »'],
    ['de 2027 à 2025', 'période incohérente : la fin précède le début'],
    ['blabla', 'expression non reconnue'],
    ['45 000 €', 'expression non reconnue'],
    ['3 ETP', 'expression non reconnue'],
  ])('%s → unresolved: %s', (text, reason) => {
    const p = parseFrenchDate(text, REF);
    expect(p).toEqual({ text, start: null, end: null, precision: 'unresolved', flagged: true, reason });
    expect(dueDate(p)).toBeNull();
  });

  it('keeps the date but flags a weekday that does not match it', () => {
    const p = parseFrenchDate('mardi 3 mars 2025', REF);
    expect(p).toMatchObject({ start: '2025-03-03', end: '2025-03-03', precision: 'day', flagged: true });
    expect(p.reason).toBe('jour de la semaine incohérent : le 3 mars 2025 est un lundi');
  });

  it('keeps the date but flags a condition or doubt around it', () => {
    expect(parseFrenchDate('T2 2025 sous réserve de financement', REF)).toMatchObject({
      start: '2025-04-01', end: '2025-06-30', precision: 'quarter', flagged: true,
      reason: 'échéance conditionnée (financement, validation…) : à préciser',
    });
    expect(parseFrenchDate('mars 2025 (à confirmer)', REF)).toMatchObject({
      start: '2025-03-01', end: '2025-03-31', flagged: true, reason: 'échéance à définir ou à confirmer',
    });
  });

  it('keeps the date but flags words around it that it did not understand', () => {
    const p = parseFrenchDate('Lancement du dispositif T2 2025', REF);
    expect(p).toMatchObject({ start: '2025-04-01', end: '2025-06-30', precision: 'quarter', flagged: true });
    expect(p.reason).toBe('expression partiellement reconnue : seule « T2 2025 » a été lue');
  });

  it('covers several dates with one flagged span ("2025 puis 2027")', () => {
    const p = parseFrenchDate('2025 puis 2027', REF);
    expect(p).toMatchObject({ start: '2025-01-01', end: '2027-12-31', precision: 'range', flagged: true });
    expect(p.reason).toContain('plusieurs échéances (2025 ; 2027)');
  });

  it('gives an open end to "après" and flags it', () => {
    const p = parseFrenchDate("après l'été 2025", REF);
    expect(p).toMatchObject({ start: '2025-09-23', end: null, precision: 'range', flagged: true });
    expect(dueDate(p)).toBeNull();
  });

  it('returns the input trimmed as text', () => {
    expect(parseFrenchDate('   T2 2025 \n', REF).text).toBe('T2 2025');
  });
});

describe('dueDate', () => {
  it('is the end of the interval', () => {
    expect(dueDate(parseFrenchDate('T2 2025', REF))).toBe('2025-06-30');
    expect(dueDate(parseFrenchDate("d'ici fin 2026", REF))).toBe('2026-12-31');
    expect(dueDate(parseFrenchDate('avant 2027', REF))).toBe('2026-12-31');
    expect(dueDate(parseFrenchDate('sous 6 mois', REF))).toBe('2025-07-15');
  });
});

describe('reference date', () => {
  it('rejects a malformed reference with a typed error naming it', () => {
    expect(() => parseFrenchDate('T2 2025', '15/01/2025')).toThrow(PtsmError);
    try {
      findDateExpressions('fin 2026', '2025-02-30');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PtsmError);
      expect((e as PtsmError).code).toBe('DATE_UNREADABLE');
      expect((e as PtsmError).input).toBe('2025-02-30');
    }
  });

  it('reads the date part of a timestamp', () => {
    expect(parseFrenchDate('demain', '2025-01-15T23:30:00Z').start).toBe('2025-01-16');
  });
});

type Found = [text: string, start: string | null, end: string | null];

describe('findDateExpressions', () => {
  it.each<[string, Found[]]>([
    ['On vise un lancement au T2 2025 et un premier bilan fin 2026.', [
      ['T2 2025', '2025-04-01', '2025-06-30'], ['fin 2026', '2026-10-01', '2026-12-31'],
    ]],
    ['Réunion le 12/03 puis restitution au printemps', [
      ['12/03', '2025-03-12', '2025-03-12'], ['printemps', '2025-03-20', '2025-06-20'],
    ]],
    ['Lancement T2 2025, bilan fin 2026', [
      ['T2 2025', '2025-04-01', '2025-06-30'], ['fin 2026', '2026-10-01', '2026-12-31'],
    ]],
    ['Budget de 45 000 € pour 3 ETP, soit 80 % du financement, 15 participants attendus.', []],
    ['Contact : 06 12 34 56 78 ou 01.23.45.67.89, poste 2025', []],
    ["Conformément à l'article L3221-2 du code de la santé publique, voir aussi l'article L. 3221-2.", []],
    ['Ratio 1/3, version 2.0.1, 10.5 ETP, page 12/45, 2030 habitants, 24h/24 et 7j/7, 24/7', []],
    ['Le logement T2 est disponible ; le projet a été validé ; 2000 personnes concernées.', []],
    ['Permanence du lundi au vendredi de 9h à 17h, tél. 03 20 12 34 56.', []],
    ['Calendrier : janvier-mars 2025 diagnostic, S2 2025 rédaction, CTSM signé avant 2027.', [
      ['janvier-mars 2025', '2025-01-01', '2025-03-31'], ['S2 2025', '2025-07-01', '2025-12-31'],
      ['avant 2027', '2026-01-01', '2026-12-31'],
    ]],
    ["L'été prochain on lance la formation PSSM, et d'ici fin juin le recrutement.", [
      ['été prochain', '2025-06-21', '2025-09-22'], ["d'ici fin juin", '2025-06-21', '2025-06-30'],
    ]],
    ['Prochain COPIL mardi 3 juin 2025 à 14h30, puis la semaine du 16 juin.', [
      ['mardi 3 juin 2025 à 14h30', '2025-06-03', '2025-06-03'], ['semaine du 16 juin', '2025-06-16', '2025-06-22'],
    ]],
    ['Formation de 7 à 12 personnes en sept 2025, puis sept sessions en 2026.', [
      ['sept 2025', '2025-09-01', '2025-09-30'], ['2026', '2026-01-01', '2026-12-31'],
    ]],
    ['Le CTSM 2025-2029 prévoit une évaluation au S2 2029 ; décret n° 2017-1200 du 27 juillet 2017.', [
      ['2025-2029', '2025-01-01', '2029-12-31'], ['S2 2029', '2029-07-01', '2029-12-31'],
      ['27 juillet 2017', '2017-07-27', '2017-07-27'],
    ]],
    ['Objectif : 50 % des CMP formés d’ici 2027, 100 % en 2028.', [
      ['d’ici 2027', '2027-01-01', '2027-12-31'], ['2028', '2028-01-01', '2028-12-31'],
    ]],
    ['Point d’étape semaine 12, restitution S15 2025, inscriptions jusqu’au 30 avril.', [
      ['semaine 12', '2025-03-17', '2025-03-23'], ['S15 2025', '2025-04-07', '2025-04-13'],
      ['jusqu’au 30 avril', '2025-04-30', '2025-04-30'],
    ]],
    ['Il a été décidé de reporter à l’automne (budget 2025 : 12 500 €), réponse sous 8 jours.', [
      ['automne', '2025-09-23', '2025-12-20'], ['2025', '2025-01-01', '2025-12-31'],
      ['sous 8 jours', '2025-01-15', '2025-01-23'],
    ]],
    ['Dates erronées : 32/01/2025 et 31 février 2025.', [
      ['32/01/2025', null, null], ['31 février 2025', null, null],
    ]],
  ])('%s', (sentence, expected) => {
    const found = findDateExpressions(sentence, REF);
    expect(found.map((m) => [m.text, m.parsed.start, m.parsed.end])).toEqual(expected);
    for (const m of found) {
      expect(sentence.slice(m.index, m.index + m.text.length)).toBe(m.text);
      expect(m.parsed.text).toBe(m.text);
    }
  });

  it('flags impossible dates found in text', () => {
    const [m] = findDateExpressions('Rendu le 31/02/2025 au plus tard.', REF);
    expect(m?.parsed).toMatchObject({ precision: 'unresolved', flagged: true, reason: 'date impossible : 31/02/2025' });
  });

  it('takes the longest expression when several overlap', () => {
    const found = findDateExpressions('Bilan du 1er mars au 15 avril 2025 puis hiver 2025-2026.', REF);
    expect(found.map((m) => m.text)).toEqual(['du 1er mars au 15 avril 2025', 'hiver 2025-2026']);
  });

  it('gives original offsets through accents, ligatures and superscripts', () => {
    const text = 'Œuvre : 1ᵉʳ trimestre 2026, E\u0301te\u0301 2026 et début 2027';
    const found = findDateExpressions(text, REF);
    expect(found.map((m) => m.text)).toEqual(['1ᵉʳ trimestre 2026', 'E\u0301te\u0301 2026', 'début 2027']);
    for (const m of found) expect(text.slice(m.index, m.index + m.text.length)).toBe(m.text);
  });

  it('flags relative mentions when no reference date is given', () => {
    const [m] = findDateExpressions('À faire sous 6 mois.');
    expect(m?.parsed).toMatchObject({ start: null, precision: 'unresolved', flagged: true });
  });
});

describe('robustness', () => {
  /** Deterministic pseudo-random generator: a failing string can be reproduced. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const pieces = [
    'T2', 'Q5', 'S1', 'S12', 'S99', '2025', '1999', '0', '31', '32', '12', '/', '-', '–', '.', ',', ' ', '\u00a0', "'", '’',
    'fin', 'début', 'mi', 'de', 'du', "d'", 'ici', 'à', 'au', 'et', 'entre', 'mars', 'février', 'sept', 'juin', 'hiver',
    'été', 'rentrée', 'semaine', 'trimestre', 'semestre', '1er', '2e', 'ᵉʳ', 'dernier', 'avant', 'après', 'dès',
    'dans', 'sous', 'les', 'mois', 'ans', 'prochain', 'quinzaine', 'lundi', '€', '%', '(', ')', '🙂', '\ud800', 'E\u0301',
    'année', 'scolaire', 'n°', '2025-2026', '15/03/2025', '99/99/9999', 'x', '\n', '\t', '…',
  ];

  it('never throws and always returns a well-formed result on generated strings', () => {
    const next = rng(20250115);
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    for (let n = 0; n < 400; n++) {
      const len = 1 + Math.floor(next() * 14);
      let text = '';
      for (let k = 0; k < len; k++) {
        text += next() < 0.85
          ? pieces[Math.floor(next() * pieces.length)]
          : String.fromCharCode(Math.floor(next() * 0x3000));
        if (next() < 0.5) text += ' ';
      }
      for (const ref of [REF, undefined]) {
        const p = parseFrenchDate(text, ref);
        expect(p.text).toBe(text.trim());
        if (p.precision === 'unresolved') {
          expect([p.start, p.end, p.flagged]).toEqual([null, null, true]);
        } else {
          expect(p.start).toMatch(iso);
          if (p.end !== null) {
            expect(p.end).toMatch(iso);
            expect(p.start! <= p.end).toBe(true);
          }
        }
        if (p.flagged) expect(typeof p.reason).toBe('string');
        for (const m of findDateExpressions(text, ref)) {
          expect(text.slice(m.index, m.index + m.text.length)).toBe(m.text);
        }
      }
    }
  });

  it('handles long inputs built to stress a backtracking parser', () => {
    const hostile = 'de '.repeat(3000) + '1 '.repeat(3000) + "d'ici ".repeat(1000) + 'fin de la fin du '.repeat(500);
    expect(parseFrenchDate(hostile, REF).precision).toBe('unresolved');
    expect(findDateExpressions(hostile + '. Lancement T2 2025', REF).map((m) => m.text)).toEqual(['T2 2025']);
  });
});
