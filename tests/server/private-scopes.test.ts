import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { readSnapshot } from '../../src/search/snapshot.js';
import { serve, type RunningServer } from '../../src/server/serve.js';
import { FakeSlackApi } from '../channels/slack/fake-slack-api.js';
import { SIGNING_SECRET, mention, sendCommand, sendEvent } from '../channels/slack/slack-requests.js';
import { MINI_PTSM } from '../helpers/kb.js';
import { tempDir, write } from '../helpers/files.js';

/**
 * Private scopes crossed from every other side, through the front doors:
 * `ptsm serve` (Slack over signed HTTP against the fake Slack Web API, and the
 * web console over HTTP, on one port) and the real CLI. Two private scopes:
 * a Slack working group (a brace pattern over two folders) and a web-only
 * direction folder. The corpus is indexed from inside corpus/ — so the paths
 * the indexer records are not the ones the patterns are written against.
 */
const PRIVATE_FILES: Record<string, string> = {
  'corpus/gt-logement/fa17-colocations.md': [
    '# Fiche action n° 17 — Colocations Zéphyrine pour les sortants d’hospitalisation', '',
    '## Axe', '', 'Axe 3 — Logement et hébergement', '',
    '## Constat', '', 'Les sortants d’hospitalisation psychiatrique du secteur de Brévannes manquent d’hébergement d’urgence.', '',
    '## Pilote(s)', '', 'Mme Inès Caradec, directrice du GEM La Boussole', '',
    '## Calendrier', '', '- Signature de la convention avec le bailleur : T3 2026', '',
    '## Financement', '', 'Crédits ARS : 93 417 € par an.',
  ].join('\n'),
  'corpus/gt-crise/cr-cellule-crise-2026-02-12.md': [
    '# Compte rendu de la cellule de crise du 12 février 2026', '',
    '## Relevé de décisions', '',
    '- La cellule de crise active le protocole Quinsac pour les urgences psychiatriques de nuit.',
    '- Astreinte renforcée au CMP de Brévannes jusqu’au 30 avril 2026.',
  ].join('\n'),
  'corpus/direction/note-direction-recrutement.md': [
    '# Note de la direction sur le recrutement', '',
    'Le poste de coordinateur adjoint du PTSM sera confié à M. Oustalet à compter du 1er mars 2026.',
  ].join('\n'),
};

/** Words only the private documents hold: none may reach another channel. */
const SLACK_GROUP_MARKERS = ['Zéphyrine', 'Brévannes', 'Quinsac', '93 417', 'fa17-colocations', 'cr-cellule-crise'];
const DIRECTION_MARKERS = ['Oustalet', 'note-direction-recrutement'];
const ALL_MARKERS = [...SLACK_GROUP_MARKERS, ...DIRECTION_MARKERS];

const SCOPES = {
  coordinators: [{ platform: 'web', user: 'claire' }, { platform: 'slack', user: 'U0COORD' }],
  scopes: [
    { platform: 'slack', channel: 'C0GTLOG', private: true, include: ['corpus/{gt-logement,gt-crise}/**'] },
    { platform: 'web', channel: 'direction', private: true, include: ['corpus/direction/**'], users: ['marie'] },
  ],
};

/** Questions that reach each private document without naming any marker. */
const QUESTIONS = [
  'Qui pilote la fiche sur les colocations pour les sortants d’hospitalisation ?',
  'Qui pilote la fiche sur l’hébergement d’urgence ?',
  'Quel est le budget de la fiche 17 ?',
  'Quel protocole la cellule de crise active-t-elle pour les urgences psychiatriques de nuit ?',
  'Qui sera le coordinateur adjoint du PTSM ?',
];

let tmp: { dir: string; cleanup: () => void };
let dataDir: string;
let fake: FakeSlackApi;
let server: RunningServer;
let docIds: Record<string, string>;

