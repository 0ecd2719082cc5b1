import path from 'node:path';
import { singleAssistant, type Assistant, type AssistantResolver } from '../app/assistant.js';
import type { AppConfig } from '../config.js';
import { PtsmError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createAssistant, type AssistantRuntime } from '../app/create-assistant.js';
import { listTerritories, resolveTerritory, territoryConfig } from '../app/territories.js';
import { TERRITORIES_FILE, loadTerritoryMap, type TerritoryMap } from '../app/territory-map.js';
import { createTerritoryWebChannel, createWebChannel, type WebChannel } from '../channels/web/index.js';
import { createSlackChannel } from '../channels/slack/index.js';
import { createTeamsChannel, type TeamsChannel } from '../channels/teams/index.js';
import {
  DEFAULT_PLAN, FileNotifier, buildDigest, listMilestones, startScheduler, type Notifier, type RunningScheduler,
} from '../milestones/index.js';
import type { PostgresLedgerHandle } from '../milestones/pg-ledger.js';
import type { ReplicaAnswers } from '../milestones/answer-journal.js';
import type { PilotAnswer } from '../milestones/index.js';
import { DEFAULT_HTTP_TIMEOUTS, createHttpApp, listen, type ChannelMount, type HttpTimeouts } from './http.js';
import { databaseCheck, indexCheck, postgresCheck, slackCheck, type ReadinessCheck } from './readiness.js';
import { RoutingNotifier } from './routing-notifier.js';
import fs from 'node:fs';

export interface RunningServer {
  url: string;
  /** The runtime (with several territories: the first territory's; see `territories`). */
  runtime: AssistantRuntime;
  /** Several territories: each territory's runtime, by id (empty for a single PTSM). */
  territories: ReadonlyMap<string, AssistantRuntime>;
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

/** One PTSM the server runs: its id (null for a single-PTSM data directory), configuration and runtime. */
interface Served {
  id: string | null;
  config: AppConfig;
  runtime: AssistantRuntime;
  /** Where its coordinator digest goes. */
  digest: { slack: string | undefined; teams: string | undefined };
  /** Replicas: the pilots' answers shared with the other instances. */
  answers: ReplicaAnswers | null;
}

/**
 * `ptsm serve`: one HTTP server with the web console, and Slack and Teams
 * when they are configured; the reminder scheduler routes nudges through
 * them. A channel whose configuration is incomplete is refused with a French
 * message rather than started half-way.
 *
 * A data directory of several territories (or with a territories.json) runs
 * one runtime and one reminder scheduler per territory; each conversation is
 * answered by the runtime of the territory territories.json maps it to, and
 * a conversation mapped to none gets only the notice that it is in none.
 */
export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const { config, logger } = opts;
  const clockOpt = opts.clock ? { clock: opts.clock } : {};
  const several = config.territory === undefined
    && listTerritories(config.dataDir).length > 0
    && (listTerritories(config.dataDir).length > 1 || fs.existsSync(path.join(config.dataDir, TERRITORIES_FILE)));

  const served: Served[] = [];
  const ledgers = new Map<Served, PostgresLedgerHandle>();
  let map: TerritoryMap | null = null;
  try {
    if (several) {
      map = loadTerritoryMap(config.dataDir);
      const known = new Set(listTerritories(config.dataDir));
      for (const id of Object.keys(map.territories)) {
        if (!known.has(id)) {
          throw new PtsmError('CONFIG_INVALID', `Fichier des territoires invalide : ${map.file}, territoire « ${id} » : aucun dossier ${path.join(config.dataDir, 'territories', id)} (indexez ses documents : ptsm index <dossier> --territory ${id}).`, { input: map.file });
        }
      }
      for (const id of known) {
        const tconfig = territoryConfig(config, { kind: 'territory', id, dataDir: path.join(config.dataDir, 'territories', id) });
        const entry = map.entry(id);
        served.push(await start(id, tconfig, logger.child({ territory: id }), { slack: entry?.digest.slack, teams: entry?.digest.teams }));
      }
    } else {
      const choice = resolveTerritory(config.dataDir, config.territory);
      served.push(await start(choice.kind === 'territory' ? choice.id : null, territoryConfig(config, choice), logger, { slack: config.slack.digestChannel, teams: config.teams.digestConversation }));
    }
  } catch (e) {
    for (const s of served) s.runtime.close();
    for (const l of ledgers.values()) await l.close();
    throw e;
  }

