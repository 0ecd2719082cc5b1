import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { ACTIONS } from '../../src/channels/slack/ids.js';
import { readSnapshot } from '../../src/search/snapshot.js';
import { serve, type RunningServer } from '../../src/server/serve.js';
import { FakeSlackApi, type RecordedCall } from '../channels/slack/fake-slack-api.js';
import { SIGNING_SECRET, blockAction, mention, sendCommand, sendEvent, sendPayload } from '../channels/slack/slack-requests.js';
import { CHANNEL, CLAIRE, GROUP_CHAT, HUGO, INES, cardSubmit, message as teamsMessage } from '../channels/teams/activities.js';
import { startFakeConnector, type FakeConnector } from '../channels/teams/fake-connector.js';
import { tempDir, write } from '../helpers/files.js';
import { TERRITORY_A, TERRITORY_B, indexTwoTerritories, type SampleTerritory } from '../helpers/territories.js';

/**
 * `ptsm serve` over a data directory of two territories, crossed from every
 * side: Slack (signed HTTP against the fake Web API), Teams (the fake Bot
 * Framework connector), the web console, and the reminders (nudges and each
 * territory's digest). A conversation of one territory never gets a byte of
 * the other's; a conversation of none gets the notice and nothing else.
 */
/** The notice's words without its apostrophe (escaped in HTML). */
const NO_TERRITORY = 'rattaché à aucun territoire : demandez à la coordination';
const SLACK_CHANNEL: Record<string, string> = { '79': 'C079GT', '86': 'C086GT' };
const SLACK_DIGEST: Record<string, string> = { '79': 'C079COORD', '86': 'C086COORD' };
const SLACK_PILOT: Record<string, string> = { '79': TERRITORY_A.pilotSlack, '86': TERRITORY_B.pilotSlack };
const WEB_USER: Record<string, string> = { '79': 'alice', '86': 'bruno' };
const TEAMS_CONVERSATION: Record<string, string> = { '79': CHANNEL.id, '86': GROUP_CHAT };
const TEAMS_WHERE = { '79': { kind: 'channel' as const }, '86': { kind: 'groupChat' as const } };

let tmp: { dir: string; cleanup: () => void };
let fake: FakeSlackApi;
let connector: FakeConnector;
let server: RunningServer;
const docIds: Record<string, string[]> = {};

/** Nothing of `other`: neither its files, nor its pilot, fiche, report, milestone or decision. */
function crossings(other: SampleTerritory, body: string): string[] {
  const text = body.replace(/\r\n[ \t]/g, '');
  return [other.folder, other.pilot, other.fiche, other.copil, other.milestone, other.decision].filter((m) => text.includes(m));
}

beforeAll(async () => {
  tmp = tempDir();
  await indexTwoTerritories(tmp.dir);
  const dataDir = path.join(tmp.dir, 'data');
  for (const t of [TERRITORY_A, TERRITORY_B]) {
    docIds[t.id] = readSnapshot(path.join(dataDir, 'territories', t.id))!.manifest.documents.map((d) => d.id);
  }
  write(dataDir, 'territories.json', JSON.stringify({
    territories: Object.fromEntries([TERRITORY_A, TERRITORY_B].map((t) => [t.id, {
      name: t === TERRITORY_A ? 'Deux-Sèvres' : 'Vienne',
      slack: { channels: [SLACK_CHANNEL[t.id]] },
      teams: { conversations: [TEAMS_CONVERSATION[t.id]] },
      web: { users: [WEB_USER[t.id]] },
      digest: { slack: SLACK_DIGEST[t.id] },
    }])),
  }));
  fake = await FakeSlackApi.start();
  connector = await startFakeConnector();
  const config = loadConfig({
    PTSM_DATA_DIR: dataDir, PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url,
    TEAMS_ALLOW_UNAUTHENTICATED: 'true', PTSM_WEB_AUTH_HEADER: 'X-Forwarded-User',
  });
  // Tuesday 17 December 2030, 10:00 in Paris: this week's digest is due, and the J-14 nudges of the « fin 2030 » milestones.
  server = await serve({ config, logger: silentLogger, tickMs: 100, clock: () => new Date('2030-12-17T09:00:00Z') });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await connector?.close();
  tmp?.cleanup();
});

const pairs: Array<[SampleTerritory, SampleTerritory]> = [[TERRITORY_A, TERRITORY_B], [TERRITORY_B, TERRITORY_A]];

async function slackMention(channel: string, text: string): Promise<RecordedCall> {
  const ev = mention(channel, 'U0MEMBRE', text);
  await sendEvent(server.url, ev);
  return fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['channel'] === channel && c.body['thread_ts'] === ev.ts);
}

async function slackCommand(channel: string, text: string): Promise<string> {
  const id = `cmd-${Math.random().toString(36).slice(2)}`;
  await sendCommand(server.url, { text, user_id: 'U0MEMBRE', channel_id: channel, response_url: fake.responseUrl(id) });
  await fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id));
  await new Promise((r) => setTimeout(r, 50));
  return JSON.stringify(fake.calls.filter((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id)).map((c) => c.body));
}

