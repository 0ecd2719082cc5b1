import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type AssistantRuntime } from '../../src/app/create-assistant.js';
import { listFeedback } from '../../src/app/feedback.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { MINI_PTSM, buildKb } from '../helpers/kb.js';

let runtime: AssistantRuntime;
let cleanup: () => void;
let dataDir: string;
const pilot = { platform: 'slack' as const, id: 'U0INES', name: 'Inès Caradec' };

beforeAll(async () => {
  ({ dataDir, cleanup } = await buildKb({ ...MINI_PTSM, 'docs/gt-logement/cr-gt-logement.md': '# Compte rendu du GT logement\n\nLe groupe de travail logement retient le bailleur Port-Orme Habitat pour la colocation accompagnée.' }));
  fs.writeFileSync(path.join(dataDir, 'annuaire.json'), JSON.stringify([{ name: 'Inès Caradec', slack: 'U0INES' }]));
  fs.writeFileSync(path.join(dataDir, 'scopes.json'), JSON.stringify([{ platform: 'slack', channel: 'CLOG', private: true, include: ['docs/gt-logement/**'] }]));
  runtime = await createAssistant({ config: loadConfig({ PTSM_DATA_DIR: dataDir }), logger: silentLogger, clock: () => new Date('2026-02-02T09:00:00Z') });
});
afterAll(() => { runtime.close(); cleanup(); });

describe('the Assistant port', () => {
  it('knows the fiches and the milestones a chat user pilots, through the directory', () => {
    expect(runtime.assistant.listFiches().map((f) => f.number).sort()).toEqual([4, 7]);
    const mine = runtime.assistant.milestonesOf(pilot);
    expect(mine.map((m) => m.ficheId)).toEqual(['fa-4', 'fa-4']);
    expect(runtime.assistant.fichesOf(pilot).map((f) => f.id)).toEqual(['fa-4']);
    expect(runtime.assistant.milestonesOf({ platform: 'slack', id: 'UNOBODY' })).toEqual([]);
  });

  it('records one-click answers: fait, reporter with words, besoin d’aide; refuses an unknown milestone', async () => {
    const [first, second] = runtime.assistant.milestonesOf(pilot);
    const done = await runtime.assistant.answerNudge(first!.id, { kind: 'fait' }, pilot);
    expect(done).toMatchObject({ ok: true, message: expect.stringContaining('noté comme fait') });
    const moved = await runtime.assistant.answerNudge(second!.id, { kind: 'reporter', newDueText: 'fin septembre 2028' }, pilot);
    expect(moved).toMatchObject({ ok: true, message: expect.stringContaining('30/09/2028') });
    const statuses = Object.fromEntries(runtime.assistant.milestonesOf(pilot).map((m) => [m.id, [m.status, m.due]]));
    expect(statuses[first!.id]![0]).toBe('fait');
    expect(statuses[second!.id]).toEqual(['reporté', '2028-09-30']);
    expect((await runtime.assistant.answerNudge('fa-99#rien', { kind: 'fait' }, pilot)).ok).toBe(false);
  });

  it('validates a draft into the registry, and its milestones join the reminders', async () => {
    const draft = await runtime.assistant.draftFromThread({ messages: [
      { id: 'm1', author: { id: 'U0INES', name: 'Inès Caradec' }, ts: '1', text: 'Fiche sur les groupes de parole des aidants : je veux bien piloter.' },
      { id: 'm2', author: { id: 'U2', name: 'Paul Morel' }, ts: '2', text: 'Premier groupe lancé au T3 2026.' },
    ] });
    const fiche = await runtime.assistant.validateFiche(draft.fiche, pilot);
    expect(fiche.status).toBe('validée');
    expect(fiche.number).toBe(8);
    expect(runtime.assistant.getFiche(fiche.id)?.status).toBe('validée');
    expect(runtime.assistant.milestonesOf(pilot).some((m) => m.ficheId === fiche.id && m.due === '2026-09-30')).toBe(true);
    const docx = await runtime.assistant.exportDocx(fiche);
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    // It is now the PTSM's fiche 8, searchable like any indexed fiche, and a second validation does not duplicate it.
    expect(fiche.id).toBe('fa-8');
    const again = await runtime.assistant.validateFiche(draft.fiche, pilot);
    expect(again.id).toBe('fa-8');
    expect(runtime.assistant.listFiches().filter((f) => f.number === 8)).toHaveLength(1);
    const a = await runtime.assistant.ask({ question: 'Où en est la fiche sur les groupes de parole des aidants ?' });
    expect(a.citations.map((c) => c.source)).toContain('fiches-validees/fa-8.md');
  });

  it('keeps documents of a private channel inside it', async () => {
    const q = 'Quel bailleur le groupe de travail logement retient-il pour la colocation ?';
    const inside = await runtime.assistant.ask({ question: q, channel: { platform: 'slack', id: 'CLOG' } });
    expect(inside.citations.map((c) => c.source)).toContain('docs/gt-logement/cr-gt-logement.md');
    const outside = await runtime.assistant.ask({ question: q, channel: { platform: 'slack', id: 'CGENERAL' } });
    expect(outside.citations.map((c) => c.source)).not.toContain('docs/gt-logement/cr-gt-logement.md');
    const filter = runtime.assistant.documentFilter();
    expect(filter('docs/fiches/fa04-pair-aidance.md')).toBe(true);
    expect(filter('docs/gt-logement/cr-gt-logement.md')).toBe(false);
  });

  it('stores feedback', () => {
    runtime.assistant.recordFeedback({ user: pilot, question: 'q', answer: 'a', rating: 'down' });
    expect(listFeedback(runtime.db).map((f) => f.rating)).toEqual(['down']);
  });
});
