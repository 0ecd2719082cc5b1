import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASKED_NOTICE } from '../../src/privacy/index.js';
import { startConsole, waitForJob, type RunningConsole } from '../channels/web/support.js';

/** The web console, offline: an upload holding patient data is reported, answers from it are masked, a question naming a patient is warned about. */
let c: RunningConsole;
beforeAll(async () => { c = await startConsole(); });
afterAll(async () => { await c.close(); });

const NOTE = [
  '# Bilan des situations complexes du CLSM de Port-Orme', '',
  'Le CLSM de Port-Orme a étudié 14 situations complexes en 2025.',
  'Mme Claire Bonnet, 52 ans, trouble schizo-affectif, a été réhospitalisée en SDRE après son expulsion locative.',
  'La commission de Port-Orme se réunit chaque mois.',
].join('\n');

describe('web console warnings', () => {
  it('reports an upload that holds patient data, with a count, and masks it in answers', async () => {
    const res = await fetch(`${c.url}/api/documents?nom=bilan-clsm.md`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(Buffer.from(NOTE)) });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    const done = await waitForJob(c.url, job.id);
    expect(done.state).toBe('done');
    expect(done.message).toContain('1 passage semble concerner un patient');

    const ask = await fetch(`${c.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Qui a été réhospitalisé en SDRE après une expulsion locative à Port-Orme ?' }) });
    const answer = (await ask.json()) as { answer: string; citations: Array<{ quote: string; source: string }>; privacyWarning?: string };
    expect(answer.citations.some((x) => x.source.endsWith('bilan-clsm.md'))).toBe(true);
    expect(JSON.stringify(answer)).not.toContain('Bonnet');
    expect(answer.answer).toContain(MASKED_NOTICE);
    expect(answer.privacyWarning).toBeUndefined();
  });

  it('warns next to the answer when the question names a patient, and only then', async () => {
    const ask = async (question: string) => (await (await fetch(`${c.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) })).json()) as { privacyWarning?: string };
    expect((await ask('M. Jean Dupont, hospitalisé pour schizophrénie : qui pilote la fiche pair-aidance ?')).privacyWarning).toMatch(/données personnelles de santé/);
    expect((await ask('Qui pilote la fiche pair-aidance ?')).privacyWarning).toBeUndefined();
  });
});
