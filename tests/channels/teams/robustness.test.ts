import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOT, INES, genericInvoke, installationUpdate, message, personalConversationId } from './activities.js';
import { cardOf, cardText, startHarness, type Harness } from './harness.js';

describe('Teams endpoint under bad input and a failing connector', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.connector.reset(); h.asked.length = 0; });

  const alive = async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
  };

  it('answers malformed JSON with 400 and keeps serving', async () => {
    const res = await h.postRaw('{"type": "message", "text": "Qui pilote');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Requête refusée : corps JSON illisible.' });
    await alive();
  });

  it('answers JSON that is not an activity with 400', async () => {
    for (const body of ['[]', '{}', JSON.stringify({ type: 'message', text: 'bonjour' }), JSON.stringify({ ...message(h.connector.url, INES, 'x'), serviceUrl: 'file:///etc/passwd' })]) {
      const res = await h.postRaw(body);
      expect(res.status).toBe(400);
    }
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
    await alive();
  });

  it('answers an activity the SDK cannot read (wrongly typed fields) with 400, and keeps serving', async () => {
    for (const bad of [{ entities: 'pas une liste' }, { text: 42 }, { conversation: { id: 'a:1', isGroup: 'oui' } }]) {
      const res = await h.post({ ...message(h.connector.url, INES, 'Que veut dire CLSM ?'), ...bad });
      expect(res.status).toBe(400);
    }
    expect(h.asked).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
    const ok = await h.post(message(h.connector.url, INES, 'Que veut dire CLSM ?'));
    expect(ok.status).toBe(200);
    expect(h.asked).toHaveLength(1);
  });

  it('answers an unknown invoke with 501, logged with its name', async () => {
    const res = await h.post(genericInvoke(h.connector.url, INES, 'message/submitAction', { actionName: 'feedback', actionValue: { reaction: 'like' } }));
    expect(res.status).toBe(501);
    expect(h.logs.some((l) => l.msg === 'teams invoke not supported' && l.name === 'message/submitAction')).toBe(true);
    await alive();
  });

  it('answers a card button it does not know politely', async () => {
    const res = await h.post({ ...message(h.connector.url, INES, ''), text: undefined, value: { ptsm: 'inconnu', x: 1 }, replyToId: '1775030000001' });
    expect(res.status).toBe(200);
    expect(String(h.connector.sent().at(-1)!.activity.text)).toMatch(/Je n'ai pas compris cette action/);
  });

  it('forgets a conversation when the app is uninstalled', async () => {
    await h.post(message(h.connector.url, INES, 'bonjour'));
    const count = () => (h.runtime.db.prepare('SELECT COUNT(*) AS n FROM teams_refs WHERE id = ?').get(personalConversationId(INES)) as { n: number }).n;
    expect(count()).toBe(1);
    await h.post(installationUpdate(h.connector.url, INES, 'remove'));
    expect(count()).toBe(0);
  });

  it('retries a reply the connector throttles (429 + Retry-After) and delivers it', async () => {
    h.connector.fail({ status: 429, times: 2, retryAfterSeconds: 0 });
    const res = await h.post(message(h.connector.url, INES, 'Que veut dire CLSM ?'));
    expect(res.status).toBe(200);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 429, 200, 200]); // typing retried twice, then the answer
    expect(cardText(cardOf(h.connector.sent().at(-1)!.activity))).toMatch(/conseil local de santé mentale/i);
  });

  it('retries a reply after a 500 with backoff and delivers it', async () => {
    h.connector.fail({ status: 500, times: 1 });
    const res = await h.post(message(h.connector.url, INES, 'Que veut dire CPTS ?'));
    expect(res.status).toBe(200);
    expect(h.connector.calls.map((c) => c.status)).toEqual([500, 200, 200]);
    expect(h.connector.sent().at(-1)!.activity.type).toBe('message');
  });

  it('answers without streaming when the stream\'s first update is refused after every retry', async () => {
    h.connector.fail({ status: 503, times: 4, retryAfterSeconds: 0 });
    const res = await h.post(message(h.connector.url, INES, 'Que veut dire CLSM ?'));
    expect(res.status).toBe(200);
    expect(h.connector.calls.map((c) => c.status)).toEqual([503, 503, 503, 503, 200]);
    const reply = h.connector.sent().at(-1)!;
    expect(reply.activity.type).toBe('message');
    // An ordinary message: no stream to close, and the card carries the answer itself.
    expect((reply.activity.entities as Array<{ type: string }> | undefined ?? []).some((e) => e.type === 'streaminfo')).toBe(false);
    expect(cardText(cardOf(reply.activity))).toMatch(/conseil local de santé mentale/i);
    expect(h.logs.some((l) => l.msg === 'teams stream failed, answering without streaming')).toBe(true);
  });

  it('logs a reply the connector keeps refusing, answers Teams 200, and serves the next message', async () => {
    h.connector.fail({ status: 429, times: 1000, retryAfterSeconds: 0 });
    const res = await h.post(message(h.connector.url, INES, 'Que veut dire GEM ?'));
    expect(res.status).toBe(200);
    expect(h.connector.calls.length).toBeGreaterThanOrEqual(4);
    expect(h.connector.calls.every((c) => c.status === 429)).toBe(true);
    expect(h.logs.some((l) => l.level === 'error' && l.msg === 'teams handler failed')).toBe(true);

    h.connector.reset();
    const next = await h.post(message(h.connector.url, INES, 'Que veut dire GEM ?'));
    expect(next.status).toBe(200);
    const reply = h.connector.sent().at(-1)!;
    expect(reply.conversationId).toBe(personalConversationId(INES));
    expect((reply.activity.from as { id: string }).id).toBe(BOT.id);
    expect(cardText(cardOf(reply.activity))).toMatch(/entraide mutuelle/i);
  });
});
