import { singleAssistant } from '../../../src/app/assistant.js';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChannel } from '../../../src/channels/slack/index.js';
import { loadConfig } from '../../../src/config.js';
import { PtsmError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { tempDir } from '../../helpers/files.js';
import { startHarness, type Harness } from './harness.js';
import { TEAM_ID } from './fake-slack-api.js';
import { mention, message, nextTs, sendEvent } from './slack-requests.js';

/** A working group's channel bound to its own comptes rendus, private to it. */
const SCOPES = JSON.stringify([{ platform: 'slack', channel: 'C01GTLOG', private: true, include: ['docs/comptes-rendus/**'] }]);

let h: Harness;
beforeAll(async () => { h = await startHarness({ dataFiles: { 'scopes.json': SCOPES } }); });
afterAll(async () => { await h.close(); });

async function ask(channel: string, text: string): Promise<string> {
  const ev = mention(channel, 'U01MARIE', text);
  await sendEvent(h.url, ev);
  const reply = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['channel'] === channel && c.body['thread_ts'] === ev.ts);
  return JSON.stringify(reply.body['blocks']);
}

describe('Slack channel scopes', () => {
  it('passes the channel to the core: a private channel’s documents are quoted there, not elsewhere', async () => {
    const inside = await ask('C01GTLOG', 'Quand se tiendra le prochain COPIL ?');
    expect(inside).toContain('22 septembre 2026');
    expect(inside).toContain('cr-copil-2026-03-10.md');
    const outside = await ask('C07AUTRE', 'Quand se tiendra le prochain COPIL ?');
    expect(outside).not.toContain('22 septembre 2026');
    expect(outside).not.toContain('cr-copil-2026-03-10.md');
  });

  it('keeps a private channel’s documents out of the AI panel, even opened beside that channel', async () => {
    const thread = nextTs();
    await sendEvent(h.url, {
      type: 'assistant_thread_started', event_ts: nextTs(),
      assistant_thread: { user_id: 'U01MARIE', context: { channel_id: 'C01GTLOG', team_id: TEAM_ID }, channel_id: 'D01MARIE', thread_ts: thread },
    });
    const q = message('D01MARIE', 'U01MARIE', 'Quand se tiendra le prochain COPIL ?', { thread_ts: thread, channel_type: 'im' });
    await sendEvent(h.url, q);
    const reply = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['channel'] === 'D01MARIE' && c.body['thread_ts'] === thread);
    const shown = JSON.stringify(reply.body);
    expect(shown).not.toContain('22 septembre 2026');
    expect(shown).not.toContain('cr-copil-2026-03-10.md');
  });
});

describe('Slack channel configuration errors', () => {
  const base = (dataDir: string, extra: Record<string, string> = {}) => loadConfig({ PTSM_DATA_DIR: dataDir, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ...extra });
  const assistant = {} as never;

  it('names scopes.json when it is invalid', () => {
    const t = tempDir();
    fs.writeFileSync(path.join(t.dir, 'scopes.json'), JSON.stringify([{ platform: 'slack', channel: 'C1' }]));
    try {
      expect(() => createSlackChannel({ config: base(t.dir), logger: silentLogger, assistants: singleAssistant(assistant) })).toThrow(/scopes\.json/);
    } finally { t.cleanup(); }
  });

  it('refuses to start without a bot token, or without a signing secret in HTTP mode, in French', () => {
    const t = tempDir();
    try {
      const noToken = loadConfig({ PTSM_DATA_DIR: t.dir, SLACK_SIGNING_SECRET: 's' });
      const e1 = (() => { try { createSlackChannel({ config: noToken, logger: silentLogger, assistants: singleAssistant(assistant) }); } catch (e) { return e; } return null; })();
      expect(e1).toBeInstanceOf(PtsmError);
      expect((e1 as PtsmError).input).toBe('SLACK_BOT_TOKEN');
      const noSecret = loadConfig({ PTSM_DATA_DIR: t.dir, SLACK_BOT_TOKEN: 'xoxb-1' });
      expect(() => createSlackChannel({ config: noSecret, logger: silentLogger, assistants: singleAssistant(assistant) })).toThrow(/SLACK_SIGNING_SECRET est manquant/);
      // Socket Mode needs no signing secret, and mounts no HTTP route.
      const socket = createSlackChannel({ config: loadConfig({ PTSM_DATA_DIR: t.dir, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }), logger: silentLogger, assistants: singleAssistant(assistant) });
      const routes: unknown[] = [];
      socket.mount.mount({ use: (r: unknown) => routes.push(r) } as never);
      expect(routes).toEqual([]);
      void socket.stop();
    } finally { t.cleanup(); }
  });
});
