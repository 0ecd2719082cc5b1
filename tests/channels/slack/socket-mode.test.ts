import { singleAssistant } from '../../../src/app/assistant.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type AssistantRuntime } from '../../../src/app/create-assistant.js';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack/index.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/core/logger.js';
import { MINI_PTSM, buildKb } from '../../helpers/kb.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { FakeSocketMode } from './fake-socket-mode.js';
import { eventBody, mention } from './slack-requests.js';

/** Socket Mode: no public URL; the app connects out, receives envelopes, acknowledges them over the socket. */
let fake: FakeSlackApi;
let socket: FakeSocketMode;
let runtime: AssistantRuntime;
let slack: SlackChannel;
let cleanup: () => void;

beforeAll(async () => {
  const kb = await buildKb(MINI_PTSM);
  cleanup = kb.cleanup;
  fake = await FakeSlackApi.start();
  socket = await FakeSocketMode.start();
  fake.socketUrl = socket.url;
  fake.setUser('U01MARIE', { name: 'marie', realName: 'Marie Durand' });
  const config = loadConfig({ PTSM_DATA_DIR: kb.dataDir, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: fake.url });
  runtime = await createAssistant({ config, logger: silentLogger });
  slack = createSlackChannel({ config, logger: silentLogger, assistants: singleAssistant(runtime.assistant), retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 20 } });
  await slack.start();
  await socket.whenConnected();
});
afterAll(async () => {
  await slack.stop();
  runtime.close();
  await socket.close();
  await fake.close();
  cleanup();
});

describe('Slack Socket Mode', () => {
  it('connects with the app token through apps.connections.open', () => {
    const open = fake.callsTo('apps.connections.open')[0]!;
    expect(open.headers['authorization']).toBe('Bearer xapp-test');
    expect(socket.connected).toBe(true);
  });

  it('acknowledges an event envelope and answers the mention in its thread', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', 'Qui pilote la fiche logement accompagné ?');
    const ack = await socket.push('events_api', JSON.parse(eventBody(ev)) as Record<string, unknown>);
    expect(Object.keys(ack)).toContain('envelope_id');
    const reply = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['thread_ts'] === ev.ts);
    expect(String(reply.body['text'])).toContain('Hugo Lemaire');
  });

  it('acknowledges a slash command envelope and answers /ptsm fiche 7 through the response_url', async () => {
    const ack = await socket.push('slash_commands', {
      token: 't', team_id: 'T0PTSM', channel_id: 'C01GTLOG', user_id: 'U01MARIE', command: '/ptsm', text: 'fiche 7',
      response_url: fake.responseUrl('sock-cmd'), trigger_id: 'tr', api_app_id: 'A0PTSM',
    });
    expect(ack['envelope_id']).toBeTruthy();
    const reply = await fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('sock-cmd'));
    expect(JSON.stringify(reply.body['blocks'])).toContain('Logement accompagné');
  });
});