/** Folded ICS lines and JSON escapes must not hide a marker. */
const normalise = (s: string): string => s.replace(/\r\n[ \t]/g, '').replace(/\u202f|\u00a0/g, ' ');

function leaked(body: string, markers = ALL_MARKERS): string[] {
  const text = normalise(body);
  return markers.filter((m) => text.includes(m));
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { cwd, env: { PTSM_DATA_DIR: dataDir }, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

beforeAll(async () => {
  tmp = tempDir();
  for (const [rel, content] of Object.entries(MINI_PTSM)) write(tmp.dir, rel.replace(/^docs\//, 'corpus/public/'), content);
  for (const [rel, content] of Object.entries(PRIVATE_FILES)) write(tmp.dir, rel, content);
  dataDir = path.join(tmp.dir, 'data');
  // Indexed from inside corpus/: sources are "gt-logement/…", the patterns say "corpus/gt-logement/…".
  const indexed = await cli(['index', '.'], path.join(tmp.dir, 'corpus'));
  expect(indexed.code).toBe(0);
  fs.writeFileSync(path.join(dataDir, 'scopes.json'), JSON.stringify(SCOPES));
  fs.writeFileSync(path.join(dataDir, 'annuaire.json'), JSON.stringify([{ name: 'Inès Caradec', organisation: 'GEM La Boussole', slack: 'U03INES', email: 'ines@gem.fr' }]));
  const docs = readSnapshot(dataDir)!.manifest.documents;
  docIds = Object.fromEntries(docs.map((d) => [path.basename(d.source), d.id]));

  fake = await FakeSlackApi.start();
  fake.setUser('U03INES', { name: 'ines', realName: 'Inès Caradec' });
  const config = loadConfig({
    PTSM_DATA_DIR: dataDir, PORT: '0', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url,
    PTSM_WEB_AUTH_HEADER: 'X-Forwarded-User',
  });
  server = await serve({ config, logger: silentLogger, tickMs: 0, clock: () => new Date('2026-02-02T09:00:00Z') });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fake?.close();
  tmp?.cleanup();
});

/** Every Slack request a member can make, from one channel, and what came back through the fake API. */
async function slackRequests(channel: string, user = 'U03INES'): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, q] of QUESTIONS.entries()) {
    const ev = mention(channel, user, q);
    await sendEvent(server.url, ev);
    const reply = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body['channel'] === channel && c.body['thread_ts'] === ev.ts);
    out[`mention ${i + 1}`] = JSON.stringify(reply.body);
  }
  for (const text of ['fiches', 'fiche 17', 'fiche fa-17', 'jalons', `question ${QUESTIONS[0]}`, `question ${QUESTIONS[3]}`]) {
    const id = `cmd-${Math.random().toString(36).slice(2)}`;
    await sendCommand(server.url, { text, user_id: user, channel_id: channel, response_url: fake.responseUrl(id) });
    await fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id));
    await new Promise((r) => setTimeout(r, 50));
    out[`/ptsm ${text}`] = JSON.stringify(fake.calls.filter((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id)).map((c) => c.body));
  }
  return out;
}

async function appHome(user: string): Promise<string> {
  const before = fake.callsTo('views.publish').length;
  await sendEvent(server.url, { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: `${Date.now() / 1000}` });
  for (let i = 0; i < 200 && fake.callsTo('views.publish').length === before; i++) await new Promise((r) => setTimeout(r, 25));
  return JSON.stringify(fake.callsTo('views.publish').at(-1)!.body);
}

