import { describe, expect, it } from 'vitest';
import type { Thread } from '../../../src/core/fiche.js';
import { draftFicheOffline } from '../../../src/fiches/draft/index.js';
import { messageDay } from '../../../src/fiches/draft/message-day.js';
import { phraseMatcher } from '../../../src/fiches/draft/cues/engine.js';

/** A thread from [author, text, ts] triples. */
function thread(list: Array<[string, string, string]>): Thread {
  return {
    messages: list.map(([name, text, ts], i) => ({ id: `m${i + 1}`, author: { id: `u-${name.split(' ')[0]!.toLowerCase()}`, name }, ts, text })),
  };
}

// Drafted "today", years after the thread: nothing may be read against today.
const now = '2026-12-02T09:00:00.000Z';

describe('dates read against the message that says them', () => {
  const t2019 = thread([
    ['Claire Dubois', 'Bonjour à tous, on lance la fiche soins somatiques.', '2019-03-04T09:10:00Z'],
    ['Marc Olivier', 'La CPTS Montreval-Sud est partante.', '2019-03-04T09:30:00Z'],
    ['Claire Dubois', "Aujourd'hui, la moitié des patients n'ont pas de médecin traitant.", '2019-03-04T09:40:00Z'],
    ['Claire Dubois', "Pour le calendrier : liste des patients fin avril, premières orientations à la rentrée, premier bilan avant la fin de l'année.", '2019-03-11T08:30:00Z'],
    ['Lucie Germain', 'Première formation des infirmières jeudi. Lancement du binôme au T2.', '2019-03-12T08:30:00Z'],
  ]);
  const d = draftFicheOffline(t2019, { now });

  it('a thread of 2019 gets no milestone after 2021', () => {
    expect(d.fiche.milestones.length).toBeGreaterThanOrEqual(4);
    for (const m of d.fiche.milestones) expect(m.due! <= '2021-12-31', `${m.label} ${m.dueText} → ${m.due}`).toBe(true);
    const dues = d.fiche.milestones.map((m) => m.due);
    expect(dues).toEqual(expect.arrayContaining(['2019-04-30', '2019-09-30', '2019-12-31', '2019-06-30']));
  });

  it('« aujourd\'hui » is a constat, not a milestone', () => {
    expect(d.fiche.milestones.some((m) => /aujourd/i.test(m.dueText))).toBe(false);
  });

  it('every date names its message and the day it was read against', () => {
    d.fiche.milestones.forEach((m, i) => {
      const key = Object.keys(d.provenance).find((k) => k.startsWith(`milestones.${i}@`))!;
      const [id] = d.provenance[key]!;
      const msg = t2019.messages.find((x) => x.id === id)!;
      expect(msg.text).toContain(m.dueText);
      expect(key).toBe(`milestones.${i}@${msg.ts.slice(0, 10)}`);
    });
  });

  it('the day is the one in Paris: 23:15 UTC on 31 December is already the new year', () => {
    expect(messageDay('2024-12-31T23:15:00Z', 'Europe/Paris')).toBe('2025-01-01');
    expect(messageDay('1735686900.000100', 'Europe/Paris')).toBe('2025-01-01'); // Slack ts, same instant
    expect(messageDay('3', 'Europe/Paris')).toBeNull();
    const late = draftFicheOffline(thread([
      ['Karim Benaïssa', "Bonne année ! Pour les sentinelles, on vise 30 sentinelles formées avant la fin de l'année.", '2024-12-31T23:15:00Z'],
    ]), { now });
    expect(late.fiche.milestones.map((m) => m.due)).toEqual(['2025-12-31']);
  });

  it('a message stamped after the draft is made (clock off) is read as of the draft day', () => {
    const d2 = draftFicheOffline(thread([['Ana Lopez', 'Lancement du groupe au T2 2026.', '2026-12-01T10:00:00Z']]), { now: '2026-01-15T09:00:00.000Z' });
    expect(d2.fiche.milestones.map((m) => m.due)).toEqual(['2026-06-30']);
  });

  it('a plain-text thread (no timestamps) reads its dates against the given reference day', () => {
    const plain = draftFicheOffline(thread([['Ana Lopez', 'Lancement du groupe fin février.', '1']]), { now, ref: '2022-01-10' });
    expect(plain.fiche.milestones.map((m) => m.due)).toEqual(['2022-02-28']);
  });
});

