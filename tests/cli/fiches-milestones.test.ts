import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import { main } from '../../src/cli/main.js';
import { MINI_PTSM } from '../helpers/kb.js';
import { tempDir, write } from '../helpers/files.js';

async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(args, { cwd, env: {}, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  tmp = tempDir();
  for (const [rel, content] of Object.entries(MINI_PTSM)) write(tmp.dir, rel, content);
  write(tmp.dir, 'fil.txt', [
    'Inès Caradec : Je propose une fiche sur les groupes de parole pour les aidants.',
    "Paul Morel : L'objectif serait de rompre l'isolement des familles.",
    'Inès Caradec : Je veux bien piloter, avec la délégation UNAFAM comme partenaire.',
    'Paul Morel : Premier groupe lancé au T2 2026, bilan fin 2027.',
  ].join('\n'));
  write(tmp.dir, 'casse.json', '{ "messages": [ ');
  expect((await cli(['index', 'docs', '--data', 'data'], tmp.dir)).code).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('fiches and milestones from the CLI', () => {
  it('lists the registry parsed at indexing and shows one fiche', async () => {
    const list = await cli(['fiches', '--json', '--data', 'data'], tmp.dir);
    const fiches = JSON.parse(list.out) as Array<{ number: number; title: string; pilots: Array<{ name: string }> }>;
    expect(fiches.map((f) => f.number).sort()).toEqual([4, 7]);
    const one = await cli(['fiche', '4', '--json', '--data', 'data'], tmp.dir);
    const fiche = JSON.parse(one.out) as { pilots: Array<{ name: string; organisation: string }>; partners: string[]; milestones: Array<{ dueText: string; due: string }> };
    expect(fiche.pilots[0]!.name).toContain('Inès Caradec');
    expect(fiche.partners).toContain('Délégation UNAFAM');
    expect(fiche.milestones).toEqual(expect.arrayContaining([expect.objectContaining({ dueText: expect.stringContaining('T2 2026'), due: '2026-06-30' })]));
    expect(await cli(['fiche', '99', '--data', 'data'], tmp.dir)).toMatchObject({ code: 1, err: expect.stringContaining('Fiche introuvable') });
  });

  it('answers "qui pilote" from the registry with a citation of the fiche', async () => {
    const res = await cli(['ask', 'Qui pilote la fiche pair-aidance ?', '--json', '--data', 'data'], tmp.dir);
    const a = JSON.parse(res.out) as { answer: string; abstained: boolean; citations: Array<{ source: string }> };
    expect(a.abstained).toBe(false);
    expect(a.answer).toContain('Inès Caradec');
    expect(a.citations[0]!.source).toBe('docs/fiches/fa04-pair-aidance.md');
    const none = JSON.parse((await cli(['ask', 'Qui pilote la fiche sur les addictions ?', '--json', '--data', 'data'], tmp.dir)).out) as { abstained: boolean };
    expect(none.abstained).toBe(true);
  });

  it('drafts a fiche from a plain-text thread, with provenance, and exports DOCX', async () => {
    const res = await cli(['draft', 'fil.txt', '--json', '--out', 'brouillon.docx', '--ref', '2026-01-10'], tmp.dir);
    expect(res.code).toBe(0);
    const draft = JSON.parse(res.out) as { fiche: { pilots: Array<{ name: string }>; milestones: Array<{ due: string }> }; missing: string[]; provenance: Record<string, string[]> };
    expect(draft.fiche.pilots.map((p) => p.name).join()).toContain('Inès Caradec');
    expect(draft.fiche.milestones.map((m) => m.due)).toEqual(expect.arrayContaining(['2026-06-30', '2027-12-31']));
    expect(draft.provenance['pilots']).toEqual(['m3']);
    expect(draft.missing).toContain('funding');
    const text = (await mammoth.extractRawText({ path: path.join(tmp.dir, 'brouillon.docx') })).value;
    expect(text).toContain('Inès Caradec');
    expect(await cli(['draft', 'casse.json'], tmp.dir)).toMatchObject({ code: 1, err: expect.stringContaining('casse.json') });
    expect(await cli(['draft', 'absent.json'], tmp.dir)).toMatchObject({ code: 1, err: expect.stringContaining('absent.json') });
  });

  it('parses French deadlines with `when`', async () => {
    const res = await cli(['when', 'second semestre 2024', '--json'], tmp.dir);
    expect(JSON.parse(res.out)).toMatchObject({ text: 'second semestre 2024', start: '2024-07-01', end: '2024-12-31', precision: 'semester' });
    const bad = JSON.parse((await cli(['when', '31 février 2025', '--json'], tmp.dir)).out) as { start: null; precision: string; flagged: boolean };
    expect(bad).toMatchObject({ start: null, end: null, precision: 'unresolved', flagged: true });
  });

  it('lists milestones, exports ICS, and lists reminders due with the stable JSON shape', async () => {
    const ms = JSON.parse((await cli(['milestones', '--json', '--ics', 'jalons.ics', '--data', 'data'], tmp.dir)).out) as Array<{ ficheId: string; due: string }>;
    expect(ms.length).toBeGreaterThanOrEqual(3);
    const ics = fs.readFileSync(path.join(tmp.dir, 'jalons.ics'), 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)!.length).toBe(ms.filter((m) => m.due).length);
    // The pilot is linked to a Slack id by the coordinator's directory.
    write(tmp.dir, 'data/annuaire.json', JSON.stringify([{ name: 'Inès Caradec', organisation: 'GEM La Boussole', slack: 'U0INES' }]));
    // "Premier bilan : fin 2027" (31 Dec 2027) gets its J-14 nudge on Friday 17 December 2027.
    const res = await cli(['reminders', '--now', '2027-12-17T10:00:00+01:00', '--dry-run', '--json', '--data', 'data'], tmp.dir);
    const list = JSON.parse(res.out) as Array<Record<string, string>>;
    expect(list).toEqual(expect.arrayContaining([
      expect.objectContaining({ ficheId: 'fa-4', due: '2027-12-31', kind: 'J-14', pilot: expect.stringContaining('Caradec') }),
      // "Recrutement : T2 2026" is long overdue: its weekly overdue nudge is due too.
      expect.objectContaining({ ficheId: 'fa-4', due: '2026-06-30', kind: 'overdue' }),
    ]));
    expect(list).toHaveLength(2);
    expect(Object.keys(list[0]!).sort()).toEqual(['due', 'ficheId', 'key', 'kind', 'milestone', 'pilot']);
    // Sending writes to the CLI's outbox, once: a second run sends nothing new.
    await cli(['reminders', '--now', '2027-12-17T10:00:00+01:00', '--data', 'data'], tmp.dir);
    await cli(['reminders', '--now', '2027-12-17T10:30:00+01:00', '--data', 'data'], tmp.dir);
    const sent = fs.readFileSync(path.join(tmp.dir, 'data', 'relances.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; nudge?: { key: string } });
    expect(sent.filter((r) => r.type === 'nudge').map((r) => r.nudge!.key).sort()).toEqual(list.map((r) => r['key']).sort());
    expect(await cli(['reminders', '--now', 'hier', '--data', 'data'], tmp.dir)).toMatchObject({ code: 2, err: expect.stringContaining('--now attend une date ISO') });
  });
});
