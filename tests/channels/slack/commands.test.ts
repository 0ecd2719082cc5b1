import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { sendCommand, sendEvent } from './slack-requests.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

async function command(text: string, user = 'U03INES'): Promise<{ status: number; ack: string; replies: () => Array<Record<string, unknown>> }> {
  const id = `cmd-${Math.random().toString(36).slice(2)}`;
  const res = await sendCommand(h.url, { text, user_id: user, channel_id: 'C01GTLOG', response_url: h.fake.responseUrl(id) });
  await h.fake.waitFor((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id));
  await new Promise((r) => setTimeout(r, 50));
  return { status: res.status, ack: res.text, replies: () => h.fake.calls.filter((c) => c.method === 'response_url' && String(c.body['path']).endsWith(id)).map((c) => c.body) };
}

describe('Slash command /ptsm', () => {
  it('jalons lists my upcoming milestones, privately', async () => {
    const r = await command('jalons');
    expect(r.status).toBe(200);
    const [reply] = r.replies();
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    const text = JSON.stringify(reply!['blocks']);
    expect(text).toContain('Recrutement de deux médiateurs');
    expect(text).toContain('30/06/2026');
    expect(text).toContain('FA 4');
    expect(text).not.toContain('Logement accompagné');
  });

  it('jalons for someone who pilots nothing says so', async () => {
    const r = await command('jalons', 'U01MARIE');
    expect(JSON.stringify(r.replies()[0])).toContain('Aucune échéance');
  });

  it('fiche 4 shows the fiche as Block Kit', async () => {
    const r = await command('fiche 4');
    const blocks = r.replies()[0]!['blocks'] as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Fiche action n° 4 — Développer la pair-aidance' } });
    expect(JSON.stringify(blocks)).toContain('Inès Caradec');
  });

  it('fiches lists the registry; fiche 99 is not found, in French', async () => {
    expect(JSON.stringify((await command('fiches')).replies()[0])).toContain('Logement accompagné');
    expect(JSON.stringify((await command('fiche n° 99')).replies()[0])).toContain('Je ne trouve pas la fiche « 99 »');
  });

  it('aide and an unknown subcommand answer with the French help', async () => {
    expect(JSON.stringify((await command('aide')).replies()[0])).toContain('ce que je sais faire');
    const unknown = JSON.stringify((await command('bonjour')).replies()[0]);
    expect(unknown).toContain('Je ne connais pas la commande « bonjour »');
    expect(unknown).toContain('/ptsm jalons');
  });

  it('question … acknowledges at once ("Je cherche…") and answers through the response_url', async () => {
    const r = await command('question Qui pilote la fiche logement accompagné ?');
    expect(JSON.parse(r.ack)).toMatchObject({ response_type: 'ephemeral', text: 'Je cherche…' });
    const text = JSON.stringify(r.replies()[0]);
    expect(text).toContain('Hugo Lemaire');
    expect(text).toContain('ptsm_feedback_up');
  });

  it('publishes the App Home with my milestones and my fiches', async () => {
    await sendEvent(h.url, { type: 'app_home_opened', user: 'U03INES', channel: 'D03INES', tab: 'home', event_ts: `${Date.now() / 1000}` });
    const publish = await h.fake.waitFor((c) => c.method === 'views.publish' && c.body['user_id'] === 'U03INES');
    const view = publish.body['view'] as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Vos prochaines échéances');
    expect(text).toContain('Recrutement de deux médiateurs');
    expect(text).toContain('Développer la pair-aidance');
    // The messages tab does not publish anything.
    const before = h.fake.callsTo('views.publish').length;
    await sendEvent(h.url, { type: 'app_home_opened', user: 'U03INES', channel: 'D03INES', tab: 'messages', event_ts: `${Date.now() / 1000}` });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo('views.publish').length).toBe(before);
  });
});