describe('conversation-level extraction', () => {
  const ts = (i: number): string => `2026-01-13T${String(8 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}:00Z`;
  const t = (list: Array<[string, string]>): Thread => thread(list.map(([a, x], i) => [a, x, ts(i)]));

  it('a proposal someone turns down does not enter the draft; the decision does', () => {
    const d = draftFicheOffline(t([
      ['Sophie Tran', "Pour les indicateurs, on pourrait compter le nombre d'expulsions évitées ?"],
      ['Julie Moreau', 'Plutôt pas, impossible à mesurer proprement.'],
      ['Nadia Ferrand', 'On retient le nombre de situations examinées et le nombre de gardiens formés.'],
      ['Pierre Lemaire', 'On pourrait ouvrir la permanence le samedi ?'],
      ['Julie Moreau', "Non, on n'a personne le samedi."],
    ]), { now });
    const labels = d.fiche.indicators.map((i) => i.label.toLowerCase());
    expect(labels.some((l) => l.includes('expulsions'))).toBe(false);
    expect(labels).toEqual(expect.arrayContaining(['nombre de situations examinées', 'nombre de gardiens formés']));
    expect(JSON.stringify(d.fiche).toLowerCase()).not.toContain('samedi');
  });

  it('« je veux bien piloter avec Karim » gives the author and Karim of the thread', () => {
    const d = draftFicheOffline(t([
      ['Karim Haddad', 'Bonjour à tous.'],
      ['Pierre Lemaire', "L'idée est de repérer plus tôt les impayés pour les locataires en fragilité psychique."],
      ['Julie Moreau', 'Je veux bien piloter avec Karim.'],
      ['Karim Haddad', 'Avec plaisir.'],
    ]), { now });
    expect(d.fiche.pilots.map((p) => p.name).sort()).toEqual(['Julie Moreau', 'Karim Haddad']);
    expect([...d.fiche.objectives.general, ...d.fiche.objectives.operational].join(' ').toLowerCase()).toContain('repérer plus tôt les impayés');
    expect(d.fiche.targetPublic.join(' ')).toContain('locataires en fragilité psychique');
  });

  it('« la CPTS X est partante » and « avec les bailleurs sociaux » are partners', () => {
    const d = draftFicheOffline(t([
      ['Marc Olivier', 'La CPTS Montreval-Sud est partante.'],
      ['Nadia Ferrand', 'Ok, on part sur une cellule de veille avec les bailleurs sociaux et le CCAS.'],
    ]), { now });
    expect(d.fiche.partners).toEqual(expect.arrayContaining(['CPTS Montreval-Sud', 'bailleurs sociaux', 'CCAS']));
    expect(d.fiche.steps.join(' ').toLowerCase()).toContain('cellule de veille');
  });
});

describe('who pays, who takes part, said in passing', () => {
  it('« l\'ARS finance l\'extension » is the funding; « à l\'UNAFAM on a… » a partner; « à l\'hôpital » is not', () => {
    const d = draftFicheOffline(thread([
      ['Martine Garnier', "À l'UNAFAM on a une liste d'attente de 40 familles.", '2020-09-07T12:05:00Z'],
      ['Olivier Chevalier', "Et à l'hôpital les familles ne sont reçues que quand ça va mal.", '2020-09-07T12:25:00Z'],
      ['Paul Mercier', "Démarrage au T2, l'ARS finance l'extension dans le cadre du 3114.", '2020-09-07T12:45:00Z'],
    ]), { now });
    expect(d.fiche.funding).toContain('ARS');
    expect(d.fiche.partners).toContain('UNAFAM');
    expect(d.fiche.partners.map((p) => p.toLowerCase())).not.toContain('hôpital');
  });
});

describe('cue engine', () => {
  it('matches folded phrases on word boundaries, commas as spaces, elided « que »', () => {
    const m = phraseMatcher(["l'idee c'est que", 'non']);
    expect(m.find("oui. l'idee, c'est qu'aucun patient")?.index).toBe(5);
    expect(m.atStart('non, le 3114 existe')).not.toBeNull();
    expect(m.atStart('nonobstant')).toBeNull();
  });
});
