import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, write } from '../helpers/files.js';
import { MINI_PTSM } from '../helpers/kb.js';
import { TERRITORY_A, TERRITORY_B, cli, indexTwoTerritories, type SampleTerritory } from '../helpers/territories.js';

let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  tmp = tempDir();
  await indexTwoTerritories(tmp.dir);
});
afterAll(() => tmp.cleanup());

const pairs: Array<[SampleTerritory, SampleTerritory]> = [[TERRITORY_A, TERRITORY_B], [TERRITORY_B, TERRITORY_A]];

/** Nothing of `other` in this output: neither its files, nor its pilot, nor its titles. */
function expectNothingOf(other: SampleTerritory, text: string): void {
  expect(text).not.toContain(other.folder);
  expect(text).not.toContain(other.pilot);
  expect(text).not.toContain(other.fiche);
  expect(text).not.toContain(other.copil);
  expect(text).not.toContain(other.milestone);
}

describe('territories on the command line', () => {
  it('stores each territory in its own data directory, and lists them', async () => {
    for (const t of [TERRITORY_A, TERRITORY_B]) {
      expect(fs.existsSync(path.join(tmp.dir, 'data', 'territories', t.id, 'ptsm.sqlite'))).toBe(true);
      expect(fs.existsSync(path.join(tmp.dir, 'data', 'territories', t.id, 'kb', 'CURRENT'))).toBe(true);
    }
    expect(fs.existsSync(path.join(tmp.dir, 'data', 'ptsm.sqlite'))).toBe(false);
    const res = await cli(['territories', '--json', '--data', 'data'], tmp.dir);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toEqual([
      { id: '79', name: null, documents: 3, fiches: 1 },
      { id: '86', name: null, documents: 3, fiches: 1 },
    ]);
    write(tmp.dir, 'data/territories.json', JSON.stringify({ territories: { '79': { name: 'Deux-Sèvres' } } }));
    try {
      const named = await cli(['territories', '--data', 'data'], tmp.dir);
      expect(named.out).toMatch(/^79\s+Deux-Sèvres\s+3 documents\s+1 fiches$/m);
      expect(named.out).toMatch(/^86\s+3 documents\s+1 fiches$/m);
    } finally {
      fs.rmSync(path.join(tmp.dir, 'data/territories.json'));
    }
  });

  it('refuses to guess between several territories, and names them', async () => {
    const res = await cli(['search', 'pair-aidance', '--data', 'data'], tmp.dir);
    expect(res.code).toBe(2);
    expect(res.err).toContain(`Plusieurs territoires dans ${path.join(tmp.dir, 'data')} : 79, 86. Précisez --territory.`);
    const unknown = await cli(['fiches', '--data', 'data', '--territory', '17'], tmp.dir);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Territoire inconnu : « 17 ». Territoires dans');
    const bad = await cli(['fiches', '--data', 'data', '--territory', '../86'], tmp.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Identifiant de territoire invalide : « ../86 »');
    const badEnv = await cli(['fiches', '--data', 'data'], tmp.dir, { PTSM_TERRITORY: 'trop long pour un identifiant' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toContain('PTSM_TERRITORY');
    // A command that reads no data does not care.
    expect((await cli(['when', 'T2 2026', '--data', 'data'], tmp.dir)).code).toBe(0);
  });

  it('PTSM_TERRITORY chooses the territory; --territory wins over it', async () => {
    const env = await cli(['fiches', '--json', '--data', 'data'], tmp.dir, { PTSM_TERRITORY: '86' });
    expect(env.code).toBe(0);
    expect(env.out).toContain(TERRITORY_B.pilot);
    const flag = await cli(['fiches', '--json', '--data', 'data', '--territory', '79'], tmp.dir, { PTSM_TERRITORY: '86' });
    expect(flag.out).toContain(TERRITORY_A.pilot);
    expectNothingOf(TERRITORY_B, flag.out);
  });

  for (const [t, other] of pairs) {
    const at = ['--data', 'data', '--territory', t.id];

    it(`search and ask in ${t.id} never reach ${other.id}`, async () => {
      for (const q of ['pair-aidance médiateur de santé pair', `${other.marker} usagers du GEM`, other.pilot, 'COPIL valide']) {
        const res = await cli(['search', q, '--json', '--k', '10', ...at], tmp.dir);
        expect(res.code).toBe(0);
        const hits = JSON.parse(res.out) as Array<{ source: string; title: string; text: string }>;
        for (const h of hits) expect(h.source.startsWith(`${t.folder}/`)).toBe(true);
        expectNothingOf(other, res.out);
      }
      const own = JSON.parse((await cli(['search', 'pair-aidance', '--json', ...at], tmp.dir)).out) as Array<{ title: string }>;
      expect(own.map((h) => h.title)).toContain(`Fiche action n° 4 — ${t.fiche}`);

      const ask = await cli(['ask', 'Qui pilote la fiche pair-aidance ?', '--json', ...at], tmp.dir);
      const a = JSON.parse(ask.out) as { answer: string; abstained: boolean; citations: Array<{ source: string }> };
      expect(a.abstained).toBe(false);
      expect(a.answer).toContain(t.pilot);
      expect(a.citations.length).toBeGreaterThan(0);
      for (const c of a.citations) expect(c.source.startsWith(`${t.folder}/`)).toBe(true);
      expectNothingOf(other, ask.out);

      const foreign = await cli(['ask', `Qui pilote la fiche ${other.fiche} ?`, '--json', ...at], tmp.dir);
      expectNothingOf(other, foreign.out.replace(other.fiche, ''));
      const decided = await cli(['ask', 'Qu’a décidé le COPIL de mars 2026 ?', '--json', ...at], tmp.dir);
      expect(decided.out).toContain(t.decision);
      expect(decided.out).not.toContain(other.decision);
    });

    it(`fiches, milestones, decisions, reminders and stats of ${t.id} hold nothing of ${other.id}`, async () => {
      const fiches = await cli(['fiches', '--json', ...at], tmp.dir);
      expect(fiches.out).toContain(t.pilot);
      expectNothingOf(other, fiches.out);
      const fiche = await cli(['fiche', '4', '--json', ...at], tmp.dir);
      expect(fiche.out).toContain(t.fiche);
      expectNothingOf(other, fiche.out);

      const ics = path.join(tmp.dir, `jalons-${t.id}.ics`);
      const ms = await cli(['milestones', '--json', '--ics', ics, ...at], tmp.dir);
      expect(ms.out).toContain(t.milestone);
      expectNothingOf(other, ms.out);
      const cal = fs.readFileSync(ics, 'utf8');
      expect(cal).toContain('pairs-aidants');
      expectNothingOf(other, cal.replace(/\r\n /g, ''));

      const decisions = await cli(['decisions', '--json', ...at], tmp.dir);
      const list = JSON.parse(decisions.out) as Array<{ decision: string; source: string }>;
      expect(list.some((d) => d.decision.includes(t.decision))).toBe(true);
      for (const d of list) expect(d.source.startsWith(`${t.folder}/`)).toBe(true);
      expect(decisions.out).not.toContain(other.decision);

      const reminders = await cli(['reminders', '--dry-run', '--json', '--now', '2030-12-17T09:00:00Z', ...at], tmp.dir);
      expect(reminders.code).toBe(0);
      expect(reminders.out).toContain(t.milestone);
      expectNothingOf(other, reminders.out);

      const stats = JSON.parse((await cli(['stats', '--json', ...at], tmp.dir)).out) as { files: Array<{ source: string }> };
      expect(stats.files.length).toBe(3);
      for (const f of stats.files) expect(f.source.startsWith(`${t.folder}/`)).toBe(true);
    });

    it(`the yearly review of ${t.id} (JSON, CSV) lists only its own fiches`, async () => {
      const json = await cli(['bilan', '2026', '--json', '--now', '2026-12-15T09:00:00Z', ...at], tmp.dir);
      expect(json.code).toBe(0);
      const b = JSON.parse(json.out) as { fiches: Array<{ title: string; pilots: string[] }> };
      expect(b.fiches.map((f) => f.title)).toEqual([t.fiche]);
      expectNothingOf(other, json.out);
      const csv = path.join(tmp.dir, `bilan-${t.id}.csv`);
      expect((await cli(['bilan', '2026', '--out', csv, '--now', '2026-12-15T09:00:00Z', ...at], tmp.dir)).code).toBe(0);
      const text = fs.readFileSync(csv, 'utf8');
      expect(text).toContain(t.fiche);
      expectNothingOf(other, text);
    });
  }
});

describe('territory resolution', () => {
  it('a data directory without territories is used as it is (single PTSM)', async () => {
    const t = tempDir();
    try {
      for (const [rel, content] of Object.entries(MINI_PTSM)) write(t.dir, rel, content);
      expect((await cli(['index', 'docs', '--data', 'data'], t.dir)).code).toBe(0);
      expect(fs.existsSync(path.join(t.dir, 'data', 'ptsm.sqlite'))).toBe(true);
      expect(fs.existsSync(path.join(t.dir, 'data', 'territories'))).toBe(false);
      expect((await cli(['fiches', '--json', '--data', 'data'], t.dir)).out).toContain('Inès Caradec');
      expect(JSON.parse((await cli(['territories', '--json', '--data', 'data'], t.dir)).out)).toEqual([]);
      // Asking for a territory that is not there is an error, not the single PTSM.
      const res = await cli(['fiches', '--data', 'data', '--territory', '79'], t.dir);
      expect(res.code).toBe(2);
      expect(res.err).toContain('Territoire inconnu : « 79 » (aucun territoire');
    } finally {
      t.cleanup();
    }
  });

  it('with one territory, it is the default', async () => {
    const t = tempDir();
    try {
      for (const [rel, content] of Object.entries(MINI_PTSM)) write(t.dir, rel, content);
      expect((await cli(['index', 'docs', '--data', 'data', '--territory', '2A'], t.dir)).code).toBe(0);
      expect(fs.existsSync(path.join(t.dir, 'data', 'territories', '2A', 'ptsm.sqlite'))).toBe(true);
      const res = await cli(['fiches', '--json', '--data', 'data'], t.dir);
      expect(res.code).toBe(0);
      expect(res.out).toContain('Inès Caradec');
      const bad = await cli(['index', 'docs', '--data', 'data', '--territory', 'ght sud'], t.dir);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('« ght sud »');
      expect(fs.readdirSync(path.join(t.dir, 'data', 'territories'))).toEqual(['2A']);
    } finally {
      t.cleanup();
    }
  });
});