async function teamsAsk(activity: Record<string, unknown>): Promise<string> {
  connector.reset();
  const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  expect(res.status).toBeLessThan(300);
  await connector.waitForSent(1);
  await new Promise((r) => setTimeout(r, 100));
  return JSON.stringify(connector.sent().map((c) => c.activity));
}

async function web(user: string, p: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${p}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'X-Forwarded-User': user, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

describe('ptsm serve with two territories', () => {
  it('runs one runtime per territory, each over its own data directory', () => {
    expect([...server.territories.keys()]).toEqual(['79', '86']);
    expect(server.territories.get('79')!.kb.manifest.documents.every((d) => d.source.startsWith('corpus-79/'))).toBe(true);
    expect(server.territories.get('86')!.kb.manifest.documents.every((d) => d.source.startsWith('corpus-86/'))).toBe(true);
  });

  for (const [t, other] of pairs) {
    it(`Slack: in ${t.id}'s channel, answers and commands never cite ${other.id}`, async () => {
      const channel = SLACK_CHANNEL[t.id]!;
      const own = await slackMention(channel, 'Qui pilote la fiche pair-aidance ?');
      expect(JSON.stringify(own.body)).toContain(t.pilot);
      for (const q of ['Qui pilote la fiche pair-aidance ?', `Que fait la ${other.marker} pédagogique ?`, `Qui est ${other.pilot} ?`, 'Qu’a décidé le COPIL de mars 2026 ?']) {
        const reply = await slackMention(channel, q);
        expect(crossings(other, JSON.stringify(reply.body)), q).toEqual([]);
      }
      const fiches = await slackCommand(channel, 'fiches');
      expect(fiches).toContain(t.fiche);
      for (const text of ['fiches', 'fiche 4', `question Qui pilote la fiche pair-aidance ?`]) expect(crossings(other, await slackCommand(channel, text)), text).toEqual([]);
    }, 60_000);

    it(`Teams: in ${t.id}'s conversation, answers never cite ${other.id}`, async () => {
      const own = await teamsAsk(teamsMessage(connector.url, INES, 'Qui pilote la fiche pair-aidance ?', TEAMS_WHERE[t.id as '79' | '86']));
      expect(own).toContain(t.pilot);
      expect(crossings(other, own)).toEqual([]);
      const foreign = await teamsAsk(teamsMessage(connector.url, HUGO, `Qui est ${other.pilot} ?`, TEAMS_WHERE[t.id as '79' | '86']));
      expect(crossings(other, foreign)).toEqual([]);
    }, 60_000);

    it(`web console: a user of ${t.id} cannot list, open or search ${other.id}'s documents`, async () => {
      const user = WEB_USER[t.id]!;
      const list = await web(user, '/api/documents');
      expect(list.status).toBe(200);
      expect(list.text).toContain(t.folder);
      expect(crossings(other, list.text)).toEqual([]);
      for (const id of docIds[other.id]!) {
        expect((await web(user, `/api/documents/${id}/raw`)).status).toBe(404);
        expect((await web(user, `/api/documents/${id}/passages`)).status).toBe(404);
      }
      expect((await web(user, `/api/documents/${docIds[t.id]![0]}/raw`)).status).toBe(200);
      const ask = await web(user, '/api/ask', { question: 'Qui pilote la fiche pair-aidance ?' });
      expect(ask.text).toContain(t.pilot);
      expect(crossings(other, ask.text)).toEqual([]);
      for (const p of ['/api/fiches', '/api/milestones', '/api/milestones.ics', '/api/milestones.csv', '/api/bilan/2026', '/api/bilan/2026.csv']) {
        const r = await web(user, p);
        expect(r.status, p).toBe(200);
        expect(crossings(other, r.text), p).toEqual([]);
      }
      expect((await web(user, '/api/fiches')).text).toContain(t.fiche);
    }, 60_000);
  }

  it('a conversation of no territory gets the notice, and no content', async () => {
    const reply = await slackMention('C0NULLEPART', 'Qui pilote la fiche pair-aidance ?');
    const text = JSON.stringify(reply.body);
    expect(text).toContain(NO_TERRITORY);
    expect(crossings(TERRITORY_A, text)).toEqual([]);
    expect(crossings(TERRITORY_B, text)).toEqual([]);
    const command = await slackCommand('C0NULLEPART', 'fiches');
    expect(command).toContain(NO_TERRITORY);
    expect(crossings(TERRITORY_A, command)).toEqual([]);
    expect(crossings(TERRITORY_B, command)).toEqual([]);

    const teams = await teamsAsk(teamsMessage(connector.url, CLAIRE, 'Qui pilote la fiche pair-aidance ?', { kind: 'personal' }));
    expect(teams).toContain(NO_TERRITORY);
    expect(crossings(TERRITORY_A, teams)).toEqual([]);
    expect(crossings(TERRITORY_B, teams)).toEqual([]);

    for (const p of ['/api/documents', '/api/fiches', `/api/documents/${docIds['79']![0]}/raw`, '/']) {
      const r = await web('zoe', p);
      expect(r.status, p).toBe(403);
      expect(r.text, p).toContain(NO_TERRITORY);
      expect(crossings(TERRITORY_A, r.text)).toEqual([]);
      expect(crossings(TERRITORY_B, r.text)).toEqual([]);
    }
  }, 60_000);

  it('reminders: each territory nudges its own pilots and sends its digest to its own channel, never the other’s milestones', async () => {
    for (const [t, other] of pairs) {
      const digest = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['channel'] === SLACK_DIGEST[t.id], 20_000);
      const text = JSON.stringify(digest.body);
      expect(text).toContain('pairs-aidants');
      expect(crossings(other, text)).toEqual([]);
      const nudge = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['channel'] === SLACK_PILOT[t.id] && JSON.stringify(c.body).includes(t.milestone), 20_000);
      expect(JSON.stringify(nudge.body)).toContain(t.milestone);
      expect(crossings(other, JSON.stringify(nudge.body))).toEqual([]);
    }
    // The pilot of 86 answers « fait » from their DM (a conversation of no territory): the nudge names its territory.
    const nudge = fake.callsTo('chat.postMessage').find((c) => c.body['channel'] === SLACK_PILOT['86'] && JSON.stringify(c.body).includes(TERRITORY_B.milestone))!;
    const blocks = (typeof nudge.body['blocks'] === 'string' ? JSON.parse(nudge.body['blocks']) : nudge.body['blocks']) as Array<{ type: string; block_id?: string; elements?: Array<{ action_id: string; value: string }> }>;
    const actions = blocks.find((b) => b.type === 'actions')!;
    const fait = actions.elements!.find((e) => e.action_id === ACTIONS.nudgeFait)!;
    const payload = blockAction({ actionId: ACTIONS.nudgeFait, value: fait.value, user: SLACK_PILOT['86']!, channel: 'D0BARNABE', messageTs: '1781000000.000100', responseUrl: fake.responseUrl('nudge-86') });
    (payload['actions'] as Array<Record<string, unknown>>)[0]!['block_id'] = actions.block_id;
    await sendPayload(server.url, payload);
    await fake.waitFor((c) => c.method === 'chat.update' || (c.method === 'response_url' && String(c.body['path']).endsWith('nudge-86')));
    const done = (id: string) => server.territories.get(id)!.assistant.listMilestones().filter((m) => m.status === 'fait').map((m) => m.label);
    expect(done('86')).toEqual([expect.stringContaining('Formation des pairs-aidants')]);
    expect(done('79')).toEqual([]);

    // Without its territory, the same answer from a 1:1 chat reaches no territory.
    const anonymous = await teamsAsk(cardSubmit(connector.url, CLAIRE, 'carte-relance', { ptsm: 'nudge', action: 'fait', milestoneId: 'fa-4#premier-bilan' }));
    expect(anonymous).toContain(NO_TERRITORY);
    expect(done('79')).toEqual([]);
    // Teams: a nudge card answered from a 1:1 chat names its territory; both territories have a milestone « fa-4#premier-bilan ».
    const submit = cardSubmit(connector.url, CLAIRE, 'carte-relance-79', { ptsm: 'nudge', action: 'fait', milestoneId: 'fa-4#premier-bilan', territory: '79' });
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submit) });
    expect(res.status).toBeLessThan(300);
    for (let i = 0; i < 100 && !done('79').length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(done('79')).toEqual(['Premier bilan']);
    expect(done('86')).toEqual([expect.stringContaining('Formation des pairs-aidants')]);
  }, 60_000);
});

