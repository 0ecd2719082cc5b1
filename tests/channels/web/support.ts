import fs from 'node:fs';
import path from 'node:path';
import { createAssistant, type AssistantRuntime } from '../../../src/app/create-assistant.js';
import { createWebChannel, type WebChannelOptions } from '../../../src/channels/web/index.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/core/logger.js';
import { buildDigest, listMilestones } from '../../../src/milestones/index.js';
import { createHttpApp, listen } from '../../../src/server/http.js';
import { buildKb, MINI_PTSM } from '../../helpers/kb.js';

/** The instant every console test lives at: the pair-aidance recruitment (T2 2026) is then overdue. */
export const NOW = new Date('2026-10-01T09:00:00Z');

export interface RunningConsole {
  url: string;
  root: string;
  dataDir: string;
  runtime: AssistantRuntime;
  close: () => Promise<void>;
}

/**
 * The real console over a real indexed temp corpus (MINI_PTSM), with the real
 * assistant, served on 127.0.0.1 by the shared HTTP server.
 */
export async function startConsole(opts: { env?: Record<string, string>; web?: Partial<WebChannelOptions> } = {}): Promise<RunningConsole> {
  const kb = await buildKb(MINI_PTSM);
  const config = loadConfig({ PTSM_TIMEZONE: 'Europe/Paris', ...opts.env }, { dataDir: kb.dataDir, cwd: kb.dir });
  const clock = () => NOW;
  const runtime = await createAssistant({ config, logger: silentLogger, clock });
  const channel = createWebChannel({
    config, logger: silentLogger, assistant: runtime.assistant, dataDir: kb.dataDir, clock, cwd: kb.dir,
    milestones: () => listMilestones(runtime.db, { now: clock().toISOString(), timezone: config.timezone }),
    unlinkedPilots: () => buildDigest(runtime.db, { now: clock(), directory: runtime.directory, timezone: config.timezone }).unlinkedPilots,
    onIndexed: () => runtime.reload(),
    ...opts.web,
  });
  const server = await listen(createHttpApp([channel], silentLogger), 0, '127.0.0.1');
  return {
    url: server.url, root: kb.dir, dataDir: kb.dataDir, runtime,
    close: async () => {
      await server.close();
      await channel.close?.();
      runtime.close();
      kb.cleanup();
    },
  };
}

/** Every file under a folder (relative paths), to prove what an upload did and did not write. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** Polls an indexing job until it ends. */
export async function waitForJob(url: string, jobId: string, headers: Record<string, string> = {}): Promise<{ state: string; message: string; documentId: string | null }> {
  for (let i = 0; i < 400; i++) {
    const res = await fetch(`${url}/api/jobs/${jobId}`, { headers });
    const { job } = (await res.json()) as { job: { state: string; message: string; documentId: string | null } };
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} never finished`);
}
