import { singleAssistant } from '../../../src/app/assistant.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Assistant, AskRequest } from '../../../src/app/assistant.js';
import { createAssistant, type AssistantRuntime } from '../../../src/app/create-assistant.js';
import { createTeamsChannel, type TeamsChannelOptions } from '../../../src/channels/teams/index.js';
import type { TeamsNotifier } from '../../../src/channels/teams/notifier.js';
import { loadConfig, type AppConfig } from '../../../src/config.js';
import type { Thread } from '../../../src/core/fiche.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import { createHttpApp, listen } from '../../../src/server/http.js';
import { buildKb, MINI_PTSM } from '../../helpers/kb.js';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';

/**
 * The real assistant over an indexed temp corpus, the Teams channel on a real
 * HTTP server on 127.0.0.1, and a fake Bot Framework connector that records
 * what the bot sends. Calls to the assistant are recorded, not replaced.
 */
export interface LogLine { level: string; msg: string; [k: string]: unknown }

export interface Harness {
  url: string;
  connector: FakeConnector;
  runtime: AssistantRuntime;
  assistant: Assistant;
  config: AppConfig;
  notifier: TeamsNotifier;
  logs: LogLine[];
  logger: Logger;
  asked: AskRequest[];
  drafted: Thread[];
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  postRaw(body: string, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  /** A second channel instance on the same data (a restart), served on its own port. */
  restart(): Promise<{ url: string; post: Harness['post']; close: () => Promise<void> }>;
  close(): Promise<void>;
}

export const CLOCK = () => new Date('2026-04-01T08:00:00.000Z');

export interface HarnessOptions {
  env?: Record<string, string>;
  channel?: Partial<Omit<TeamsChannelOptions, 'config' | 'logger' | 'assistant'>>;
  clock?: () => Date;
  /** Extra files in the data directory (annuaire.json, scopes.json…). */
  dataFiles?: Record<string, string>;
}

async function postTo(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* keep the text */ }
  return { status: res.status, body: parsed };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const kb = await buildKb(MINI_PTSM);
  for (const [name, content] of Object.entries(opts.dataFiles ?? {})) fs.writeFileSync(path.join(kb.dataDir, name), content);
  const logs: LogLine[] = [];
  const logger = createLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine));
  const config = loadConfig({ PTSM_DATA_DIR: kb.dataDir, TEAMS_ALLOW_UNAUTHENTICATED: 'true', ...opts.env }, { cwd: kb.dir });
  const clock = opts.clock ?? CLOCK;
  const runtime = await createAssistant({ config, logger, clock });
  const asked: AskRequest[] = [];
  const drafted: Thread[] = [];
  const real = runtime.assistant;
  const assistant: Assistant = {
    ...real,
    ask: (req) => { asked.push(req); return real.ask(req); },
    draftFromThread: (thread) => { drafted.push(thread); return real.draftFromThread(thread); },
  };
  const connector = await startFakeConnector();

  const serve = async () => {
    // Teams' pace (one stream update a second) would only slow the tests down.
    const channel = createTeamsChannel({ config, logger, assistants: singleAssistant(assistant), clock, streamDelayMs: 5, ...opts.channel });
    const app = createHttpApp([channel.mount], logger);
    const server = await listen(app, 0, '127.0.0.1');
    return { channel, server };
  };
  const { channel, server } = await serve();
  const extra: Array<() => Promise<void>> = [];

  return {
    url: server.url, connector, runtime, assistant, config, notifier: channel.notifier, logs, logger, asked, drafted,
    post: (activity, headers) => postTo(server.url, JSON.stringify(activity), headers),
    postRaw: (body, headers) => postTo(server.url, body, headers),
    async restart() {
      const second = await serve();
      const close = async () => { await second.server.close(); await second.channel.mount.close?.(); };
      extra.push(close);
      return { url: second.server.url, post: (a, h) => postTo(second.server.url, JSON.stringify(a), h), close };
    },
    async close() {
      for (const c of extra) await c().catch(() => undefined);
      await server.close();
      await channel.mount.close?.();
      await connector.close();
      runtime.close();
      kb.cleanup();
    },
  };
}

/** The Adaptive Card of a sent activity, if any. */
export function cardOf(activity: Record<string, unknown>): Record<string, unknown> | null {
  const atts = activity.attachments as Array<{ contentType: string; content: Record<string, unknown> }> | undefined;
  const a = atts?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');
  return a ? a.content : null;
}

/** Every text of a card (TextBlocks, facts, action titles), for content assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof o[key] === 'string') out.push(o[key] as string);
    for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return out.join('\n');
}

/** Action.Submit data of a card, in order (ShowCard sub-cards included). */
export function submitData(card: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Submit' && o.data && typeof o.data === 'object') out.push(o.data as Record<string, unknown>);
    for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return out;
}

/** The `streaminfo` entity of a streamed activity (Teams' streaming protocol), if any. */
export function streamInfo(activity: Record<string, unknown>): Record<string, unknown> | null {
  const entities = (activity.entities ?? []) as Array<Record<string, unknown>>;
  return entities.find((e) => e.type === 'streaminfo') ?? null;
}

/** The citations Teams shows on a message (schema.org Message entity). */
export function citationEntity(activity: Record<string, unknown>): Array<Record<string, unknown>> {
  const entities = (activity.entities ?? []) as Array<Record<string, unknown>>;
  const m = entities.find((e) => e.type === 'https://schema.org/Message');
  return (m?.citation ?? []) as Array<Record<string, unknown>>;
}
