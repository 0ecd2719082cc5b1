import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { extractDecisions } from '../../src/decisions/extract.js';
import type { Block, DocumentRecord } from '../../src/core/types.js';
import { tempDir } from '../helpers/files.js';

const CORPUS = path.resolve(__dirname, '../../corpus');

async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(args, { cwd, env: {}, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

interface Entry { id: string; kind: string; meeting: string; date: string; decision: string; who: string[]; due: string | null; fiches: number[]; postponed: boolean; source: string; page: number | null }

let tmp: { dir: string; cleanup: () => void };
let entries: Entry[];

beforeAll(async () => {
  tmp = tempDir();
  expect((await cli(['index', CORPUS, '--data', 'data'], tmp.dir)).code).toBe(0);
  const res = await cli(['decisions', '--json', '--data', 'data'], tmp.dir);
  expect(res.code).toBe(0);
  entries = JSON.parse(res.out) as Entry[];
}, 120_000);
afterAll(() => tmp.cleanup());

/** Every decision of the sample minutes: file, meeting date, body, a words of the decision. */
const EXPECTED: Array<[string, string, string, string]> = [
  ['2025-06-24-copil.docx', '2025-06-24', 'COPIL', 'règlement intérieur du COPIL est adopté'],
  ['2025-06-24-copil.docx', '2025-06-24', 'COPIL', 'enveloppe FIR 2025 dédiée au PTSM'],
  ['2025-06-24-copil.docx', '2025-06-24', 'COPIL', 'Quatre fiches sont déclarées prioritaires'],
  ['2025-06-24-copil.docx', '2025-06-24', 'COPIL', 'reste fixée à janvier 2026'],
  ['2025-06-24-copil.docx', '2025-06-24', 'COPIL', 'Chaque pilote transmet la mise à jour'],
  ['2025-06-24-copil.docx', '2025-06-24', 'COPIL', 'Calendrier des instances'],
  ['2025-09-16-cotech.md', '2025-09-16', 'COTECH', 'appel à candidatures est prolongé'],
  ['2025-09-16-cotech.md', '2025-09-16', 'COTECH', 'deux sessions supplémentaires sont ajoutées'],
  ['2025-09-16-cotech.md', '2025-09-16', 'COTECH', 'Le CH de Vaubrun élargit la recherche'],
  ['2025-09-16-cotech.md', '2025-09-16', 'COTECH', 'le COTECH adopte le modèle commun'],
  ['2025-09-16-cotech.md', '2025-09-16', 'COTECH', 'tableau de bord partagé est désormais hébergé'],
  ['2025-09-16-cotech.md', '2025-09-16', 'COTECH', 'chaque pilote prépare une diapositive'],
  ['2025-10-07-gt-crise-urgences.txt', '2025-10-07', 'groupe de travail', 'démarre à titre expérimental'],
  ['2025-10-07-gt-crise-urgences.txt', '2025-10-07', 'groupe de travail', 'rédigé par le Dr Haddad'],
  ['2025-10-07-gt-crise-urgences.txt', '2025-10-07', 'groupe de travail', 'Deux sessions de sensibilisation'],
  ['2025-10-07-gt-crise-urgences.txt', '2025-10-07', 'groupe de travail', 'ajouter à la fiche 11'],
  ['2025-10-07-gt-crise-urgences.txt', '2025-10-07', 'groupe de travail', 'Mme Arnoux (UNAFAM) est associée'],
  ['2025-11-27-pleniere.pdf', '2025-11-27', 'plénière', 'milieu agricole » sera soumise'],
  ['2025-11-27-pleniere.pdf', '2025-11-27', 'plénière', 'collège des usagers au COPIL'],
  ['2025-11-27-pleniere.pdf', '2025-11-27', 'plénière', 'est reporté au jeudi 12 mars 2026'],
  ['2026-02-02-cotech.md', '2026-02-02', 'COTECH', 'est décalée à début 2027'],
  ['2026-02-02-cotech.md', '2026-02-02', 'COTECH', 'mis à jour mensuellement'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'Le bilan 2025 est approuvé'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'adopte à l\'unanimité la répartition'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'devient pilote de la fiche 15'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'reportée de janvier 2026 à septembre 2026'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'Les SISM 2026 auront lieu'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'prolongée jusqu\'au 31 décembre 2026'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'crée un collège des usagers'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'approuve le principe de cette nouvelle fiche'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'sera lancée au S2 2027'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'Diffusion du relevé de décisions'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'Mise à jour des fiches 8, 11, 13 et 15'],
  ['2026-03-12-copil.pdf', '2026-03-12', 'COPIL', 'Modification du règlement intérieur'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'interviendra au CH de Vaubrun'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'Création d\'un réseau des pairs-aidants'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'sessions supplémentaires de formation'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'analyse de pratiques mensuelle'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'Mme Inès Carpentier est proposée'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'relever la cible de l\'indicateur'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'Convention de mise à disposition'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'première rencontre du réseau'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'Choix de la psychologue'],
  ['2026-04-21-gt-pair-aidance.docx', '2026-04-21', 'groupe de travail', 'Note au COPIL'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'Il est décidé de créer une fiche de liaison'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'Mme Nguyen relancera la MDPH avant fin mars'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'est reportée à début 2027'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'Accord pour organiser un premier job dating'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'permanence mensuelle de la MDPH dans les locaux de Tremplin Lironde est acté'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'À faire : rédiger la fiche de liaison'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'Diffuser la fiche de liaison aux trois bailleurs'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'Organiser le job dating de Vaubrun'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'Préparer la première permanence de la MDPH'],
  ['2026-02-10-gt-logement-emploi.md', '2026-02-10', 'groupe de travail', 'prochaine réunion du groupe est reportée au mardi 12 mai 2026'],
];

describe('decisions register on the sample corpus', () => {
  it.each(EXPECTED)('%s (%s, %s): « %s »', (file, date, meeting, words) => {
    const hit = entries.find((e) => e.source.endsWith(file) && e.decision.includes(words));
    expect(hit, `${words} missing from the register`).toBeDefined();
    expect(hit!.date).toBe(date);
    expect(hit!.meeting).toBe(meeting);
  });

  it('reads owners and deadlines of action items, against the meeting date', () => {
    const choice = entries.find((e) => e.decision.startsWith('Choix de la psychologue'))!;
    expect(choice).toMatchObject({ kind: 'action', who: ['Mme Vasseur'], due: '2026-05-15', fiches: [4] });
    const protocol = entries.find((e) => e.decision.includes('rédigé par le Dr Haddad'))!;
    expect(protocol.who).toEqual(['Dr Haddad', 'commandant Arnaud']);
    expect(protocol.due).toBe('2026-03-31');
    const diffusion = entries.find((e) => e.decision.startsWith('Diffusion du relevé'))!;
    expect(diffusion).toMatchObject({ who: ['coordinatrice'], due: '2026-04-10', page: 2 });
    expect(entries.find((e) => e.decision.includes('reportée de janvier 2026'))!.postponed).toBe(true);
  });

  it('keeps meeting announcements and proposals out', () => {
    expect(entries.some((e) => /^Prochaine réunion/.test(e.decision))).toBe(false);
    expect(entries.some((e) => e.decision.startsWith('Désigner Mme Sarah Benhamou'))).toBe(false);
    expect(entries.some((e) => e.decision.includes('compte rendu validé par les participants'))).toBe(false);
    // The title "relevé de décisions du 10 février 2026" opens no section: the participants are no decision.
    expect(entries.some((e) => e.decision.startsWith('Sous-groupe de l\'axe 2') || e.decision.startsWith('Secrétariat'))).toBe(false);
  });

  it('filters by meeting, date and fiche', async () => {
    const copil = JSON.parse((await cli(['decisions', '--meeting', 'copil', '--since', '2026-01', '--json', '--data', 'data'], tmp.dir)).out) as Entry[];
    expect(copil.length).toBeGreaterThan(5);
    expect(copil.every((e) => e.meeting === 'COPIL' && e.date >= '2026-01')).toBe(true);
    const fa8 = JSON.parse((await cli(['decisions', '--fiche', '8', '--json', '--data', 'data'], tmp.dir)).out) as Entry[];
    expect(fa8.every((e) => e.fiches.includes(8))).toBe(true);
    expect(fa8.some((e) => e.decision.includes('psychogériatrie'))).toBe(true);
    expect((await cli(['decisions', '--since', 'mars', '--data', 'data'], tmp.dir)).code).toBe(2);
  });

  it('follows a dated action item with an owner as a milestone', async () => {
    const ms = JSON.parse((await cli(['milestones', '--json', '--data', 'data'], tmp.dir)).out) as Array<{ ficheId: string; label: string; due: string; pilots: Array<{ name: string }> }>;
    const m = ms.find((x) => x.label.startsWith('Choix de la psychologue'));
    expect(m).toBeDefined();
    expect(m!.due).toBe('2026-05-15');
    expect(m!.pilots.map((p) => p.name)).toEqual(['Mme Vasseur']);
    expect(m!.ficheId.startsWith('releve-')).toBe(true);
  });
});

describe('questions about decisions', () => {
  const ask = async (q: string) => JSON.parse((await cli(['ask', q, '--json', '--data', 'data'], tmp.dir)).out) as { answer: string; abstained: boolean; citations: Array<{ source: string; page: number | null; quote: string }> };

  it('answers what a meeting decided, with its date and the minutes quoted', async () => {
    const a = await ask("Qu'a-t-on décidé au COPIL de mars ?");
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain('COPIL du 12 mars 2026');
    expect(a.answer).toContain('reportée de janvier 2026 à septembre 2026');
    expect(a.citations.every((c) => c.source.endsWith('2026-03-12-copil.pdf'))).toBe(true);
    expect(a.citations.some((c) => c.page === 2 && c.quote.includes('psychogériatrie'))).toBe(true);
  });

  it('abstains when the meeting asked about is not reported, naming those that are', async () => {
    const a = await ask("Qu'a-t-on décidé au COPIL de mars 2025 ?");
    expect(a.abstained).toBe(true);
    expect(a.answer).toContain("Je n'ai pas trouvé de relevé du COPIL de mars 2025");
    expect(a.answer).toContain('COPIL du 12 mars 2026');
    const b = await ask('Quelles décisions a prises la plénière de juin 2026 ?');
    expect(b.abstained).toBe(true);
  });

  it('answers who was to relaunch the MDPH, with the deadline read against the meeting date', async () => {
    const a = await ask('Qui devait relancer la MDPH ?');
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain('Mme Nguyen, pour le 31 mars 2026');
    expect(a.answer).toContain('groupe de travail du 10 février 2026');
    expect(a.citations[0]!.source).toMatch(/2026-02-10-gt-logement-emploi\.md$/);
    expect(a.citations[0]!.quote).toContain('relancera la MDPH');
  });

  it('answers who was to act, and on a fiche', async () => {
    const who = await ask('Qui devait rédiger le protocole transports et soins sans consentement ?');
    expect(who.answer).toContain('Dr Haddad');
    expect(who.answer).toContain('31 mars 2026');
    const fiche = await ask('Quand a-t-on validé la fiche 12 ?');
    expect(fiche.answer).toContain('fiche 12');
    expect(fiche.answer).toContain('24 juin 2025');
  });
});

describe('wordings beyond the sample', () => {
  it('names the meeting from the title, the longest wording first', async () => {
    const { meetingOf } = await import('../../src/decisions/extract.js');
    expect(meetingOf('Compte rendu de la commission spécialisée en santé mentale du 3 avril 2026')).toBe('CTS');
    expect(meetingOf('Relevé de décisions — Comité de pilotage du 12/03/2026')).toBe('COPIL');
    expect(meetingOf('CR GT parentalité 5 mai 2026')).toBe('groupe de travail');
    expect(meetingOf('Note de service')).toBeNull();
  });

  const record: DocumentRecord = { id: 'x', source: 'cr/2026-01-20-cotech.md', title: 'Relevé de décisions du COTECH du 20 janvier 2026', kind: 'compte-rendu', hash: '', date: '2026-01-20', pageCount: null, chunkCount: 0, indexedAt: '' };
  const p = (text: string): Block => ({ type: 'paragraph', text, page: null });
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: record.title, page: null },
    { type: 'heading', level: 2, text: 'Échanges', page: null },
    p("Après discussion, il est décidé de créer un annuaire des ressources. La date de l'ouverture est actée."),
    p('Mme Lebrun relancera la MDPH avant fin mars au sujet des délais de traitement.'),
    p('Accord pour financer deux sessions de formation sur la réserve.'),
    p('Le forum santé mentale est reporté à l\'automne.'),
    p('Le docteur Salmon indique que les délais restent longs.'),
    { type: 'heading', level: 2, text: 'À faire', page: null },
    { type: 'list', items: ['Contacter la CPAM (M. Ferrand, fin avril)'], text: 'Contacter la CPAM (M. Ferrand, fin avril)', page: null },
    { type: 'table', text: '', page: null, rows: [['Décision', 'Qui', 'Pour le'], ['Mise à jour de la fiche 6', 'la coordinatrice', '15 février 2026']] },
    { type: 'heading', level: 2, text: 'Point 3 — Budget', page: null },
    { type: 'table', text: '', page: null, rows: [['Sujet', 'Décision'], ['Enveloppe 2026', 'Répartition validée à l\'unanimité']] },
    p('Les membres se prononcent favorablement sur la charte. La décision est prise de reconduire le forum.'),
  ];
  const found = extractDecisions({ record, blocks });
  const get = (w: string) => found.find((e) => e.decision.includes(w));

  it('reads the usual wordings of minutes', () => {
    expect(get('il est décidé')).toBeDefined();
    expect(get('Accord pour financer')).toBeDefined();
    expect(get('reporté à l\'automne')!.postponed).toBe(true);
    expect(get('délais restent longs')).toBeUndefined();
    expect(get('Répartition validée à l\'unanimité')).toMatchObject({ kind: 'décision', section: 'Point 3 — Budget' });
    expect(get('se prononcent favorablement')).toBeDefined();
    expect(get('décision est prise de reconduire')).toBeDefined();
    expect(found.every((e) => e.meeting === 'COTECH' && e.date === '2026-01-20')).toBe(true);
  });

  it('reads owners and deadlines: a future-tense subject, an « à faire » list, a table', () => {
    expect(get('relancera la MDPH')).toMatchObject({ kind: 'action', who: ['Mme Lebrun'], due: '2026-03-31' });
    expect(get('Contacter la CPAM')).toMatchObject({ kind: 'action', who: ['M. Ferrand'], due: '2026-04-30' });
    expect(get('Mise à jour de la fiche 6')).toMatchObject({ kind: 'action', who: ['la coordinatrice'], due: '2026-02-15', fiches: [6] });
  });
});

