import type { AppConfig } from '../config.js';
import { PtsmError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createAssistant, type AssistantRuntime } from '../app/create-assistant.js';
import { createWebChannel } from '../channels/web/index.js';
import { createSlackChannel } from '../channels/slack/index.js';
import { createTeamsChannel } from '../channels/teams/index.js';
import {
  DEFAULT_PLAN, FileNotifier, buildDigest, listMilestones, startScheduler, type Notifier, type RunningScheduler,
} from '../milestones/index.js';
import type { PostgresLedgerHandle } from '../milestones/pg-ledger.js';
import { DEFAULT_HTTP_TIMEOUTS, createHttpApp, listen, type ChannelMount, type HttpTimeouts } from './http.js';
import { databaseCheck, indexCheck, postgresCheck, slackCheck, type ReadinessCheck } from './readiness.js';
import { RoutingNotifier } from './routing-notifier.js';
import path from 'node:path';

export interface RunningServer {
  url: string;
  runtime: AssistantRuntime;
  channels: string[];
  close(): Promise<void>;
}

export interface ServeOptions {
  config: AppConfig;
  logger: Logger;
  /** Reminder ticks (default every 5 minutes); 0 disables the scheduler. */
  tickMs?: number;
  clock?: () => Date;
  /** Server timeouts (default DEFAULT_HTTP_TIMEOUTS); tests shorten them. */
  httpTimeouts?: HttpTimeouts;
}

/**
 * `ptsm serve`: one HTTP server with the web console, and Slack and Teams
 * when they are configured; the reminder scheduler routes nudges through
 * them. A channel whose configuration is incomplete is refused with a French
 * message rather than started half-way.
 */
export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const { config, logger } = opts;
  // Several replicas share the reminders' delivery ledger in PostgreSQL (PTSM_DATABASE_URL); pg is loaded only then.
  let postgres: PostgresLedgerHandle | null = null;
  if (config.database && opts.tickMs !== 0) {
    const { openPostgresLedger } = await import('../milestones/pg-ledger.js');
    postgres = await openPostgresLedger(config.database.url);
    logger.info('reminders ledger in PostgreSQL', { database: postgres.label });
  }
  let runtime: AssistantRuntime;
  try {
    runtime = await createAssistant({ config, logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  } catch (e) {
    await postgres?.close();
    throw e;
  }
  const mounts: ChannelMount[] = [];
  let slackNotifier: Notifier | undefined;
  let teamsNotifier: Notifier | undefined;
  let slack: ReturnType<typeof createSlackChannel> | null = null;

  if (config.slack.botToken || config.slack.appToken) {
    if (!config.slack.botToken) throw new PtsmError('CONFIG_INVALID', 'Slack : SLACK_BOT_TOKEN est requis (avec SLACK_SIGNING_SECRET en HTTP, ou SLACK_APP_TOKEN en Socket Mode).', { input: 'SLACK_BOT_TOKEN' });
    if (!config.slack.signingSecret && !config.slack.appToken) throw new PtsmError('CONFIG_INVALID', 'Slack : indiquez SLACK_SIGNING_SECRET (mode HTTP) ou SLACK_APP_TOKEN (Socket Mode).', { input: 'SLACK_SIGNING_SECRET' });
    slack = createSlackChannel({ config, logger, assistant: runtime.assistant, ...(config.docs.baseUrl ? { docsBaseUrl: config.docs.baseUrl } : {}) });
    mounts.push(slack.mount);
    slackNotifier = slack.notifier;
  }
  if (config.teams.appId || config.teams.allowUnauthenticated) {
    const teams = createTeamsChannel({ config, logger, assistant: runtime.assistant });
    mounts.push(teams.mount);
    teamsNotifier = teams.notifier;
  }
  mounts.push(createWebChannel({
    config,
    logger,
    assistant: runtime.assistant,
    dataDir: config.dataDir,
    milestones: () => listMilestones(runtime.db, { now: new Date().toISOString() }),
    unlinkedPilots: () => buildDigest(runtime.db, { now: new Date(), directory: runtime.directory, timezone: config.timezone }).unlinkedPilots,
    onIndexed: () => runtime.reload(),
  }));

  const readiness: ReadinessCheck[] = [
    indexCheck(config.dataDir, () => runtime.kb.chunks.length),
    databaseCheck(() => runtime.db),
    ...(postgres ? [postgresCheck(postgres.ping)] : []),
    ...(slack ? [slackCheck(config.slack)] : []),
  ];
  const app = createHttpApp(mounts, logger, { readiness });
  const http = await listen(app, config.server.port, config.server.host, opts.httpTimeouts ?? DEFAULT_HTTP_TIMEOUTS);
  await slack?.start();

  let scheduler: RunningScheduler | null = null;
  if (opts.tickMs !== 0) {
    const notifier = new RoutingNotifier({
      ...(slackNotifier ? { slack: slackNotifier } : {}),
      ...(teamsNotifier ? { teams: teamsNotifier } : {}),
      fallback: new FileNotifier(path.join(config.dataDir, 'relances.jsonl')),
      coordinator: [
        ...(slackNotifier && config.slack.digestChannel ? [slackNotifier] : []),
        ...(teamsNotifier && config.teams.digestConversation ? [teamsNotifier] : []),
      ],
    });
    scheduler = startScheduler(
      {
        db: runtime.db, notifier, directory: runtime.directory, clock: opts.clock ?? (() => new Date()), plan: { ...DEFAULT_PLAN, timezone: config.timezone }, logger,
        ...(postgres ? { ledger: postgres.ledger } : {}),
      },
      { intervalMs: opts.tickMs ?? 5 * 60_000 },
    );
  }
  logger.info('server started', { url: http.url, channels: mounts.map((m) => m.name) });
  return {
    url: http.url,
    runtime,
    channels: mounts.map((m) => m.name),
    async close() {
      // A reminder pass under way finishes (and records what it sent) before the database closes.
      await scheduler?.stop();
      await slack?.stop();
      await http.close();
      for (const m of mounts) await m.close?.();
      runtime.close();
      await postgres?.close();
    },
  };
}