describe('ptsm serve refuses a territories.json it cannot trust', () => {
  it('names the file and the bad entry', async () => {
    const t = tempDir();
    try {
      await indexTwoTerritories(t.dir);
      const dataDir = path.join(t.dir, 'data');
      const config = loadConfig({ PTSM_DATA_DIR: dataDir, PORT: '0' });
      const file = path.join(dataDir, 'territories.json');
      fs.writeFileSync(file, JSON.stringify({ territories: { '79': { slack: { channels: 'C079GT' } } } }));
      await expect(serve({ config, logger: silentLogger, tickMs: 0 })).rejects.toThrow(`Fichier des territoires invalide : ${file}, entrée territories.79.slack.channels : valeur de type inattendu (attendu : une liste)`);
      fs.writeFileSync(file, JSON.stringify({ territories: { '79': { slack: { channels: ['C1'] } }, '86': { slack: { channels: ['C1'] } } } }));
      await expect(serve({ config, logger: silentLogger, tickMs: 0 })).rejects.toThrow('le canal Slack « C1 » est rattaché à deux territoires (79 et 86)');
      fs.writeFileSync(file, JSON.stringify({ territories: { '17': {} } }));
      await expect(serve({ config, logger: silentLogger, tickMs: 0 })).rejects.toThrow('territoire « 17 » : aucun dossier');
      fs.writeFileSync(file, JSON.stringify({ territories: { 'ght sud': {} } }));
      await expect(serve({ config, logger: silentLogger, tickMs: 0 })).rejects.toThrow("entrée territories.ght sud : identifiant de territoire invalide");
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
