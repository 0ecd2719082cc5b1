import path from 'node:path';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPtsmError } from '../../src/core/errors.js';
import type { SqliteDb } from '../../src/storage/sqlite.js';
import { buildDigest } from '../../src/milestones/digest.js';
import { createDirectory, learnIdentity, loadDirectory, loadDirectoryFile } from '../../src/milestones/directory.js';
import { tick } from '../../src/milestones/scheduler.js';
import { syncMilestones } from '../../src/milestones/store.js';
import { ANNUAIRE, deps, directory, fiche, ManualClock, ms, pilot, RecordingNotifier, tempDb } from './support.js';

function errorOf(fn: () => unknown): Error & { code?: string; input?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('pilot directory file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDb()));
  afterEach(() => cleanup());

  const write = (content: string): string => {
    const f = path.join(dir, 'annuaire.json');
    fs.writeFileSync(f, content);
    return f;
  };

  it('loads a valid annuaire.json', () => {
    write(JSON.stringify([{ name: 'Dr Paul Martin', aliases: ['P. Martin', 'paul.martin@ch-vaubrun.fr'], organisation: 'CH de Vaubrun', slack: 'U0123' }]));
    const d = loadDirectory(dir);
    expect(d.entries()).toHaveLength(1);
    expect(d.resolvePilot(pilot('P. Martin'))).toMatchObject({ status: 'linked', recipient: { slack: 'U0123', name: 'Dr Paul Martin' } });
  });

  it('treats a missing file as an empty directory', () => {
    expect(loadDirectoryFile(path.join(dir, 'absent.json'))).toEqual([]);
  });

  it('names the file when the JSON is broken', () => {
    const f = write('[{ "name": "Dr Paul Martin", }');
    const e = errorOf(() => loadDirectoryFile(f));
    expect(isPtsmError(e) && e.code).toBe('INPUT_CORRUPT');
    expect(e.message).toContain(f);
    expect(e.message).toContain("ce n'est pas du JSON valide");
    expect((e as { input?: string }).input).toBe(f);
  });

  it('names the file and the entry when an entry is invalid', () => {
    const f = write(JSON.stringify([{ name: 'Dr Paul Martin', email: 'paul.martin@ch-vaubrun.fr' }, { name: 'Mme Claire Dupont', email: 'claire.dupont-at-mdph' }]));
    const e = errorOf(() => loadDirectoryFile(f));
    expect(e.message).toContain(f);
    expect(e.message).toContain('entrée n° 2 (« Mme Claire Dupont »)');
    expect(e.message).toContain('adresse e-mail invalide');
  });

  it('explains a missing name, a non-list file and a duplicated address', () => {
    expect(errorOf(() => loadDirectoryFile(write(JSON.stringify([{ email: 'a@b.fr' }])))).message).toMatch(/entrée n° 1 — nom \(name\)/);
    expect(errorOf(() => loadDirectoryFile(write(JSON.stringify({ name: 'x' })))).message).toContain('doit contenir une liste');
    const dup = errorOf(() => loadDirectoryFile(write(JSON.stringify([{ name: 'A B', email: 'x@y.fr' }, { name: 'C D', email: 'X@y.fr' }]))));
    expect(dup.message).toContain("l'adresse x@y.fr est aussi celle de « A B »");
  });
});

describe('pilot resolution', () => {
  const d = createDirectory(ANNUAIRE);

  it('matches by e-mail first (fiche e-mail or an e-mail alias)', () => {
    expect(d.resolvePilot(pilot('Quelqu’un', { email: 'Helene.Dupont@unafam.example' }))).toMatchObject({ status: 'linked', via: 'email', recipient: { name: 'Hélène Dupont' } });
    expect(d.resolvePilot(pilot('paul.martin@ch-vaubrun.fr'))).toMatchObject({ status: 'linked', via: 'email', recipient: { slack: 'U0001' } });
  });

  it('matches a name written with a title, in capitals, surname first, without accents', () => {
    for (const name of ['Mme Hélène Dupont', 'DUPONT Hélène', 'Madame Helene DUPONT', 'Dr. Paul MARTIN (CH de Vaubrun)']) {
      const r = d.resolvePilot(pilot(name));
      expect(r.status, name).toBe('linked');
    }
    expect(d.resolvePilot(pilot('Pr Paul Martin'))).toMatchObject({ via: 'nom', recipient: { name: 'Dr Paul Martin' } });
  });

  it('matches initials and a titled surname when unambiguous', () => {
    expect(d.resolvePilot(pilot('P. Martin'))).toMatchObject({ status: 'linked', via: 'initiales', recipient: { name: 'Dr Paul Martin' } });
    expect(d.resolvePilot(pilot('Mme Leroy'))).toMatchObject({ status: 'linked', recipient: { name: 'Sophie Leroy' } });
    expect(d.resolvePilot(pilot('K. Benali'))).toMatchObject({ status: 'linked', recipient: { teams: '29:karim' } });
    // A bare word is not trusted as a surname.
    expect(d.resolvePilot(pilot('Martin')).status).toBe('unlinked');
  });

  it('returns unknown, ambiguous and unreachable pilots as unlinked', () => {
    expect(d.resolvePilot(pilot('Dr Jeanne Morel'))).toMatchObject({ status: 'unlinked', reason: 'inconnu' });
    const twoMartins = createDirectory([...ANNUAIRE, { name: 'Pierre Martin', aliases: [], organisation: null, email: 'p.martin@ars.example', source: 'annuaire' }]);
    expect(twoMartins.resolvePilot(pilot('P. Martin'))).toMatchObject({ status: 'unlinked', reason: 'ambigu', candidates: ['Dr Paul Martin', 'Pierre Martin'] });
    const noContact = createDirectory([{ name: 'Luc Girard', aliases: [], organisation: null, source: 'annuaire' }]);
    expect(noContact.resolvePilot(pilot('M. Luc Girard'))).toMatchObject({ status: 'unlinked', reason: 'sans coordonnées' });
  });

  it('uses the chat ids or e-mail written in the fiche when the directory does not know the person', () => {
    expect(d.resolvePilot(pilot('Nadia Haddad', { chatIds: { slack: 'U0777' } }))).toMatchObject({ status: 'linked', via: 'fiche', recipient: { slack: 'U0777' } });
    expect(d.resolvePilot(pilot('Nadia Haddad', { email: 'nadia@gem.example' }))).toMatchObject({ status: 'linked', via: 'fiche', recipient: { email: 'nadia@gem.example' } });
  });
});