/** Every console request that returns content, as one web user. */
async function webRequests(user: string): Promise<Record<string, { status: number; body: string }>> {
  const headers = { 'X-Forwarded-User': user, 'content-type': 'application/json' };
  const get = async (p: string) => {
    const res = await fetch(`${server.url}${p}`, { headers });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()).toString('utf8') };
  };
  const out: Record<string, { status: number; body: string }> = {};
  for (const [i, q] of QUESTIONS.entries()) {
    const res = await fetch(`${server.url}/api/ask`, { method: 'POST', headers, body: JSON.stringify({ question: q }) });
    out[`ask ${i + 1}`] = { status: res.status, body: await res.text() };
  }
  for (const p of ['/api/fiches', '/api/fiches/fa-17/docx', '/api/milestones', '/api/milestones.ics', '/api/milestones.csv', '/api/documents', '/bilan?annee=2026', '/api/bilan/2026', '/api/bilan/2026.csv', '/api/bilan/2026.xlsx']) out[p] = await get(p);
  for (const [name, id] of Object.entries(docIds)) {
    out[`raw ${name}`] = await get(`/api/documents/${id}/raw`);
    out[`passages ${name}`] = await get(`/api/documents/${id}/passages`);
  }
  return out;
}

describe('private scopes, crossed from every other channel', () => {
  it('Slack: from another channel, no answer, command or App Home holds a byte of a private document', async () => {
    const outside = await slackRequests('C07AUTRE');
    for (const [what, body] of Object.entries(outside)) expect(leaked(body), `${what} from C07AUTRE`).toEqual([]);
    expect(outside['/ptsm fiche 17']).toContain('Je ne trouve pas la fiche « 17 »');
    // The pilot of the private fiche opens the App Home: it belongs to no channel.
    expect(leaked(await appHome('U03INES'))).toEqual([]);

    // Inside the working group's channel, the same requests do show its documents (the test can fail), never the direction's.
    const inside = await slackRequests('C0GTLOG');
    expect(inside['/ptsm fiche 17']).toContain('Zéphyrine');
    expect(inside['/ptsm fiches']).toContain('Zéphyrine');
    expect(leaked(inside['/ptsm jalons']!)).toContain('Zéphyrine');
    expect(leaked(inside['mention 4']!)).toContain('Quinsac');
    for (const [what, body] of Object.entries(inside)) expect(leaked(body, DIRECTION_MARKERS), `${what} from C0GTLOG`).toEqual([]);

    // The coordinator sees private fiches where the answer is shown to them alone (an ephemeral /ptsm reply),
    // never in a message posted to another channel.
    const coordinator = await slackRequests('C07AUTRE', 'U0COORD');
    expect(coordinator['/ptsm fiche 17']).toContain('93 417');
    for (let i = 1; i <= QUESTIONS.length; i++) expect(leaked(coordinator[`mention ${i}`]!), `mention ${i} by the coordinator`).toEqual([]);
  }, 120_000);

  it('web console: another user reads nothing private, whatever the route; each scope’s member reads only their own', async () => {
    const stranger = await webRequests('paul');
    for (const [what, r] of Object.entries(stranger)) expect(leaked(r.body), `${what} as paul`).toEqual([]);
    for (const name of ['fa17-colocations.md', 'cr-cellule-crise-2026-02-12.md', 'note-direction-recrutement.md']) {
      expect(stranger[`raw ${name}`]!.status).toBe(404);
      expect(stranger[`passages ${name}`]!.status).toBe(404);
    }
    expect(stranger['/api/fiches/fa-17/docx']!.status).toBe(404);
    // Public documents are still served.
    expect(stranger['raw fa04-pair-aidance.md']!.status).toBe(200);

    const member = await webRequests('marie');
    expect(member['raw note-direction-recrutement.md']!.body).toContain('Oustalet');
    expect(leaked(member['ask 5']!.body)).toContain('Oustalet');
    for (const [what, r] of Object.entries(member)) expect(leaked(r.body, SLACK_GROUP_MARKERS), `${what} as marie`).toEqual([]);

    // The coordinator named in scopes.json sees everything.
    const coordinator = await webRequests('claire');
    expect(coordinator['/api/fiches/fa-17/docx']!.status).toBe(200);
    expect(coordinator['/api/fiches']!.body).toContain('Zéphyrine');
    expect(coordinator['/api/bilan/2026']!.body).toContain('Zéphyrine');
    expect(leaked(coordinator['/api/milestones.ics']!.body)).toContain('Zéphyrine');
    expect(coordinator['raw cr-cellule-crise-2026-02-12.md']!.body).toContain('Quinsac');

    // Writes: another user cannot replace the private fiche; the coordinator's edit keeps it private,
    // and so does its validated copy, indexed as a document of its own.
    const post = (user: string, body: unknown) => fetch(`${server.url}/api/fiches`, { method: 'POST', headers: { 'X-Forwarded-User': user, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const fiche = (JSON.parse(coordinator['/api/fiches']!.body) as { fiches: Array<Record<string, unknown>> }).fiches.find((f) => f['id'] === 'fa-17')!;
    const overwrite = await post('paul', { fiche: { ...fiche, source: null, title: 'Remplacée par Paul' } });
    expect(overwrite.status).toBe(404);
    expect(leaked(await overwrite.text())).toEqual([]);
    const edited = await post('claire', { fiche: { ...fiche, source: null, title: 'Colocations Zéphyrine (version validée)' } });
    expect(edited.status).toBe(201);
    expect(readSnapshot(dataDir)!.manifest.documents.map((d) => d.source)).toContain('fiches-validees/fa-17.md');
    const after = await webRequests('paul');
    for (const [what, r] of Object.entries(after)) expect(leaked(r.body), `${what} as paul, after validation`).toEqual([]);
    expect((await webRequests('claire'))['/api/fiches']!.body).toContain('version validée');
  }, 120_000);

  it('CLI: the operator sees everything; --channel sees what that channel would', async () => {
    const ics = path.join(tmp.dir, 'jalons.ics');
    const asChannel = (channel: string) => [
      ['fiches', '--json', '--channel', channel],
      ['fiche', '17', '--channel', channel],
      ['milestones', '--json', '--channel', channel],
      ['milestones', '--ics', ics, '--channel', channel],
      ...QUESTIONS.flatMap((q) => [['ask', q, '--json', '--channel', channel], ['search', q, '--json', '--k', '10', '--channel', channel]]),
    ];
    for (const args of asChannel('slack:C07AUTRE')) {
      const r = await cli(args, tmp.dir);
      expect(leaked(r.out + r.err + (args.includes('--ics') ? fs.readFileSync(ics, 'utf8') : '')), args.join(' ')).toEqual([]);
    }
    const hidden = await cli(['fiche', '17', '--channel', 'slack:C07AUTRE'], tmp.dir);
    expect(hidden.code).toBe(1);
    expect(hidden.err).toContain('Fiche introuvable : « 17 »');

    // The validated copy of the private fiche (indexed by the web test above) stays out of the other channel's searches.
    const copy = await cli(['search', 'version validée Zéphyrine colocations', '--json', '--k', '20', '--channel', 'slack:C07AUTRE'], tmp.dir);
    expect(copy.out).not.toContain('fiches-validees/fa-17.md');
    expect((await cli(['search', 'version validée Zéphyrine colocations', '--json', '--k', '20'], tmp.dir)).out).toContain('fiches-validees/fa-17.md');

    const group = await cli(['search', QUESTIONS[3]!, '--json', '--channel', 'slack:C0GTLOG'], tmp.dir);
    expect(group.out).toContain('Quinsac');
    const direction = await cli(['ask', QUESTIONS[4]!, '--channel', 'web:direction'], tmp.dir);
    expect(direction.out).toContain('Oustalet');

    const operator = await cli(['fiche', '17'], tmp.dir);
    expect(operator.out).toContain('93 417');
    expect((await cli(['search', QUESTIONS[4]!, '--json'], tmp.dir)).out).toContain('Oustalet');

    const bad = await cli(['fiches', '--channel', 'C07AUTRE'], tmp.dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--channel attend plateforme:canal');
  }, 120_000);
});
