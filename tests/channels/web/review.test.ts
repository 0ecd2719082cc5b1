import JSZip from 'jszip';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type RunningConsole } from './support.js';

let c: RunningConsole;
beforeAll(async () => { c = await startConsole(); });
afterAll(async () => { await c.close(); });

describe('web console: yearly review page', () => {
  it('shows the review of the year asked, with the fiches, their milestones and what is missing', async () => {
    const res = await fetch(`${c.url}/bilan?annee=2026`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await res.text();
    expect(page).toContain('<h1>Bilan annuel 2026</h1>');
    expect(page).toContain('Développer la pair-aidance');
    expect(page).toContain('Recrutement de deux médiateurs');
    // T2 2026 is past at the console's clock (1 October 2026) and nobody answered.
    expect(page).toContain('en retard, sans réponse du pilote');
    expect(page).toContain('href="/api/bilan/2026.docx"');
    expect(page).toContain('aria-current="page"');
  });

  it('serves the review as JSON, DOCX, XLSX and CSV; refuses an unknown format in French', async () => {
    const json = await (await fetch(`${c.url}/api/bilan/2026`)).json() as { year: number; fiches: Array<{ number: number; pilots: string[] }> };
    expect(json.year).toBe(2026);
    expect(json.fiches.find((f) => f.number === 4)!.pilots[0]).toContain('Inès Caradec');
    const docx = await fetch(`${c.url}/api/bilan/2026.docx`);
    expect(docx.headers.get('content-disposition')).toContain('bilan-ptsm-2026.docx');
    const text = (await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) })).value;
    expect(text).toContain('Bilan annuel 2026');
    const xlsx = await JSZip.loadAsync(Buffer.from(await (await fetch(`${c.url}/api/bilan/2026.xlsx`)).arrayBuffer()));
    expect(await xlsx.file('xl/worksheets/sheet1.xml')!.async('string')).toContain('Logement accompagné');
    const csv = Buffer.from(await (await fetch(`${c.url}/api/bilan/2026.csv`)).arrayBuffer());
    expect(csv.subarray(0, 3).toString('hex')).toBe('efbbbf');
    const bad = await fetch(`${c.url}/api/bilan/2026.pdf`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('inconnu');
  });
});
