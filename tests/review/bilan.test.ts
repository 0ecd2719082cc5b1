import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { recordAnswer } from '../../src/milestones/index.js';
import { openDatabase } from '../../src/storage/sqlite.js';
import { tempDir } from '../helpers/files.js';

const CORPUS = path.resolve(__dirname, '../../corpus');

async function cli(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(args, { cwd, env: {}, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

interface Fiche { id: string; number: number; title: string; axis: string | null; status: string; pilots: Array<{ name: string }>; indicators: Array<{ label: string }> }
interface Milestone { id: string; ficheId: string; ficheNumber: number | null; label: string; due: string | null; ficheDue: string | null; status: string }
interface Bilan {
  year: number;
  fiches: Array<{ ficheId: string; number: number; title: string; axis: string | null; status: string; pilots: string[]; milestones: Array<{ id: string; label: string; due: string | null; status: string }>; indicators: Array<{ label: string; values: Array<{ value: string; source: string }> }>; decisions: Array<{ id: string }> }>;
  axes: Array<{ axis: string; fiches: number }>;
  missing: { withoutPilot: unknown[]; withoutIndicatorValue: Array<{ number: number }>; overdueWithoutAnswer: unknown[] };
}

let tmp: { dir: string; cleanup: () => void };
let bilan: Bilan;
let fiches: Fiche[];
let milestones: Milestone[];

beforeAll(async () => {
  tmp = tempDir();
  expect((await cli(['index', CORPUS, '--data', 'data'], tmp.dir)).code).toBe(0);
  bilan = JSON.parse((await cli(['bilan', '2026', '--json', '--data', 'data'], tmp.dir)).out) as Bilan;
  fiches = JSON.parse((await cli(['fiches', '--json', '--data', 'data'], tmp.dir)).out) as Fiche[];
  milestones = JSON.parse((await cli(['milestones', '--json', '--data', 'data'], tmp.dir)).out) as Milestone[];
}, 120_000);
afterAll(() => tmp.cleanup());

describe('ptsm bilan 2026 on the sample corpus', () => {
  it('has one row per fiche of the registry, field by field', () => {
    expect(bilan.year).toBe(2026);
    expect(bilan.fiches.map((f) => f.ficheId)).toEqual(fiches.map((f) => f.id));
    for (const f of fiches) {
      const row = bilan.fiches.find((r) => r.ficheId === f.id)!;
      expect(row.number).toBe(f.number);
      expect(row.title).toBe(f.title);
      expect(row.axis).toBe(f.axis);
      expect(row.status).toBe(f.status);
      expect(row.pilots).toEqual(f.pilots.map((p) => p.name));
      expect(row.indicators.map((i) => i.label)).toEqual(f.indicators.map((i) => i.label));
    }
  });

  it('lists the milestones of the year with the store\'s statuses', () => {
    for (const row of bilan.fiches) {
      const expected = milestones.filter((m) => (m.ficheId === row.ficheId || (m.ficheId.startsWith('releve-') && m.ficheNumber === row.number))
        && ((m.due ?? '').startsWith('2026') || (m.ficheDue ?? '').startsWith('2026')));
      expect(row.milestones.map((m) => m.id).sort()).toEqual(expected.map((m) => m.id).sort());
      for (const m of row.milestones) expect(m.status).toBe(expected.find((e) => e.id === m.id)!.status);
    }
    const fa4 = bilan.fiches.find((f) => f.number === 4)!;
    expect(fa4.milestones.some((m) => m.label.startsWith('Choix de la psychologue'))).toBe(true);
  });

  it('finds indicator values in the year\'s minutes, and the year\'s decisions', () => {
    const fa3 = bilan.fiches.find((f) => f.number === 3)!;
    const tele = fa3.indicators.find((i) => i.label.startsWith('Nombre de téléconsultations'))!;
    expect(tele.values.map((v) => v.value)).toContain('87 téléconsultations');
    expect(tele.values[0]!.source).toMatch(/2026-02-02-cotech\.md$/);
    // « La cible de 25 événements par an est maintenue » (COPIL of March 2026) is a target, not a value.
    const sism = bilan.fiches.find((f) => f.number === 13)!.indicators.find((i) => i.label.startsWith("Nombre d'événements SISM"))!;
    expect(sism.values.map((v) => v.value)).not.toContain('25 événements');
    const fa8 = bilan.fiches.find((f) => f.number === 8)!;
    expect(fa8.decisions.some((d) => d.id.startsWith('2026-03-12-copil'))).toBe(true);
    expect(bilan.missing.withoutIndicatorValue.map((f) => f.number)).toContain(5);
    expect(bilan.axes.reduce((n, a) => n + a.fiches, 0)).toBe(fiches.length);
  });

  it('writes a DOCX report that opens', async () => {
    const r = await cli(['bilan', '2026', '--out', 'bilan.docx', '--data', 'data'], tmp.dir);
    expect(r.code).toBe(0);
    const { value } = await mammoth.extractRawText({ buffer: fs.readFileSync(path.join(tmp.dir, 'bilan.docx')) });
    expect(value).toContain('Bilan annuel 2026 du projet territorial de santé mentale');
    expect(value).toContain('Synthèse par axe');
    expect(value).toContain("Points d'attention");
    for (const f of fiches) expect(value).toContain(f.title);
  });

  it('writes a CSV for French Excel and an XLSX workbook', async () => {
    expect((await cli(['bilan', '2026', '--out', 'bilan.csv', '--data', 'data'], tmp.dir)).code).toBe(0);
    const csv = fs.readFileSync(path.join(tmp.dir, 'bilan.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]!.split(';')[1]).toBe('Fiche action');
    expect(text).toContain(fiches[0]!.title);
    expect((await cli(['bilan', '2026', '--out', 'bilan.xlsx', '--data', 'data'], tmp.dir)).code).toBe(0);
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(tmp.dir, 'bilan.xlsx')));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet).toContain('Logement d&apos;abord'.replace('&apos;', "'"));
    expect(Object.keys(zip.files)).toContain('xl/workbook.xml');
  });

  it('reports the pilots\' answers to nudges, with their reasons, and leaves answered milestones out of what is missing', async () => {
    const db = openDatabase(path.join(tmp.dir, 'data', 'ptsm.sqlite'));
    const opening = milestones.find((m) => m.ficheNumber === 8 && m.label === "Ouverture de l'équipe mobile")!;
    try {
      recordAnswer(db, opening.id, { kind: 'reporter', newDue: '2026-09-30', by: 'Dr Martine Aubertin', at: '2026-02-01T09:00:00Z', comment: 'psychiatre recrutée, prise de fonctions le 1er septembre' });
    } finally {
      db.close();
    }
    const after = JSON.parse((await cli(['bilan', '2026', '--json', '--now', '2026-06-01T09:00:00Z', '--data', 'data'], tmp.dir)).out) as {
      fiches: Array<{ number: number; milestones: Array<{ id: string; status: string; postponed: boolean; due: string; ficheDue: string; answers: Array<{ by: string; event: string; detail: string }> }> }>;
      missing: { overdueWithoutAnswer: Array<{ milestone: string }> };
    };
    const m = after.fiches.find((f) => f.number === 8)!.milestones.find((x) => x.id === opening.id)!;
    expect(m).toMatchObject({ status: 'reporté', postponed: true, due: '2026-09-30', ficheDue: '2026-01-31' });
    expect(m.answers).toEqual([{ at: '2026-02-01T09:00:00Z', by: 'Dr Martine Aubertin', event: 'reporté', detail: 'au 2026-09-30 — psychiatre recrutée, prise de fonctions le 1er septembre' }]);
    expect(after.missing.overdueWithoutAnswer.map((x) => x.milestone)).not.toContain("Ouverture de l'équipe mobile");
  });

  it('refuses a bad year or format with a French usage error', async () => {
    const y = await cli(['bilan', 'deux-mille', '--data', 'data'], tmp.dir);
    expect(y.code).toBe(2);
    expect(y.err).toContain("l'année du bilan");
    expect((await cli(['bilan', '2026', '--out', 'bilan.pdf', '--data', 'data'], tmp.dir)).code).toBe(2);
  });
});
