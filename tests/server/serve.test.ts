import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { serve } from '../../src/server/serve.js';
import { RoutingNotifier } from '../../src/server/routing-notifier.js';
import type { Notifier, NudgeMessage, Recipient } from '../../src/milestones/index.js';
import { MINI_PTSM, buildKb } from '../helpers/kb.js';

let dataDir: string;
let cleanup: () => void;
beforeAll(async () => { ({ dataDir, cleanup } = await buildKb(MINI_PTSM)); });
afterAll(() => cleanup());

describe('ptsm serve', () => {
  it('serves the web console and health probe on one port, Teams when explicitly allowed for tests', async () => {
    const config = loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0', TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    const server = await serve({ config, logger: silentLogger, tickMs: 0 });
    try {
      const health = await (await fetch(`${server.url}/healthz`)).json() as { status: string; channels: string[] };
      expect(health).toEqual({ status: 'ok', channels: ['teams', 'web'] });
      const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Qui pilote la fiche pair-aidance ?' }) });
      expect(((await res.json()) as { answer: string }).answer).toContain('Inès Caradec');
    } finally {
      await server.close();
    }
  });

  it('refuses half-configured or unsafe channels with a French message', async () => {
    await expect(serve({ config: loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1' }), logger: silentLogger, tickMs: 0 }))
      .rejects.toThrow(/SLACK_SIGNING_SECRET/);
    await expect(serve({ config: loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0', TEAMS_ALLOW_UNAUTHENTICATED: 'true', NODE_ENV: 'production' }), logger: silentLogger, tickMs: 0 }))
      .rejects.toThrow(/production/);
  });
});

describe('RoutingNotifier', () => {
  const recorder = (name: string, log: string[]): Notifier => ({
    sendNudge: async (_n, r) => { log.push(`${name}:nudge:${r.name}`); },
    sendDigest: async () => { log.push(`${name}:digest`); },
    sendCoordinatorAlert: async () => { log.push(`${name}:alert`); },
  });
  const nudge = { key: 'k' } as NudgeMessage;
  const who = (r: Partial<Recipient>): Recipient => ({ id: 'x', name: 'X', organisation: null, role: 'pilot', ...r });

  it('routes each pilot to the platform that knows them, and coordinator messages to configured destinations', async () => {
    const log: string[] = [];
    const slack = recorder('slack', log);
    const n = new RoutingNotifier({ slack, teams: recorder('teams', log), fallback: recorder('file', log), coordinator: [slack] });
    await n.sendNudge(nudge, who({ name: 'A', slack: 'U1' }));
    await n.sendNudge(nudge, who({ name: 'B', teams: '29:b' }));
    await n.sendCoordinatorAlert({ key: 'a', kind: 'besoin-aide', milestoneId: null, ficheId: null, text: 't', details: {} });
    await expect(n.sendNudge(nudge, who({ name: 'C', email: 'c@x.fr' }))).rejects.toThrow(/Aucun canal configuré ne permet de joindre C/);
    expect(log).toEqual(['slack:nudge:A', 'teams:nudge:B', 'slack:alert']);
  });

  it('falls back to the file notifier when no chat platform is configured', async () => {
    const log: string[] = [];
    const n = new RoutingNotifier({ fallback: recorder('file', log) });
    await n.sendNudge(nudge, who({ name: 'D' }));
    expect(log).toEqual(['file:nudge:D']);
  });
});
