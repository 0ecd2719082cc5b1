import { describe, expect, it } from 'vitest';
import {
  continuesPrevious, findIndicatorHeads, findOrganisations, findPublics, hasPilotCue, headerOf, isDigressionMessage,
  isNegatedAt, isNoise, isPureValidation, listIntroOf, SELF_PILOT_RE, SELF_WITHDRAW_RE, stanceOf, startsWithAgreement,
} from '../../../src/fiches/draft/cues.js';
import { normaliseAmounts } from '../../../src/fiches/draft/fields-lists.js';
import { foldSameLength } from '../../../src/fiches/draft/text.js';

const f = foldSameLength;
const orgs = (s: string): string[] => findOrganisations(s, f(s)).map((o) => o.text);
const publics = (s: string): string[] => findPublics(s, f(s)).map((p) => p.text);

describe('foldSameLength', () => {
  it('keeps indices aligned with the original text', () => {
    const s = 'Réunion à l’EPSM — déjà validée ✅';
    expect(f(s)).toHaveLength(s.length);
    const at = f(s).indexOf('epsm');
    expect(s.slice(at, at + 4)).toBe('EPSM');
    expect(f(s).indexOf('deja')).toBe(s.indexOf('déjà'));
  });
});

describe('stance cues', () => {
  it.each([
    ["On pourrait associer la MDA", 'proposal'],
    ['Je propose que le SIAO la porte.', 'proposal'],
    ['Pourquoi pas le CMP', 'proposal'],
    ['On part sur une consultation au CMP.', 'decision'],
    ["C'est validé pour le budget.", 'decision'],
    ['Décision : pilotage par le CCAS.', 'decision'],
    ['Ok pour le SPIP en copilote.', 'decision'],
    ["D'accord pour le binôme", 'decision'],
    ['On retient les deux volets.', 'decision'],
    ['Validé en COPIL du 28 novembre.', 'decision'],
  ])('%s → %s', (text, kind) => {
    const s = stanceOf(f(text));
    expect(kind === 'proposal' ? s.proposal && !s.decision : s.decision).toBe(true);
  });

  it('a question is a proposal, even with decision words', () => {
    const s = stanceOf(f('On part sur Marie en pilote ?'));
    expect(s.question).toBe(true);
    expect(s.proposal).toBe(true);
    expect(s.decision).toBe(false);
  });

  it('"pas d\'accord pour" is a rejection, not a decision', () => {
    const s = stanceOf(f("Je ne suis pas d'accord pour mettre les sentinelles dans cette fiche"));
    expect(s.decision).toBe(false);
    expect(s.rejection).toBe(true);
  });

  it('override and additive words', () => {
    expect(stanceOf(f("Finalement c'est Paul qui pilote")).override).toBe(true);
    expect(stanceOf(f('Non pas la MDA, plutôt la Mission locale')).override).toBe(true);
    expect(stanceOf(f('La CPTS en copilote aussi')).additive).toBe(true);
    expect(stanceOf(f('La CPTS pilote')).additive).toBe(false);
  });

  it('agreement openings and pure validations', () => {
    expect(startsWithAgreement(f('Ok pour moi'))).toBe(true);
    expect(startsWithAgreement(f('👍 ça me va'))).toBe(true);
    expect(startsWithAgreement(f('+1'))).toBe(true);
    expect(startsWithAgreement(f('Ok mais non, pas la MDA'))).toBe(false);
    expect(startsWithAgreement(f('Objectif : réduire les délais'))).toBe(false);
    expect(isPureValidation(f("C'est validé pour moi, je mets en forme."))).toBe(true);
    expect(isPureValidation(f('C\'est validé par le bureau municipal.'))).toBe(true);
    expect(isPureValidation(f('Validé : lancement le 1er mars 2026 et extension au week-end en septembre'))).toBe(false);
  });
});

describe('digressions', () => {
  it('recognises logistics and announced asides', () => {
    expect(isNoise(f('Quelqu\'un a le code du wifi de la salle ?'))).toBe(true);
    expect(isNoise(f('Le pot de départ de Michèle c\'est vendredi'))).toBe(true);
    expect(isNoise(f('La plateforme de répit a une salle pour les groupes'))).toBe(false);
    expect(isDigressionMessage(f('Hors sujet : la journée des aidants le 6 octobre'))).toBe(true);
    expect(isDigressionMessage(f('Pour le budget, on demande 10 k€'))).toBe(false);
  });

  it('continuation openings', () => {
    expect(continuesPrevious(f('Et côté soins : nombre d\'interventions'))).toBe(true);
    expect(continuesPrevious(f('Oui : femmes enceintes, jeunes parents'))).toBe(true);
    expect(continuesPrevious(f('Étapes : former'))).toBe(false);
  });
});

