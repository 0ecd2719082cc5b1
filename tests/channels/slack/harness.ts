import { singleAssistant } from '../../../src/app/assistant.js';
import fs from 'node:fs';
import path from 'node:path';
import { createAssistant, type AssistantRuntime } from '../../../src/app/create-assistant.js';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack/index.js';
import { loadConfig, type AppConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/core/logger.js';
import { createHttpApp, listen } from '../../../src/server/http.js';
import { MINI_PTSM, buildKb } from '../../helpers/kb.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { SIGNING_SECRET } from './slack-requests.js';

/**
 * The real thing end to end: a real indexed temp corpus, the real assistant,
 * the real Bolt app on the shared HTTP server on 127.0.0.1, and a fake Slack
 * Web API that records what the app sent.
 */
export const ASSISTANT_NOW = new Date('2026-01-15T09:00:00Z');

export interface Harness {
  url: string;
  fake: FakeSlackApi;
  runtime: AssistantRuntime;
  slack: SlackChannel;
  config: AppConfig;
  dataDir: string;
  logs: string[];
  /** Log lines (parsed) whose message matches. */
  logged(msg: string): Array<Record<string, unknown>>;
  /** A second Slack app on the same data (a restart), sharing the fake API. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  files?: Record<string, string>;
  /** Extra files in the data directory (annuaire.json, scopes.json…). */
  dataFiles?: Record<string, string>;
  streamIntervalMs?: number;
}

export const ANNUAIRE = [
  { name: 'Inès Caradec', organisation: 'GEM La Boussole', slack: 'U03INES' },
  { name: 'Hugo Lemaire', organisation: 'CCAS de Port-Orme', slack: 'U04HUGO' },
];

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const kb = await buildKb({ ...MINI_PTSM, ...opts.files });
  const dataDir = kb.dataDir;
  fs.writeFileSync(path.join(dataDir, 'annuaire.json'), JSON.stringify(ANNUAIRE));
  for (const [name, content] of Object.entries(opts.dataFiles ?? {})) fs.writeFileSync(path.join(dataDir, name), content);
  const fake = await FakeSlackApi.start();
  fake.setUser('U01MARIE', { name: 'marie', realName: 'Marie Durand', email: 'marie.durand@exemple.fr' });
  fake.setUser('U02PAUL', { name: 'paul', realName: 'Paul Martin', displayName: 'Dr Paul Martin' });
  fake.setUser('U03INES', { name: 'ines', realName: 'Inès Caradec' });
  fake.setUser('U04HUGO', { name: 'hugo', realName: 'Hugo Lemaire' });
  const config = loadConfig({
    PTSM_DATA_DIR: dataDir, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url, SLACK_DIGEST_CHANNEL: 'C09COORD', ...opts.env,
  });
  const logs: string[] = [];
  const logger = createLogger('debug', (l) => logs.push(l));
  const runtime = await createAssistant({ config, logger, clock: () => ASSISTANT_NOW });
  const make = (): SlackChannel => createSlackChannel({
    config, logger, assistants: singleAssistant(runtime.assistant), retryConfig: { retries: 2, factor: 1, minTimeout: 20, maxTimeout: 40 },
    streamIntervalMs: opts.streamIntervalMs ?? 1000,
  });
  let slack = make();
  let server = await listen(createHttpApp([slack.mount], logger), 0, '127.0.0.1');
  const h: Harness = {
    get url() { return server.url; },
    fake,
    runtime,
    get slack() { return slack; },
    config,
    dataDir,
    logs,
    logged: (msg) => logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l['msg']).includes(msg)),
    async restart() {
      await server.close();
      await slack.stop();
      slack = make();
      server = await listen(createHttpApp([slack.mount], logger), 0, '127.0.0.1');
    },
    async close() {
      await server.close();
      await slack.stop();
      runtime.close();
      await fake.close();
      kb.cleanup();
    },
  };
  return h;
}