  /**
   * One territory's runtime. Several replicas (PTSM_DATABASE_URL) share, per
   * territory, the reminders' delivery ledger and the journal of pilots'
   * answers in PostgreSQL, in a schema of the territory's own; pg is loaded
   * only then.
   */
  async function start(id: string | null, tconfig: AppConfig, log: Logger, digest: Served['digest']): Promise<Served> {
    let handle: PostgresLedgerHandle | null = null;
    let answers: ReplicaAnswers | null = null;
    if (config.database && opts.tickMs !== 0) {
      const { openPostgresLedger } = await import('../milestones/pg-ledger.js');
      handle = await openPostgresLedger(config.database.url, { territory: tconfig.territory });
      log.info('reminders ledger in PostgreSQL', { database: handle.label });
    }
    try {
      const journal = handle ? await (await import('../milestones/answer-journal.js')).PostgresAnswerJournal.open(handle.ledger.pg) : null;
      const runtime = await createAssistant({
        config: tconfig, logger: log, ...clockOpt,
        ...(journal ? { onNudgeAnswer: (milestoneId: string, answer: PilotAnswer) => answers?.shared(milestoneId, answer) } : {}),
      });
      if (journal) answers = new (await import('../milestones/answer-journal.js')).ReplicaAnswers(runtime.db, journal, log, config.timezone);
      const s: Served = { id, config: tconfig, runtime, digest, answers };
      if (handle) ledgers.set(s, handle);
      return s;
    } catch (e) {
      await handle?.close();
      throw e;
    }
  }

  const byAssistant = new Map<Assistant, Served>(served.map((s) => [s.runtime.assistant, s]));
  const byId = new Map(served.filter((s) => s.id !== null).map((s) => [s.id!, s]));
  const assistants: AssistantResolver = map
    ? (ref) => {
      const id = ref.territory ?? map!.territoryOf(ref);
      return id ? byId.get(id)?.runtime.assistant ?? null : null;
    }
    : singleAssistant(served[0]!.runtime.assistant);
  // Shared channel stores (Slack threads and drafts, Teams conversation references): the single PTSM's data directory, or the root of the territories.
  const channelConfig = several ? config : served[0]!.config;

  const mounts: ChannelMount[] = [];
  let slack: ReturnType<typeof createSlackChannel> | null = null;
  let teams: TeamsChannel | null = null;

  if (config.slack.botToken || config.slack.appToken) {
    if (!config.slack.botToken) throw new PtsmError('CONFIG_INVALID', 'Slack : SLACK_BOT_TOKEN est requis (avec SLACK_SIGNING_SECRET en HTTP, ou SLACK_APP_TOKEN en Socket Mode).', { input: 'SLACK_BOT_TOKEN' });
    if (!config.slack.signingSecret && !config.slack.appToken) throw new PtsmError('CONFIG_INVALID', 'Slack : indiquez SLACK_SIGNING_SECRET (mode HTTP) ou SLACK_APP_TOKEN (Socket Mode).', { input: 'SLACK_SIGNING_SECRET' });
    slack = createSlackChannel({ config: channelConfig, logger, assistants, ...(config.docs.baseUrl ? { docsBaseUrl: config.docs.baseUrl } : {}) });
    mounts.push(slack.mount);
  }
  if (config.teams.appId || config.teams.allowUnauthenticated) {
    teams = createTeamsChannel({ config: channelConfig, logger, assistants, territoryOf: (a) => byAssistant.get(a)?.id ?? undefined });
    mounts.push(teams.mount);
  }
  const consoleOf = (s: Served): WebChannel => createWebChannel({
    config: s.config,
    logger: s.id ? logger.child({ territory: s.id }) : logger,
    assistant: s.runtime.assistant,
    dataDir: s.config.dataDir,
    milestones: () => listMilestones(s.runtime.db, { now: new Date().toISOString() }),
    unlinkedPilots: () => buildDigest(s.runtime.db, { now: new Date(), directory: s.runtime.directory, timezone: config.timezone }).unlinkedPilots,
    onIndexed: () => s.runtime.reload(),
  });
  mounts.push(map
    ? createTerritoryWebChannel({ config, logger, consoles: new Map(served.map((s) => [s.id!, consoleOf(s)])), territoryOf: (user) => map!.territoryOf({ platform: 'web', user }) })
    : consoleOf(served[0]!));

