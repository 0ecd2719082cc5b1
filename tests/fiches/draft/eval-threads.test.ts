import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FicheDraft } from '../../../src/core/fiche.js';
import { draftFicheOffline } from '../../../src/fiches/draft/index.js';
import { loadEvalThread, runDraftEval, scoreDraft } from '../../../eval/draft-score.js';

const DIR = join(import.meta.dirname, '../../../eval/threads');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('eval threads', () => {
  it('there are at least 10, of 8–40 messages, each with expectations', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const data = loadEvalThread(join(DIR, f));
      expect(data.thread.messages.length, f).toBeGreaterThanOrEqual(8);
      expect(data.thread.messages.length, f).toBeLessThanOrEqual(40);
      expect(Object.keys(data.expected).length, f).toBeGreaterThan(5);
    }
  });

  describe.each(files)('%s', (file) => {
    const data = loadEvalThread(join(DIR, file));
    const draft = draftFicheOffline(data.thread, { now: `${data.ref}T09:00:00.000Z`, ref: data.ref });
    const score = scoreDraft(draft, data.expected);

    it('is a valid draft whose provenance ids all exist in the thread', () => {
      expect(FicheDraft.safeParse(draft).success).toBe(true);
      const ids = new Set(data.thread.messages.map((m) => m.id));
      for (const [field, list] of Object.entries(draft.provenance)) {
        expect(list.length, field).toBeGreaterThan(0);
        for (const id of list) expect(ids.has(id), `${field}: ${id}`).toBe(true);
      }
      // One `milestones.<i>@<reference day>` key per date, naming its message.
      draft.fiche.milestones.forEach((_, i) => {
        const keys = Object.keys(draft.provenance).filter((k) => k.startsWith(`milestones.${i}@`));
        expect(keys, `milestones.${i}`).toHaveLength(1);
        expect(keys[0]).toMatch(/@\d{4}-\d{2}-\d{2}$/);
      });
      for (const field of draft.missing) expect(draft.provenance[field], field).toBeUndefined();
    });

    it('finds the pilots and the title', () => {
      expect(score.perField['pilots']).toMatchObject({ expected: data.expected.pilots!.length, found: data.expected.pilots!.length });
      expect(score.perField['title']?.found).toBe(data.expected.title!.length);
    });

    it('finds most milestones and partners, and fills every expected field', () => {
      const m = score.perField['milestones'];
      if (m) expect(m.found / m.expected).toBeGreaterThanOrEqual(0.5);
      const p = score.perField['partners'];
      if (p) expect(p.found / p.expected).toBeGreaterThanOrEqual(0.6);
      for (const field of Object.keys(data.expected)) expect(draft.missing, field).not.toContain(field);
    });
  });

  it('scoreDraft counts a miss when the text is not there', () => {
    const data = loadEvalThread(join(DIR, files[0]!));
    const draft = draftFicheOffline(data.thread, { now: `${data.ref}T09:00:00.000Z`, ref: data.ref });
    const s = scoreDraft(draft, { pilots: ['Personne Inconnue'], milestones: [{ dueText: 'jamais', due: '1999-01-01' }] });
    expect(s.perField['pilots']).toMatchObject({ expected: 1, found: 0, missed: ['Personne Inconnue'] });
    expect(s.perField['milestones']).toMatchObject({ expected: 1, found: 0 });
    expect(s.recall).toBe(0);
    // Nothing expected the drafted pilots: every one of them counts against precision.
    expect(s.perField['pilots']!.correct).toBe(0);
    expect(s.precision).toBeLessThan(1);
  });

  it('a milestone one day off still matches, two days off does not', () => {
    const data = loadEvalThread(join(DIR, files[0]!));
    const draft = draftFicheOffline(data.thread, { now: `${data.ref}T09:00:00.000Z` });
    const due = draft.fiche.milestones[0]!.due!;
    const shift = (d: string, n: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    expect(scoreDraft(draft, { milestones: [{ dueText: 'x', due: shift(due, 1) }] }).perField['milestones']!.found).toBe(1);
    expect(scoreDraft(draft, { milestones: [{ dueText: 'x', due: shift(due, 2) }] }).perField['milestones']!.found).toBe(0);
  });

  it('overall field recall offline is at least 0.8', () => {
    const r = runDraftEval(DIR);
    expect(r.threads).toBe(files.length);
    expect(r.overallRecall).toBeGreaterThanOrEqual(0.8);
    expect(r.pilotsRecall).toBeGreaterThanOrEqual(0.8);
    expect(r.milestonesRecall).toBeGreaterThanOrEqual(0.8);
  });

  it('real-style dev threads keep recall and precision at 0.8 or more, drafted long after they were written', () => {
    const r = runDraftEval(join(import.meta.dirname, '../../../eval/threads-real/dev'));
    expect(r.threads).toBeGreaterThanOrEqual(6);
    expect(r.overallRecall).toBeGreaterThanOrEqual(0.8);
    expect(r.overallPrecision).toBeGreaterThanOrEqual(0.8);
    expect(r.milestonesRecall).toBeGreaterThanOrEqual(0.8);
  });

  it('real-style threads have 12–25 messages, 4–6 authors, timestamps from 2018 to 2026', () => {
    const root = join(import.meta.dirname, '../../../eval/threads-real');
    const years = new Set<string>();
    for (const part of ['dev', 'holdout']) {
      const list = readdirSync(join(root, part)).filter((f) => f.endsWith('.json'));
      expect(list.length, part).toBeGreaterThanOrEqual(4);
      for (const f of list) {
        const t = loadEvalThread(join(root, part, f)).thread;
        expect(t.messages.length, f).toBeGreaterThanOrEqual(12);
        expect(t.messages.length, f).toBeLessThanOrEqual(25);
        const authors = new Set(t.messages.map((m) => m.author.id)).size;
        expect(authors, f).toBeGreaterThanOrEqual(4);
        expect(authors, f).toBeLessThanOrEqual(6);
        for (const m of t.messages) years.add(m.ts.slice(0, 4));
      }
    }
    expect([...years].sort()[0]).toBe('2018');
    expect([...years].sort().at(-1)).toBe('2026');
  });
});
