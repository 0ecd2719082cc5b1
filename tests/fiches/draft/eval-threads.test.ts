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
      for (const field of draft.missing) expect(draft.provenance[field], field).toBeUndefined();
    });

    it('finds the pilots and the title', () => {
      expect(score.perField['pilots']).toEqual({ expected: data.expected.pilots!.length, found: data.expected.pilots!.length });
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
    expect(s.perField).toEqual({ pilots: { expected: 1, found: 0 }, milestones: { expected: 1, found: 0 } });
    expect(s.recall).toBe(0);
  });

  it('overall field recall offline is at least 0.8', () => {
    const r = runDraftEval(DIR);
    expect(r.threads).toBe(files.length);
    expect(r.overallRecall).toBeGreaterThanOrEqual(0.8);
    expect(r.pilotsRecall).toBeGreaterThanOrEqual(0.8);
    expect(r.milestonesRecall).toBeGreaterThanOrEqual(0.8);
  });
});
