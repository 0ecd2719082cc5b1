import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { blockAction, eventBody, mention, messageShortcut, post, sendCommand, sendEvent, sendPayload, viewSubmission } from './slack-requests.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

const answerIn = (channel: string, threadTs: string) => (c: { method: string; status: number; body: Record<string, unknown> }) =>
  c.method === 'chat.postMessage' && c.status === 200 && c.body['channel'] === channel && c.body['thread_ts'] === threadTs;

describe('Slack: requests that must be refused', () => {
  it('refuses a bad signature (401) and never reaches a listener', async () => {
    const ev = mention('C01GTLOG', 'U01MARIE', 'Qui pilote la fiche pair-aidance ?');
    const res = await sendEvent(h.url, ev, { badSignature: true });
    expect(res.status).toBe(401);
    const other = await sendEvent(h.url, ev, { secret: 'not-the-secret' });
    expect(other.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.calls.some((c) => c.body['thread_ts'] === ev.ts || c.body['timestamp'] === ev.ts)).toBe(false);
  });

  it('refuses a timestamp more than 5 minutes away either way, even correctly signed (401), and accepts 4 minutes', async () => {
    const now = () => Math.floor(Date.now() / 1000);
    const challenge = (c: string) => JSON.stringify({ token: 't', challenge: c, type: 'url_verification' });
    // 6 minutes old (a replay) and 6 minutes ahead (a request that would stay "fresh" for 11 minutes).
    for (const skew of [-6 * 60, 6 * 60]) {
      const ev = mention('C01GTLOG', 'U01MARIE', 'Bonjour');
      const res = await sendEvent(h.url, ev, { timestamp: now() + skew });
      expect(res.status, `skew ${skew} s`).toBe(401);
      expect((await post(h.url, challenge(`defi${skew}`), 'application/json', { timestamp: now() + skew })).status).toBe(401);
      await new Promise((r) => setTimeout(r, 100));
      expect(h.fake.calls.some((c) => c.body['thread_ts'] === ev.ts || c.body['timestamp'] === ev.ts)).toBe(false);
    }
    expect(h.logged('timestamp more than 5 minutes away').length).toBeGreaterThanOrEqual(2);
    for (const skew of [-4 * 60, 4 * 60]) {
      const res = await post(h.url, challenge(`defi${skew}`), 'application/json', { timestamp: now() + skew });
      expect(res.status, `skew ${skew} s`).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ challenge: `defi${skew}` });
    }
  });

  it('refuses requests without signature headers (401)', async () => {
    const res = await fetch(`${h.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: eventBody(mention('C01GTLOG', 'U01MARIE', 'x')) });
    expect(res.status).toBe(401);
  });

  it('answers 400 to signed malformed JSON, a form without payload, and a payload that is not JSON — without crashing', async () => {
    expect((await post(h.url, '{"type": "event_callback", ', 'application/json')).status).toBe(400);
    expect((await post(h.url, 'foo=bar', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await post(h.url, 'payload=%7Bnot-json', 'application/x-www-form-urlencoded')).status).toBe(400);
    expect((await post(h.url, JSON.stringify({ type: 'event_callback' }), 'application/json')).status).toBe(400);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('acknowledges app_rate_limited notices and logs them', async () => {
    const res = await post(h.url, JSON.stringify({ token: 't', type: 'app_rate_limited', team_id: 'T0PTSM', minute_rate_limited: 1518467820, api_app_id: 'A0PTSM' }), 'application/json');
    expect(res.status).toBe(200);
    expect(h.logged('slack request not dispatched').some((l) => String(l['reason']).includes('rate-limiting'))).toBe(true);
  });
});

describe('Slack: unknown ids are acknowledged, logged, never a crash', () => {
  it('an unknown button gets a 200 at once, a log line and a French private note', async () => {
    const res = await sendPayload(h.url, blockAction({ actionId: 'ancien_bouton', value: 'x', user: 'U01MARIE', channel: 'C01GTLOG', messageTs: '1.1', responseUrl: h.fake.responseUrl('unk-action') }));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2500);
    const note = await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('unk-action'));
    expect(String(note.body['text'])).toContain("n'est plus pris en charge");
    expect(h.logged('unknown slack action').at(-1)).toMatchObject({ action: 'ancien_bouton' });
  });

  it('an unknown shortcut, modal and command are acknowledged too', async () => {
    const sc = await sendPayload(h.url, messageShortcut({ user: 'U01MARIE', channel: 'C01GTLOG', messageTs: '1.1', responseUrl: h.fake.responseUrl('unk-sc'), callbackId: 'autre_raccourci' }));
    expect(sc.status).toBe(200);
    await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith('unk-sc'));
    const view = await sendPayload(h.url, viewSubmission({ callbackId: 'vieux_formulaire', user: 'U01MARIE', privateMetadata: '', values: {} }));
    expect(view.status).toBe(200);
    expect(h.logged('unknown slack view submission').at(-1)).toMatchObject({ callbackId: 'vieux_formulaire' });
    const cmd = await sendCommand(h.url, { text: '', user_id: 'U01MARIE', channel_id: 'C01GTLOG', response_url: h.fake.responseUrl('unk-cmd'), command: '/autre' });
    expect(cmd.status).toBe(200);
    expect(JSON.parse(cmd.text).text).toContain('/ptsm aide');
    // A modal for a draft that does not exist: a French error under the field, no crash.
    const ghost = await sendPayload(h.url, viewSubmission({ callbackId: 'ptsm_fiche_edit_modal', user: 'U01MARIE', privateMetadata: '{"draftId":"dnope"}', values: {} }));
    expect(JSON.parse(ghost.text).errors.f_title).toContain('n’existe plus');
    const button = await sendPayload(h.url, blockAction({ actionId: 'ptsm_fiche_validate', value: 'dnope', user: 'U01MARIE', channel: 'C01GTLOG', messageTs: '1.1', responseUrl: h.fake.responseUrl('ghost') }));
    expect(button.status).toBe(200);
    expect(String((await h.fake.waitFor((c) => String(c.body['path']).endsWith('/ghost'))).body['text'])).toContain('introuvable');
  });
});

describe('Slack Web API failures', () => {
  it('429 with Retry-After: the WebClient waits, retries, and the answer still arrives', async () => {
    h.fake.fail('chat.postMessage', 429, 1, 1);
    const ev = mention('C01GTLOG', 'U01MARIE', 'Qui pilote la fiche logement accompagné ?');
    const t0 = Date.now();
    await sendEvent(h.url, ev);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts), 15_000);
    const limited = h.fake.calls.find((c) => c.method === 'chat.postMessage' && c.status === 429 && c.body['thread_ts'] === ev.ts)!;
    expect(limited).toBeDefined();
    expect(reply.at - limited.at).toBeGreaterThanOrEqual(900);
    expect(reply.at - t0).toBeGreaterThanOrEqual(900);
    expect(String(reply.body['text'])).toContain('Hugo Lemaire');
  });

  it('500 until the retries run out: logged, the process stays up, the next question is answered', async () => {
    h.fake.fail('chat.postMessage', 500, 3);
    const ev = mention('C01GTLOG', 'U01MARIE', 'Quand est le prochain COPIL ?');
    const res = await sendEvent(h.url, ev);
    expect(res.status).toBe(200);
    for (let i = 0; i < 100 && !h.logged('slack answer could not be posted').length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(h.logged('slack answer could not be posted').at(-1)).toMatchObject({ level: 'error', error: 'HTTP 500' });
    const next = mention('C01GTLOG', 'U01MARIE', 'Quand est le prochain COPIL ?');
    await sendEvent(h.url, next);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', next.ts));
    expect(String(reply.body['text'])).toContain('22 septembre 2026');
  });

  it('a failing reaction or users.info does not prevent the answer', async () => {
    h.fake.fail('reactions.add', 500, 3);
    h.fake.refuse('users.info', 'ratelimited');
    const ev = mention('C01GTLOG', 'U02PAUL', 'Que veut dire CPTS ?');
    await sendEvent(h.url, ev);
    const reply = await h.fake.waitFor(answerIn('C01GTLOG', ev.ts));
    expect(String(reply.body['text']).toLowerCase()).toContain('communauté professionnelle territoriale de santé');
    h.fake.refuse('users.info', null);
  });
});
