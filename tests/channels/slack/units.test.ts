import { describe, expect, it } from 'vitest';
import { answerMessage, citationLink } from '../../../src/channels/slack/blocks/answer.js';
import { applyFicheForm, ficheEditModal, INPUT_MAX } from '../../../src/channels/slack/blocks/fiche-form.js';
import { parseCommand } from '../../../src/channels/slack/commands.js';
import { checkBody, timestampFresh } from '../../../src/channels/slack/request-guard.js';
import { mentionedUsers, slackToPlain, stripMention, toMrkdwn } from '../../../src/channels/slack/slack-text.js';
import { streamSafe, WorkQueue } from '../../../src/channels/slack/stream.js';
import { Fiche, type FicheDraft } from '../../../src/core/fiche.js';

describe('Slack text in and out', () => {
  it('turns Slack markup into plain French text', () => {
    const names = new Map([['U02PAUL', 'Paul Martin']]);
    expect(slackToPlain('<@U02PAUL> pilote, voir <#C01GTLOG|gt-logement> et <https://ars.example/ptsm?a=1&amp;b=2|le PTSM> &amp; <mailto:a@b.fr|a@b.fr>', names))
      .toBe('@Paul Martin pilote, voir #gt-logement et le PTSM (https://ars.example/ptsm?a=1&b=2) & a@b.fr');
    expect(slackToPlain('<!here> réunion &lt;jeudi&gt; <https://x.example>')).toBe('@here réunion <jeudi> https://x.example');
    expect(mentionedUsers('<@U1ABC> et <@W2DEF|marie> et <@U1ABC>')).toEqual(['U1ABC', 'W2DEF']);
  });

  it('strips only the bot’s mention', () => {
    expect(stripMention('<@UBOT>, qui pilote la FA 4 ? cc <@U02PAUL>', 'UBOT')).toBe('qui pilote la FA 4 ? cc <@U02PAUL>');
    expect(stripMention('  bonjour  ', undefined)).toBe('bonjour');
  });

  it('converts light Markdown to mrkdwn and escapes the rest', () => {
    expect(toMrkdwn('**Pilote** : M. Lemaire <CCAS> & co\n- point [voir](https://x.example/a?b=1&c=2)'))
      .toBe('*Pilote* : M. Lemaire &lt;CCAS&gt; &amp; co\n• point <https://x.example/a?b=1&amp;c=2|voir>');
  });
});