  const readiness: ReadinessCheck[] = [
    ...served.flatMap((s) => {
      const ledger = ledgers.get(s);
      return [
        indexCheck(s.config.dataDir, () => s.runtime.kb.size),
        databaseCheck(() => s.runtime.db),
        ...(ledger ? [postgresCheck(ledger.ping)] : []),
      ].map((c) => (s.id && several ? { ...c, name: `${c.name} ${s.id}` } : c));
    }),
    ...(slack ? [slackCheck(config.slack)] : []),
  ];
  const app = createHttpApp(mounts, logger, { readiness });
  const http = await listen(app, config.server.port, config.server.host, opts.httpTimeouts ?? DEFAULT_HTTP_TIMEOUTS);
  await slack?.start();

  // One reminder scheduler per territory, each over its own database, through the shared channels.
  const schedulers: RunningScheduler[] = [];
  if (opts.tickMs !== 0) {
    for (const s of served) {
      const slackNotifier: Notifier | undefined = slack ? (several ? slack.notifierFor(s.id!, s.runtime.db, s.digest.slack) : slack.notifier) : undefined;
      const teamsNotifier: Notifier | undefined = teams ? (several ? teams.notifierFor(s.id!, s.digest.teams) : teams.notifier) : undefined;
      const notifier = new RoutingNotifier({
        ...(slackNotifier ? { slack: slackNotifier } : {}),
        ...(teamsNotifier ? { teams: teamsNotifier } : {}),
        fallback: new FileNotifier(path.join(s.config.dataDir, 'relances.jsonl')),
        coordinator: [
          ...(slackNotifier && s.digest.slack ? [slackNotifier] : []),
          ...(teamsNotifier && s.digest.teams ? [teamsNotifier] : []),
        ],
      });
      schedulers.push(startScheduler(
        {
          db: s.runtime.db, notifier, directory: s.runtime.directory, clock: opts.clock ?? (() => new Date()), plan: { ...DEFAULT_PLAN, timezone: config.timezone },
          logger: s.id ? logger.child({ territory: s.id }) : logger,
          ...(ledgers.get(s) ? { ledger: ledgers.get(s)!.ledger } : {}),
          ...(s.answers ? { beforeTick: () => s.answers!.catchUp() } : {}),
        },
        { intervalMs: opts.tickMs ?? 5 * 60_000 },
      ));
    }
  }
  logger.info('server started', { url: http.url, channels: mounts.map((m) => m.name), ...(several ? { territories: [...byId.keys()] } : {}) });
  return {
    url: http.url,
    runtime: served[0]!.runtime,
    territories: new Map(several ? [...byId].map(([id, s]) => [id, s.runtime]) : []),
    channels: mounts.map((m) => m.name),
    async close() {
      // A reminder pass under way finishes (and records what it sent) before the database closes.
      for (const s of schedulers) await s.stop();
      await slack?.stop();
      await http.close();
      for (const m of mounts) await m.close?.();
      for (const s of served) s.runtime.close();
      for (const l of ledgers.values()) await l.close();
    },
  };
}