describe('an action item reaches its owner like a fiche milestone', () => {
  it('is nudged at J-1 to the pilot the directory links it to', async () => {
    const { openDatabase } = await import('../../src/storage/sqlite.js');
    const { readSnapshot } = await import('../../src/search/snapshot.js');
    const { syncDecisions, trackedFiches } = await import('../../src/decisions/index.js');
    const { DEFAULT_PLAN, createDirectory, planDeliveries, syncMilestones } = await import('../../src/milestones/index.js');
    const db = openDatabase(':memory:');
    try {
      // The minutes are indexed on 1 May 2026: reminders start from then, as for a fiche synced that day.
      const now = '2026-05-01T08:00:00Z';
      syncDecisions(db, readSnapshot(path.join(tmp.dir, 'data')), now);
      syncMilestones(db, trackedFiches(db, now), now);
      const directory = createDirectory([{ name: 'Céline Vasseur', aliases: [], organisation: 'EPSM de la Lironde', slack: 'U0VASSEUR', source: 'annuaire' }], db);
      const plan = planDeliveries({ db, directory, plan: DEFAULT_PLAN }, new Date('2026-05-14T08:00:00Z'), { ignoreHours: true });
      const nudge = plan.deliveries.find((d) => d.milestone.startsWith('Choix de la psychologue'));
      expect(nudge).toBeDefined();
      expect(nudge!.kind).toBe('J-1');
      expect(nudge!.recipient.slack).toBe('U0VASSEUR');
    } finally {
      db.close();
    }
  });
});
