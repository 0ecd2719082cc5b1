import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/core/logger.js';
import { serve } from '../../../src/server/serve.js';
import { MINI_PTSM, buildKb } from '../../helpers/kb.js';
import { makeDocxBomb } from '../../ingestion/bomb.js';

/**
 * A hostile upload through the front door of `ptsm serve`: while it is read,
 * the server keeps answering, and the file is refused by name.
 */
type Job = { id: string; state: string; message: string };

let dataDir: string;
let cleanup: () => void;
beforeAll(async () => { ({ dataDir, cleanup } = await buildKb(MINI_PTSM)); });
afterAll(() => cleanup());

/** Uploads a file, then polls its job to the end while probing /healthz; returns the job and the slowest probe. */
async function uploadWhileProbing(url: string, name: string, body: Buffer): Promise<{ job: Job; slowestMs: number; probes: number }> {
  let slowestMs = 0;
  let probes = 0;
  let running = true;
  const probe = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      slowestMs = Math.max(slowestMs, performance.now() - t);
      probes++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const res = await fetch(`${url}/api/documents?nom=${encodeURIComponent(name)}`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(body),
    });
    expect(res.status).toBe(202);
    let job = ((await res.json()) as { job: Job }).job;
    for (let i = 0; i < 2400 && job.state !== 'done' && job.state !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = ((await (await fetch(`${url}/api/jobs/${job.id}`)).json()) as { job: Job }).job;
    }
    return { job, slowestMs, probes };
  } finally {
    running = false;
    await probe;
  }
}

describe('ptsm serve and a DOCX decompression bomb', () => {
  it('refuses the bomb by name in the job status, and /healthz answers within 1 s throughout', async () => {
    const server = await serve({ config: loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0' }), logger: silentLogger, tickMs: 0 });
    try {
      const bomb = await makeDocxBomb(52);
      const { job, slowestMs, probes } = await uploadWhileProbing(server.url, 'compte-rendu-piege.docx', bomb);
      expect(job.state).toBe('failed');
      expect(job.message).toMatch(/^« compte-rendu-piege\.docx » n'a pas pu être indexé : Archive refusée : compte-rendu-piege\.docx se décompresserait en 52 Mo \(au plus 50 Mo permis\)/);
      expect(job.message).toMatch(/Le fichier n'a pas été conservé\.$/);
      expect(probes).toBeGreaterThan(0);
      expect(slowestMs).toBeLessThan(1000);
      // The server still answers questions from its index.
      const ask = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Qui pilote la fiche pair-aidance ?' }) });
      expect(((await ask.json()) as { answer: string }).answer).toContain('Inès Caradec');
    } finally {
      await server.close();
    }
  });

  it('reads a heavy file that the limits let through away from the event loop: /healthz still answers within 1 s', async () => {
    // Limits raised on purpose: mammoth has to inflate and walk a 6 MB document of 190,000 paragraphs.
    const config = loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0', PTSM_MAX_COMPRESSION_RATIO: '100000' });
    const server = await serve({ config, logger: silentLogger, tickMs: 0 });
    try {
      const { job, slowestMs, probes } = await uploadWhileProbing(server.url, 'lourd.docx', await makeDocxBomb(6));
      expect(['done', 'failed']).toContain(job.state);
      expect(job.message).toContain('lourd.docx');
      expect(probes).toBeGreaterThan(3);
      expect(slowestMs).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });
});
