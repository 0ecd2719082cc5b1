import { describe, expect, it } from 'vitest';
import { milestonesFromLine } from '../../../src/fiches/parse/calendar.js';
import { indicatorFromLine } from '../../../src/fiches/parse/indicators.js';
import { parsePilots, splitList } from '../../../src/fiches/parse/people.js';
import { matchSection, parseFicheHeading } from '../../../src/fiches/parse/sections.js';
import { splitInline } from '../../../src/fiches/parse/structure.js';

describe('section vocabulary', () => {
  it.each([
    ['Pilote(s)', 'pilots'], ["Porteur(s) de l'action", 'pilots'], ['PILOTAGE', 'pilots'], ['Responsable(s)', 'pilots'],
    ['Référent(e)(s)', 'pilots'], ['Co-pilotes', 'pilots'], ['3. Partenaires :', 'partners'], ['Acteurs concernés', 'partners'],
    ['Partenaires associés / mobilisés', 'partners'], ['Public visé', 'targetPublic'], ['Bénéficiaires', 'targetPublic'],
    ['Population cible', 'targetPublic'], ['Échéancier', 'milestones'], ['Calendrier prévisionnel', 'milestones'],
    ['Planning', 'milestones'], ['ECHEANCES', 'milestones'], ["Indicateurs d'évaluation", 'indicators'],
    ['Indicateurs de suivi', 'indicators'], ["Critères d'évaluation", 'indicators'], ['Moyens humains et financiers', 'funding'],
    ['Financement(s)', 'funding'], ['Budget', 'funding'], ['Ressources', 'funding'], ['Éléments de diagnostic', 'context'],
    ['Problématique', 'context'], ['Justification', 'context'], ['II. Constat', 'context'], ['Modalités de mise en œuvre', 'steps'],
    ['Actions à mener', 'steps'], ["Description de l'action", 'steps'], ['Déroulement', 'steps'], ['Axe stratégique', 'axis'],
    ['Priorité', 'axis'], ["État d'avancement", 'status'], ['Statut :', 'status'],
  ])('"%s" is the %s section', (label, field) => {
    expect(matchSection(label)?.field).toBe(field);
  });

  it('tells general from operational objectives, and process from result indicators', () => {
    expect(matchSection('Objectif général')).toMatchObject({ field: 'objectives', variant: 'general' });
    expect(matchSection('Objectifs spécifiques')).toMatchObject({ field: 'objectives', variant: 'operational' });
    expect(matchSection('Objectifs')).toMatchObject({ field: 'objectives', variant: 'any' });
    expect(matchSection('Indicateurs de processus')).toMatchObject({ field: 'indicators', variant: 'processus' });
    expect(matchSection('Indicateurs de résultat')).toMatchObject({ field: 'indicators', variant: 'resultat' });
    expect(matchSection('Étapes et calendrier')).toMatchObject({ field: 'milestones', alsoSteps: true });
  });

  it('leaves unknown sections and label-with-value lines alone', () => {
    expect(matchSection('Points de vigilance')).toBeNull();
    expect(matchSection('Lien avec le PRS')).toBeNull();
    expect(matchSection('Pilote : Mme X')).toBeNull();
  });

  it('reads fiche headings as départements number them', () => {
    expect(parseFicheHeading('Fiche action n° 4 : Pair-aidance')).toEqual({ numberText: '4', title: 'Pair-aidance' });
    expect(parseFicheHeading('FICHE ACTION N°12 – LOGEMENT')).toEqual({ numberText: '12', title: 'LOGEMENT' });
    expect(parseFicheHeading('FA 7 - Emploi')).toEqual({ numberText: '7', title: 'Emploi' });
    expect(parseFicheHeading('Fiche 1.2 — Repérage')).toEqual({ numberText: '1.2', title: 'Repérage' });
    expect(parseFicheHeading('Faire connaître le 3114')).toBeNull();
  });
});

describe('inline labels', () => {
  it('splits labels written on joined lines, and keeps "Objectif :" inside indicators as content', () => {
    const parts = splitInline('Pilote : Mme X (EPSM) Partenaires : CMP, GEM Échéance : T2 2025', null);
    expect(parts.map((p) => [p.label, p.value])).toEqual([['Pilote', 'Mme X (EPSM)'], ['Partenaires', 'CMP, GEM'], ['Échéance', 'T2 2025']]);
    expect(splitInline('Objectif : 100 personnes formées', { field: 'indicators' })).toEqual([{ label: null, match: null, value: 'Objectif : 100 personnes formées' }]);
    expect(splitInline('Le constat : les délais sont longs', null)[0]!.label).toBeNull();
  });
});

