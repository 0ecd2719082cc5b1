import type { AssistantResolver } from '../../app/assistant.js';
import { loadScopes } from '../../app/scopes.js';
import type { AppConfig } from '../../config.js';
import type { Logger } from '../../core/logger.js';
import type { ChannelMount } from '../../server/http.js';
import { databasePath, openDatabase, type SqliteDb } from '../../storage/sqlite.js';
import { buildSlackApp, type SlackAppOptions } from './app.js';
import type { SlackNotifier } from './nudges.js';

/**
 * The Slack channel: members ask questions, draft fiches and answer reminders
 * without leaving Slack. HTTP mode mounts POST /slack/events on the shared
 * server; Socket Mode (SLACK_APP_TOKEN set) connects out with `start()`.
 */
export { SlackNotifier } from './nudges.js';
export { ACTIONS, SHORTCUTS, VIEWS, SLACK_EVENTS_PATH, SLASH_COMMAND } from './ids.js';

export interface SlackChannel {
  mount: ChannelMount;
  notifier: SlackNotifier;
  /** Several territories: one territory's notifier (its database, its coordination channel; its nudges name it). */
  notifierFor(territory: string, db: SqliteDb, digestChannel: string | undefined): SlackNotifier;
  /** Socket Mode: opens the connection to Slack. HTTP mode: nothing to do. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a stop waits for answers being written. */
const STOP_GRACE_MS = 10_000;

export type CreateSlackChannelOptions = { config: AppConfig; logger: Logger; assistants: AssistantResolver } & Omit<SlackAppOptions, 'config' | 'logger' | 'assistants' | 'db'>;

export function createSlackChannel(opts: CreateSlackChannelOptions): SlackChannel {
  const { config, logger } = opts;
  // Scopes are applied by the core; reading them here fails early with the file's name.
  const scoped = loadScopes(config.dataDir).filter((s) => s.platform === 'slack');
  const db = openDatabase(databasePath(config.dataDir));
  let built: ReturnType<typeof buildSlackApp>;
  try {
    built = buildSlackApp({ ...opts, db });
  } catch (e) {
    db.close();
    throw e;
  }
  if (scoped.length) logger.info('slack channel scopes', { channels: scoped.map((s) => s.channel) });
  let started = false;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (built.socketMode && started) await built.app.stop();
    await built.drain(STOP_GRACE_MS);
    db.close();
  };
  return {
    mount: {
      name: 'slack',
      mount(app) {
        if (built.router) app.use(built.router);
        else logger.info('slack in socket mode: no HTTP route mounted');
      },
      close: stop,
    },
    notifier: built.notifier,
    notifierFor: built.notifierFor,
    async start() {
      if (!built.socketMode || started) return;
      await built.app.start();
      started = true;
      logger.info('slack socket mode connected');
    },
    stop,
  };
}