describe('headers', () => {
  it.each([
    ['Partenaires : CPTS, SAMU', 'partners'],
    ['Partenaires alors : CPTS', 'partners'],
    ['Pour le calendrier : extension avant l\'été', 'milestones'],
    ['Indicateurs côté SAMU : nombre d\'appels', 'indicators'],
    ['Côté constat : aujourd\'hui rien', 'context'],
    ['Le public : les personnes vivant avec…', 'targetPublic'],
    ['- Pilote : centre de réhabilitation', 'pilots'],
    ['Budget : 45 000 €', 'funding'],
    ['Titre : « Création du CLSM »', 'title'],
  ])('%s → %s', (text, field) => {
    expect(headerOf(f(text))?.field).toBe(field);
  });

  it('objective headers tell general from operational', () => {
    expect(headerOf(f('Objectif général : améliorer'))?.sub).toBe('general');
    expect(headerOf(f('Objectifs opérationnels : garantir'))?.sub).toBe('operational');
  });

  it('ordinary sentences are not headers', () => {
    expect(headerOf(f('On pourrait faire une fiche sur le logement.'))).toBeNull();
    expect(headerOf(f("L'objectif général, je le formulerais comme ça : développer la pair-aidance"))).toBeNull();
  });

  it('a line announcing a list', () => {
    expect(listIntroOf(f('Étapes, je propose :'))?.field).toBe('steps');
    expect(listIntroOf(f('Bonne idée, je l\'ajoute dans les étapes. Voici ce que je propose :'))?.field).toBe('steps');
    expect(listIntroOf(f('Voici ce que je propose'))).toBeNull();
  });
});

describe('pilot cues', () => {
  it('finds sentences about leading, not the comité de pilotage nor a door', () => {
    expect(hasPilotCue(f('Le CCAS veut bien porter la cellule'))).toBe(true);
    expect(hasPilotCue(f('Pilotage : ville de Pontclair'))).toBe(true);
    expect(hasPilotCue(f('Les Passerelles pilotent'))).toBe(true);
    expect(hasPilotCue(f('Le GEM veut être au comité de pilotage'))).toBe(false);
    expect(hasPilotCue(f("BREF en porte d'entrée, Profamille ensuite"))).toBe(false);
  });

  it('self offers and withdrawals', () => {
    for (const s of ['Je veux bien piloter', 'je peux porter la fiche', 'Je confirme, je pilote.', 'moi comme référente', 'Ok pour piloter.']) {
      expect(SELF_PILOT_RE.test(f(s)), s).toBe(true);
    }
    expect(SELF_PILOT_RE.test(f('Je propose que Marie pilote'))).toBe(false);
    expect(SELF_WITHDRAW_RE.test(f('finalement je ne pourrai pas piloter'))).toBe(true);
    expect(SELF_WITHDRAW_RE.test(f('je passe la main'))).toBe(true);
  });
});

describe('organisations', () => {
  it('extends acronyms and names over their proper names', () => {
    expect(orgs('pilotage par le CH de Lanvallec et la CPTS Sud')).toEqual(['CH de Lanvallec', 'CPTS Sud']);
    expect(orgs('Le GEM Le Phare veut être représenté')).toEqual(['GEM Le Phare']);
    expect(orgs('avec la Mission locale du Pays de Rance et Cap emploi')).toEqual(['Mission locale du Pays de Rance', 'Cap emploi']);
    expect(orgs("l'association Les Ailes et Habitat du Val")).toEqual(['association Les Ailes', 'Habitat du Val']);
  });

  it('does not take ordinary words for organisations', () => {
    expect(orgs("La maternité est partante")).toEqual(['maternité']);
    expect(orgs('le ch de garde, une association, le département est grand')).toEqual([]);
    expect(orgs('1 ETP MSP')).toEqual([]);
  });

  it('negation around a name', () => {
    const s = 'Non pas la MDA, plutôt la Mission locale';
    const [mda, ml] = findOrganisations(s, f(s));
    expect(isNegatedAt(f(s), mda!.start, mda!.end)).toBe(true);
    expect(isNegatedAt(f(s), ml!.start, ml!.end)).toBe(false);
    const p = 'Pourquoi pas la MDA';
    const [m2] = findOrganisations(p, f(p));
    expect(isNegatedAt(f(p), m2!.start, m2!.end)).toBe(false);
    const q = 'la MDA ils n\'y vont pas';
    const [m3] = findOrganisations(q, f(q));
    expect(isNegatedAt(f(q), m3!.start, m3!.end)).toBe(true);
  });
});

describe('publics', () => {
  it('keeps the qualifiers of a public', () => {
    expect(publics('pour les jeunes de 16 à 25 ans, en insertion')).toEqual(['jeunes de 16 à 25 ans']);
    expect(publics("Le public c'est les personnes ayant fait une tentative de suicide et les habitants des communes rurales"))
      .toEqual(['personnes ayant fait une tentative de suicide', 'habitants des communes rurales']);
    expect(publics('femmes enceintes et jeunes mères')).toEqual(['femmes enceintes', 'jeunes mères']);
  });

  it('does not read peers as carers', () => {
    expect(publics('former des pairs-aidants bénévoles')).toEqual([]);
  });
});

describe('indicators and amounts', () => {
  it('finds where each indicator starts', () => {
    const s = f("nombre de patients recontactés, taux de réitération à 6 mois et la satisfaction des familles");
    expect(findIndicatorHeads(s)).toHaveLength(3);
    expect(findIndicatorHeads(f('je te réponds à part, de la part des familles'))).toHaveLength(0);
  });

  it('normalises amounts as French write them', () => {
    expect(normaliseAmounts('On pourrait demander 60 k€, voire 1,5 M€').text).toBe('On pourrait demander 60 000 €, voire 1 500 000 €');
    expect(normaliseAmounts('environ 45000 euros par an').amounts).toEqual([45000]);
    expect(normaliseAmounts('5\u00a0000 € de formation').amounts).toEqual([5000]);
  });
});