describe('pilots and lists', () => {
  it('reads names, organisations, roles and e-mails', () => {
    expect(parsePilots(['Dr Emma Lenoir, psychiatre, chef de pôle, EPSM du Littoral']).map((p) => [p.name, p.organisation])).toEqual([['Dr Emma Lenoir', 'EPSM du Littoral']]);
    expect(parsePilots(["Mme Laure Dumas, chargée de projets à l'IREPS, antenne du Nord."]).map((p) => [p.name, p.organisation])).toEqual([['Mme Laure Dumas', 'IREPS, antenne du Nord']]);
    expect(parsePilots(['M. Hugo Petit – hugo.petit@ville-brume.fr']).map((p) => [p.name, p.email])).toEqual([['M. Hugo Petit', 'hugo.petit@ville-brume.fr']]);
    expect(parsePilots(['Maison des adolescents et EPSM (intersecteur I01)']).map((p) => p.name)).toEqual(['Maison des adolescents', 'EPSM (intersecteur I01)']);
    expect(parsePilots(['Direction de la Solidarité et de la Santé']).map((p) => p.name)).toEqual(['Direction de la Solidarité et de la Santé']);
    expect(parsePilots(['Pilote : CCAS de Lavaux', 'Co-pilote : Mme Inès Morel (UNAFAM)']).map((p) => [p.name, p.organisation])).toEqual([['CCAS de Lavaux', null], ['Mme Inès Morel', 'UNAFAM']]);
  });

  it('splits lists of organisations but not sentences or sub-units', () => {
    expect(splitList(['ARS, Conseil départemental et CPAM'], { splitAnd: true })).toEqual(['ARS', 'Conseil départemental', 'CPAM']);
    expect(splitList(['Institutionnels : ARS, CD ; associatifs : UNAFAM, GEM'], { splitAnd: true, categories: true })).toEqual(['ARS', 'CD', 'UNAFAM', 'GEM']);
    expect(splitList(['UNAFAM, délégation du Nord', 'MSA et chambre d’agriculture'], { splitAnd: true })).toEqual(['UNAFAM, délégation du Nord', 'MSA et chambre d’agriculture']);
    expect(splitList(['Intersecteurs I01, I02', 'CPTS Sud'], { splitAnd: true })).toEqual(['Intersecteurs I01, I02', 'CPTS Sud']);
  });
});

describe('calendar lines and indicators', () => {
  const ref = '2025-01-15';
  it('reads "date : task", "task : date", dot leaders and several dated parts on one line', () => {
    expect(milestonesFromLine('T1 2026 : ouverture de la permanence', ref, null)).toMatchObject([{ label: 'Ouverture de la permanence', dueText: 'T1 2026', due: '2026-03-31' }]);
    expect(milestonesFromLine('Signature de la convention – fin 2025', ref, null)).toMatchObject([{ label: 'Signature de la convention', dueText: 'fin 2025', due: '2025-12-31' }]);
    expect(milestonesFromLine('Mars 2026 ........ comité de suivi Juin 2026 ........ bilan', ref, null).map((m) => [m.label, m.due])).toEqual([['Comité de suivi', '2026-03-31'], ['Bilan', '2026-06-30']]);
    expect(milestonesFromLine('T1 2025 : recrutement ; T3 2025 : formation', ref, null).map((m) => [m.label, m.dueText])).toEqual([['Recrutement', 'T1 2025'], ['Formation', 'T3 2025']]);
    expect(milestonesFromLine('Chaque année, en octobre : journée des aidants', ref, null)).toMatchObject([{ label: 'Journée des aidants', dueText: 'Chaque année, en octobre' }]);
    expect(milestonesFromLine('Mise en place du comité', ref, null)).toEqual([{ label: 'Mise en place du comité', dueText: '', due: null, start: null, precision: 'unresolved' }]);
  });

  it('reads targets and types of indicator lines', () => {
    expect(indicatorFromLine('Nombre de sessions par an → 12', null)).toEqual({ label: 'Nombre de sessions par an', type: 'processus', target: '12' });
    expect(indicatorFromLine('Résultat : part des patients avec un médecin traitant (valeur cible : 80 %)', null)).toEqual({ label: 'part des patients avec un médecin traitant', type: 'resultat', target: '80 %' });
    expect(indicatorFromLine('Existence d\'une charte signée', null)).toEqual({ label: "Existence d'une charte signée", type: 'processus', target: null });
  });
});