describe('Answer blocks', () => {
  const answer = {
    answer: 'Le COPIL se tiendra le 22 septembre 2026 [1].', abstained: false,
    citations: [{ source: 'docs/comptes-rendus/cr copil.md', title: 'CR du COPIL', page: 3, section: 'Prochaine réunion', quote: 'Le prochain COPIL se tiendra\nle 22 septembre 2026 (salle_2).' }],
  };

  it('renders one context block per citation with title, page, section, italic quote, and file', () => {
    const m = answerMessage(answer, { answerId: 'a1' });
    const ctx = m.blocks.filter((b) => b['type'] === 'context');
    expect(ctx).toHaveLength(1);
    const text = (ctx[0]!['elements'] as Array<{ text: string }>)[0]!.text;
    expect(text).toBe('*[1] CR du COPIL* · p. 3 · Prochaine réunion\n_« Le prochain COPIL se tiendra le 22 septembre 2026 (salle 2). »_\n`docs/comptes-rendus/cr copil.md`');
    expect(m.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: 'ptsm_feedback_up', value: 'a1' }, { action_id: 'ptsm_feedback_down', value: 'a1' }] });
    expect(m.text).toBe('Le COPIL se tiendra le 22 septembre 2026 [1].');
  });

  it('escapes the fallback text: a quoted document cannot ping the channel', () => {
    const m = answerMessage({ answer: 'Voir <!channel> & <@U123>', abstained: false, citations: [] });
    expect(m.text).toBe('Voir &lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(JSON.stringify(m.blocks)).not.toContain('<!channel>');
  });

  it('links the file when a documents URL is known', () => {
    expect(citationLink('docs/comptes-rendus/cr copil.md', 'https://docs.ptsm.example/')).toBe('https://docs.ptsm.example/docs/comptes-rendus/cr%20copil.md');
    expect(citationLink('https://intranet.example/a.pdf', undefined)).toBe('https://intranet.example/a.pdf');
    expect(citationLink('docs/a.md', undefined)).toBeNull();
    const m = answerMessage(answer, { docsBaseUrl: 'https://docs.ptsm.example' });
    expect(JSON.stringify(m.blocks)).toContain('<https://docs.ptsm.example/docs/comptes-rendus/cr%20copil.md|cr copil.md>');
    expect(m.blocks.some((b) => b['type'] === 'actions')).toBe(false);
  });

  it('keeps a long answer within Slack limits: split into sections, cut visibly only past 9,000 characters', () => {
    const long = Array.from({ length: 220 }, (_, i) => `Phrase numéro ${i} du compte rendu.`).join(' ');
    const m = answerMessage({ answer: long, abstained: false, citations: [] });
    const sections = m.blocks.filter((b) => b['type'] === 'section').map((b) => (b['text'] as { text: string }).text);
    expect(sections.length).toBeGreaterThanOrEqual(3);
    expect(sections.every((t) => t.length <= 3000)).toBe(true);
    expect(sections.join(' ')).toContain('Phrase numéro 219 du compte rendu.');
    const huge = answerMessage({ answer: long.repeat(3), abstained: false, citations: [] });
    const hugeText = huge.blocks.filter((b) => b['type'] === 'section').map((b) => (b['text'] as { text: string }).text).join(' ');
    expect(hugeText.endsWith('…')).toBe(true);
    expect(huge.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('/ptsm parsing', () => {
  it('reads subcommands as people type them', () => {
    expect(parseCommand('')).toEqual({ kind: 'aide' });
    expect(parseCommand('Aide')).toEqual({ kind: 'aide' });
    expect(parseCommand('question  Qui pilote la FA 4 ?')).toEqual({ kind: 'question', text: 'Qui pilote la FA 4 ?' });
    expect(parseCommand('Échéances')).toEqual({ kind: 'jalons' });
    expect(parseCommand('jalons')).toEqual({ kind: 'jalons' });
    expect(parseCommand('fiche 4')).toEqual({ kind: 'fiche', ref: '4' });
    expect(parseCommand('fiche n° 12')).toEqual({ kind: 'fiche', ref: '12' });
    expect(parseCommand('fiche')).toEqual({ kind: 'fiches' });
    expect(parseCommand('bonjour à tous')).toEqual({ kind: 'inconnue', word: 'bonjour' });
  });
});

describe('request guard (signed bodies only)', () => {
  const form = 'application/x-www-form-urlencoded';
  it('lets through what Bolt dispatches, refuses the rest', () => {
    expect(checkBody(JSON.stringify({ type: 'event_callback', event: { type: 'app_mention' } }), 'application/json')).toEqual({ ok: true });
    expect(checkBody(JSON.stringify({ type: 'url_verification', challenge: 'c' }), 'application/json')).toEqual({ ok: true });
    expect(checkBody(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions' }))}`, form)).toEqual({ ok: true });
    expect(checkBody('command=%2Fptsm&text=aide', form)).toEqual({ ok: true });
    expect(checkBody('{oops', 'application/json')).toMatchObject({ ok: false, status: 400 });
    expect(checkBody('a=b', form)).toMatchObject({ ok: false, status: 400 });
    expect(checkBody(`payload=${encodeURIComponent('[1]')}`, form)).toMatchObject({ ok: false, status: 400 });
    expect(checkBody(`payload=${encodeURIComponent(JSON.stringify({ type: 'nouveau_type' }))}`, form)).toMatchObject({ ok: false, status: 200 });
    expect(checkBody(JSON.stringify({ type: 'app_rate_limited' }), 'application/json')).toMatchObject({ ok: false, status: 200 });
  });
});

describe('fiche edit modal', () => {
  const draft: FicheDraft = {
    fiche: Fiche.parse({
      id: 'draft-1', title: 'Soins somatiques', updatedAt: '2026-01-01T00:00:00Z',
      pilots: [{ name: 'Dr Paul Martin', organisation: 'CPTS du Val d’Orme', email: 'paul.martin@exemple.fr', chatIds: { slack: 'U02PAUL' } }],
      milestones: [{ label: 'Lancement', dueText: 'T2 2026', due: '2026-06-30', start: '2026-04-01', precision: 'quarter' }],
      indicators: [{ label: 'Nombre de bilans réalisés', type: 'processus', target: '200 par an' }],
    }),
    missing: ['partners', 'funding', 'date du premier COPIL'],
    provenance: { title: ['Marie Durand, 12/03 14:32'], partners: [], milestones: ['Paul Martin, 12/03 14:35'] },
  };
  const values = (over: Record<string, string | null>, fiche = draft.fiche) => {
    const modal = ficheEditModal(fiche, 'd1') as { blocks: Array<{ type: string; block_id?: string; element?: { initial_value?: string } }> };
    const out: Record<string, Record<string, { value: string | null }>> = {};
    for (const b of modal.blocks) if (b.type === 'input') out[b.block_id!] = { value: { value: b.element!.initial_value ?? null } };
    for (const [k, v] of Object.entries(over)) out[k] = { value: { value: v } };
    return out;
  };

  it('changes nothing when nothing was edited', () => {
    const r = applyFicheForm(draft, values({}), '2026-01-15', '2026-01-15T10:00:00Z');
    expect(r).toEqual({ ok: true, draft, changed: [] });
  });

  it('keeps untouched lines as they were (a pilot’s e-mail, a parsed date) and parses new ones', () => {
    const r = applyFicheForm(draft, values({
      f_pilots: 'Dr Paul Martin (CPTS du Val d’Orme)\nMme Inès Caradec (GEM La Boussole)',
      f_milestones: 'Lancement — T2 2026\nPremier bilan : fin septembre 2027',
      f_partners: '- CPTS du Val d’Orme\n- UNAFAM',
      f_funding: 'Crédits FIR : 30 000 € par an',
    }), '2026-01-15', '2026-01-15T10:00:00Z');
    if (!r.ok) throw new Error('expected ok');
    const f = r.draft.fiche;
    expect(f.pilots[0]).toEqual(draft.fiche.pilots[0]);
    expect(f.pilots[1]).toMatchObject({ name: 'Mme Inès Caradec', organisation: 'GEM La Boussole' });
    expect(f.milestones[0]).toEqual(draft.fiche.milestones[0]);
    expect(f.milestones[1]).toMatchObject({ label: 'Premier bilan', dueText: 'fin septembre 2027', due: '2027-09-30' });
    expect(f.partners).toEqual(['CPTS du Val d’Orme', 'UNAFAM']);
    expect(f.indicators).toEqual(draft.fiche.indicators);
    expect(f.updatedAt).toBe('2026-01-15T10:00:00Z');
    expect(r.draft.missing).toEqual(['date du premier COPIL']);
    expect(Object.keys(r.draft.provenance).sort()).toEqual(['title']);
    expect(r.changed.sort()).toEqual(['funding', 'milestones', 'partners', 'pilots']);
  });

  it('refuses an empty title, and leaves out (unchanged) a field too long for Slack', () => {
    expect(applyFicheForm(draft, values({ f_title: ' ' }), '2026-01-15', 'x')).toEqual({ ok: false, errors: { f_title: "L'intitulé de la fiche est obligatoire." } });
    const longContext = { ...draft, fiche: { ...draft.fiche, context: 'x'.repeat(INPUT_MAX + 1) } };
    const modal = ficheEditModal(longContext.fiche, 'd1') as { blocks: Array<{ block_id?: string; elements?: Array<{ text: string }> }> };
    expect(modal.blocks.some((b) => b.block_id === 'f_context')).toBe(false);
    expect(JSON.stringify(modal.blocks)).toContain('conservé tel quel : Contexte / constat');
    const r = applyFicheForm(longContext, values({ f_title: 'Nouveau titre' }, longContext.fiche), '2026-01-15', 'x');
    if (!r.ok) throw new Error('expected ok');
    expect(r.draft.fiche.context).toBe(longContext.fiche.context);
  });
});

describe('WorkQueue', () => {
  it('never runs more than its concurrency at once, and runs everything', async () => {
    const q = new WorkQueue(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => q.run(async () => {
      running++; peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i;
    })));
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot when a job fails', async () => {
    const q = new WorkQueue(1);
    await expect(q.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await q.run(async () => 'ok')).toBe('ok');
  });
});

describe('Slack request timestamps', () => {
  it('are fresh within 5 minutes of the clock, either way, as Bolt counts them', () => {
    const now = 1_767_000_000_500;
    const nowS = Math.floor(now / 1000);
    expect(timestampFresh(nowS - 300, now)).toBe(true);
    expect(timestampFresh(nowS + 300, now)).toBe(true);
    expect(timestampFresh(nowS - 301, now)).toBe(false);
    expect(timestampFresh(nowS + 301, now)).toBe(false);
  });
});

describe('Streamed Markdown', () => {
  it('never carries a live Slack mention or broadcast', () => {
    expect(streamSafe('Voir <!channel>, <@U02PAUL> et <#C01GTLOG> ; 3 < 4 & 5 > 2')).toBe('Voir <\u200B!channel>, <\u200B@U02PAUL> et <\u200B#C01GTLOG> ; 3 < 4 & 5 > 2');
  });
});
