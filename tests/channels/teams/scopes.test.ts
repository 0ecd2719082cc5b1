import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL, CLAIRE, INES, message } from './activities.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Private channel scopes seen from Teams: the comptes rendus belong to a
 * working group's private Teams channel, the logement fiche to a private
 * Slack channel. A question asked in any other Teams conversation (1:1,
 * streamed; group chat; another channel) never quotes or cites them —
 * checked on everything the bot sent to the connector.
 */
const SCOPES = JSON.stringify([
  { platform: 'teams', channel: CHANNEL.id, private: true, include: ['docs/comptes-rendus/**'] },
  { platform: 'slack', channel: 'C01GTLOG', private: true, include: ['docs/fiches/fa07-logement.md'] },
]);
const COPIL = { question: 'Quand se tiendra le prochain COPIL ?', secret: ['22 septembre 2026', 'cr-copil-2026-03-10', 'Compte rendu du COPIL'] };
const LOGEMENT = { question: 'Qui pilote la fiche logement accompagné ?', secret: ['Hugo Lemaire', 'fa07-logement', 'Fiche action n° 7'] };

describe('Teams and private channel scopes', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ dataFiles: { 'scopes.json': SCOPES } }); });
  afterAll(async () => { await h.close(); });
  beforeEach(() => { h.connector.reset(); });

  /** Everything the connector received for this question, as one string. */
  async function askIn(where: Parameters<typeof message>[3], question: string, from = INES): Promise<string> {
    const res = await h.post(message(h.connector.url, from, question, where));
    expect(res.status).toBe(200);
    expect(h.connector.sent().length).toBeGreaterThan(0);
    return JSON.stringify(h.connector.calls.map((c) => c.body));
  }

  it('quotes the comptes rendus inside their private channel (the scope is real)', async () => {
    const inside = await askIn({ kind: 'channel' }, COPIL.question);
    expect(inside).toContain('22 septembre 2026');
    expect(inside).toContain('Compte rendu du COPIL');
  });

  it('has the logement fiche answered in its private Slack channel (the scope is real)', async () => {
    const answer = await h.runtime.assistant.ask({ question: LOGEMENT.question, channel: { platform: 'slack', id: 'C01GTLOG' } });
    expect(JSON.stringify(answer)).toContain('Hugo Lemaire');
  });

  it.each([
    ['a 1:1 chat (streamed)', { kind: 'personal' as const }],
    ['a group chat', { kind: 'groupChat' as const }],
  ])('never quotes the private channel\'s documents in %s', async (_label, where) => {
    for (const q of [COPIL, LOGEMENT]) {
      const sent = await askIn(where, q.question, CLAIRE);
      for (const secret of q.secret) expect(sent).not.toContain(secret);
      h.connector.reset();
    }
  });

  it('passes the conversation to the core, so the scope decision is the core\'s', async () => {
    await askIn({ kind: 'personal' }, COPIL.question, CLAIRE);
    expect(h.asked.at(-1)!.channel).toMatchObject({ platform: 'teams' });
    expect(h.asked.at(-1)!.channel!.id).not.toBe(CHANNEL.id);
  });
});