describe('learned identities and unlinked pilots', () => {
  let db: SqliteDb;
  let cleanup: () => void;
  beforeEach(() => ({ db, cleanup } = tempDb()));
  afterEach(() => cleanup());

  it('links a pilot once the person has talked to the bot', () => {
    const dir = directory(db);
    expect(dir.resolvePilot(pilot('Dr Jeanne Morel')).status).toBe('unlinked');
    learnIdentity(db, { name: 'Jeanne Morel', slack: 'U0900' }, '2026-03-01T10:00:00Z');
    dir.refresh();
    expect(dir.resolvePilot(pilot('Dr Jeanne Morel'))).toMatchObject({ status: 'linked', recipient: { slack: 'U0900' } });
    // Same Slack id seen again with an e-mail: one identity, enriched.
    learnIdentity(db, { name: 'Jeanne Morel', slack: 'U0900', email: 'j.morel@cmp.example' }, '2026-03-02T10:00:00Z');
    dir.refresh();
    expect(dir.entries().filter((e) => e.name === 'Jeanne Morel')).toHaveLength(1);
    expect(dir.resolvePilot(pilot('X', { email: 'j.morel@cmp.example' })).status).toBe('linked');
  });

  it('merges a learned Teams conversation reference into the annuaire entry', () => {
    learnIdentity(db, { name: 'Karim Benali', teams: '29:karim', teamsConversationRef: { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example' } });
    const r = directory(db).resolvePilot(pilot('K. Benali'));
    expect(r).toMatchObject({ status: 'linked', recipient: { name: 'Karim Benali', teamsConversationRef: { conversation: { id: 'a:1' } } } });
    expect(directory(db).entries()).toHaveLength(ANNUAIRE.length);
  });

  it('does not send to unlinked pilots and tells the coordinator once per milestone', async () => {
    const f = fiche('fa-3', 3, [ms('Lancement', '2026-06-30'), ms('Bilan', '2026-07-31')], [pilot('Dr Paul Martin'), pilot('Dr Jeanne Morel')]);
    const orphan = fiche('fa-9', 9, [ms('Étude', '2026-06-30')], []);
    syncMilestones(db, [f, orphan], '2026-05-01T08:00:00Z');
    const clock = new ManualClock(new Date('2026-06-16T08:00:00Z'));
    const notifier = new RecordingNotifier(clock.now);
    for (const t of ['2026-06-16T08:00:00Z', '2026-06-16T09:00:00Z', '2026-06-23T08:00:00Z', '2026-07-17T08:00:00Z']) {
      clock.set(t);
      await tick(deps(db, notifier, clock.now));
    }
    expect(new Set(notifier.nudges.map((n) => n.recipient))).toEqual(new Set(['martin paul'])); // 'Dr' stripped
    const unlinked = notifier.alerts.filter((a) => a.kind === 'pilote-non-relié');
    expect(unlinked.map((a) => a.milestoneId).sort()).toEqual(['fa-3#bilan', 'fa-3#lancement']);
    expect(unlinked[0]!.text).toContain('« Dr Jeanne Morel »');
    expect(unlinked[0]!.text).toContain('annuaire.json');
    expect(notifier.alerts.filter((a) => a.kind === 'sans-pilote').map((a) => a.milestoneId)).toEqual(['fa-9#etude']);
    const digest = buildDigest(db, { now: '2026-06-16T08:00:00Z', directory: directory(db) });
    expect(digest.unlinkedPilots.map((u) => [u.pilot, u.reason, u.milestones.length])).toEqual([
      ['Dr Jeanne Morel', 'inconnu', 2],
      [null, 'aucun pilote', 1],
    ]);
  });
});
