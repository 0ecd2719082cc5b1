import { describe, expect, it } from 'vitest';
import { FICHE_FIELDS, FicheDraft, type Thread } from '../../../src/core/fiche.js';
import { draftFicheOffline } from '../../../src/fiches/draft/index.js';

const now = '2025-05-01T10:00:00.000Z';
const ref = '2025-05-01';

/** A thread from [author, text] pairs; authors get stable ids from their names. */
function thread(list: Array<[string, string]>, channel?: string): Thread {
  return {
    ...(channel ? { channel } : {}),
    messages: list.map(([name, text], i) => ({
      id: `m${i + 1}`,
      author: { id: `u-${name.split(' ')[0]!.toLowerCase()}`, name },
      ts: `2025-05-01T0${Math.floor(i / 10)}:${String(i % 60).padStart(2, '0')}:00Z`,
      text,
    })),
  };
}

describe('draftFicheOffline: shape', () => {
  it('an empty thread gives a draft with everything missing and a note, no crash', () => {
    const d = draftFicheOffline({ messages: [] }, { now });
    expect(FicheDraft.safeParse(d).success).toBe(true);
    expect(d.missing).toEqual([...FICHE_FIELDS]);
    expect(d.provenance).toEqual({});
    expect(d.fiche.status).toBe('brouillon');
    expect(d.fiche.extra['Note']).toMatch(/vide/);
  });

  it('id is draft-<hash of thread>, stable for the same thread, different for another', () => {
    const t = thread([['Marie Dupont', 'Fiche sur la pair-aidance, axe 2.']]);
    const a = draftFicheOffline(t, { now, ref });
    const b = draftFicheOffline(structuredClone(t), { now: '2026-01-01T00:00:00Z', ref });
    const c = draftFicheOffline(thread([['Marie Dupont', 'Fiche sur le logement, axe 2.']]), { now, ref });
    expect(a.fiche.id).toMatch(/^draft-[0-9a-f]{12}$/);
    expect(b.fiche.id).toBe(a.fiche.id);
    expect(c.fiche.id).not.toBe(a.fiche.id);
    expect(a.fiche.updatedAt).toBe(now);
    expect(a.fiche.status).toBe('brouillon');
  });

  it('a thread of small talk only: everything missing except what is there, no crash', () => {
    const d = draftFicheOffline(thread([['Marie Dupont', 'Bonjour !'], ['Paul Girard', 'Quelqu\'un a le code du wifi ?'], ['Marie Dupont', '😂']]), { now, ref });
    expect(d.missing).toEqual([...FICHE_FIELDS]);
    expect(d.fiche.title).toBe('Brouillon de fiche action');
  });
});

describe('draftFicheOffline: proposals, decisions and changes of mind', () => {
  it('a thread with proposals only: fields filled, flagged "À confirmer", not missing', () => {
    const d = draftFicheOffline(thread([
      ['Marie Dupont', "On pourrait faire une fiche sur l'accueil des familles au CMP."],
      ['Paul Girard', "Je propose que l'UNAFAM soit partenaire, et pourquoi pas la MDA."],
      ['Marie Dupont', 'On pourrait aussi demander 10 k€ sur les crédits ARS ?'],
    ]), { now, ref });
    expect(d.fiche.partners).toEqual(['UNAFAM', 'MDA']);
    expect(d.fiche.funding).toContain('10 000 €');
    expect(d.missing).not.toContain('partners');
    expect(d.missing).not.toContain('funding');
    expect(d.missing).toContain('pilots');
    expect(d.fiche.extra['À confirmer']).toMatch(/partenaires \(proposition non validée\) : messages m2/);
    expect(d.fiche.extra['À confirmer']).toMatch(/financement/);
  });

  it('an agreement after a proposal settles it', () => {
    const d = draftFicheOffline(thread([
      ['Marie Dupont', "Je propose que l'UNAFAM soit partenaire."],
      ['Paul Girard', 'Ok pour moi 👍'],
    ]), { now, ref });
    expect(d.fiche.partners).toEqual(['UNAFAM']);
    expect(d.fiche.extra['À confirmer'] ?? '').not.toMatch(/partenaires/);
  });

  it('a later decision overrides an earlier proposal: "finalement c\'est Paul qui pilote"', () => {
    const d = draftFicheOffline(thread([
      ['Marie Dupont', 'Pour le pilotage je propose Claire Roy.'],
      ['Claire Roy', 'Je veux bien piloter.'],
      ['Paul Girard', 'Partenaires : CMP, GEM.'],
      ['Marie Dupont', "Finalement c'est Paul qui pilote, Claire n'a plus le temps."],
    ]), { now, ref });
    expect(d.fiche.pilots.map((p) => p.name)).toEqual(['Paul Girard']);
    expect(d.provenance['pilots']).toEqual(['m4']);
  });

  it('a pilot who withdraws is removed, and the co-pilots who take over are kept', () => {
    const d = draftFicheOffline(thread([
      ['Paul Girard', 'Je veux bien piloter la fiche.'],
      ['Paul Girard', 'Mauvaise nouvelle : finalement je ne pourrai pas piloter.'],
      ['Sophie Lenoir', 'Dans ce cas je peux porter la fiche avec Karim en co-pilotage, si ça lui va ?'],
      ['Karim Benali', 'Ok pour moi'],
    ]), { now, ref });
    expect(d.fiche.pilots.map((p) => p.name)).toEqual(['Sophie Lenoir', 'Karim Benali']);
    expect(d.fiche.extra['À confirmer'] ?? '').not.toMatch(/pilotes/);
  });

  it('pairs a pilot with the organisation the sentence gives', () => {
    const d = draftFicheOffline(thread([
      ['Anne Guérin', 'Validé : copilotage CHS de Belleval (Laurent Mercier) et CPTS Sud (Dr Guérin).'],
      ['Laurent Mercier', 'Parfait.'],
    ]), { now, ref });
    expect(d.fiche.pilots).toEqual([
      { name: 'Laurent Mercier', organisation: 'CHS de Belleval', email: null, chatIds: {} },
      { name: 'Anne Guérin', organisation: 'CPTS Sud', email: null, chatIds: {} },
    ]);
  });

  it('"non pas la MDA, plutôt la Mission locale" swaps the partner', () => {
    const d = draftFicheOffline(thread([
      ['Claire Roy', 'Partenaires : MDA, CMP.'],
      ['Paul Girard', 'Non pas la MDA, plutôt la Mission locale.'],
    ]), { now, ref });
    expect(d.fiche.partners).toEqual(['Mission locale', 'CMP']);
    expect(d.provenance['partners']).toEqual(['m2', 'm1']);
  });

  it('a newly decided amount retires the earlier one', () => {
    const d = draftFicheOffline(thread([
      ['Claire Morel', 'Pour le budget on pourrait demander autour de 60 k€ au FIOP.'],
      ['Sophie Lenoir', "60k€ c'est trop pour un premier dépôt."],
      ['Claire Morel', "Ok, c'est validé pour le budget : 45 000 € par an via le FIOP."],
    ]), { now, ref });
    expect(d.fiche.funding).toBe('45 000 € par an via le FIOP');
    expect(d.provenance['funding']).toEqual(['m3']);
  });

  it('steps restated as a whole list replace the earlier list; "ajoutez" adds', () => {
    const d = draftFicheOffline(thread([
      ['Marie Dupont', 'Étapes :\n- recruter\n- former'],
      ['Paul Girard', "Étapes : d'abord recruter deux IDE, ensuite former les équipes, puis ouvrir la consultation."],
      ['Marie Dupont', 'Ajoutés : étape « évaluer après un an ».'],
    ]), { now, ref });
    expect(d.fiche.steps).toEqual(['Recruter deux IDE', 'Former les équipes', 'Ouvrir la consultation', 'Évaluer après un an']);
  });
});

describe('draftFicheOffline: messy threads', () => {
  it('digressions give nothing: no partner from a wifi question, no milestone from a party', () => {
    const d = draftFicheOffline(thread([
      ['Karim Benali', 'Petite parenthèse : quelqu\'un a le code du wifi de la salle du CH de Lanvallec pour jeudi ?'],
      ['Marc Delorme', 'Le pot de départ de Michèle c\'est vendredi 17 h 🎉'],
      ['Marie Dupont', 'Hors sujet : le forum santé, premier stand le 12 juin, lancement à 9 h.'],
    ]), { now, ref });
    expect(d.fiche.partners).toEqual([]);
    expect(d.fiche.milestones).toEqual([]);
  });

  it('milestones: label from the sentence, dueText as written, due = end of the interval, past dates dropped', () => {
    const d = draftFicheOffline(thread([
      ['Marie Dupont', "Calendrier : lancement du groupe à la rentrée, premier bilan d'ici la fin de l'année prochaine."],
      ['Paul Girard', "On avait lancé un groupe l'an dernier, ça n'avait pas marché."],
    ]), { now, ref });
    expect(d.fiche.milestones.map((m) => [m.label, m.dueText, m.due])).toEqual([
      ['Lancement du groupe', 'rentrée', '2025-09-30'],
      ['Premier bilan', "d'ici la fin de l'année prochaine", '2026-12-31'],
    ]);
    expect(d.provenance['milestones']).toEqual(['m1']);
  });

  it('a milestone restated later keeps only its latest date', () => {
    const d = draftFicheOffline(thread([
      ['Ingrid Weber', "Lancement de l'équipe en janvier 2026."],
      ['Sabine Leclerc', "Les recrutements ne suivront pas : finalement lancement de l'équipe en mars 2026."],
    ]), { now, ref });
    expect(d.fiche.milestones.map((m) => m.due)).toEqual(['2026-03-31']);
  });

  it('reads Slack mrkdwn, mentions and Teams HTML into pilots with chat ids', () => {
    const slack = draftFicheOffline({
      messages: [
        { id: 's1', author: { id: 'U01MARIE', name: 'Marie Dupont' }, ts: '1', text: 'Pour le *pilotage* je propose <@U02PAUL>' },
        { id: 's2', author: { id: 'U02PAUL', name: 'Paul Girard' }, ts: '2', text: 'Je veux bien piloter :+1:' },
      ],
    }, { now, ref });
    expect(slack.fiche.pilots).toEqual([{ name: 'Paul Girard', organisation: null, email: null, chatIds: { slack: 'U02PAUL' } }]);
    const teams = draftFicheOffline({
      messages: [
        { id: 't1', author: { id: '29:sl', name: 'Sandrine Lefort' }, ts: '1', text: '<p>Décision : pilotage par le CCAS, référente <at>Céline Aubry</at>, en lien avec le SIAO et l&#39;EMPP.</p>' },
        { id: 't2', author: { id: '29:ca', name: 'Céline Aubry' }, ts: '2', text: '<p>👍</p>' },
      ],
    }, { now, ref });
    expect(teams.fiche.pilots).toEqual([{ name: 'Céline Aubry', organisation: 'CCAS', email: null, chatIds: { teams: '29:ca' } }]);
    expect(teams.fiche.partners).toEqual(['SIAO', 'EMPP']);
  });

  it('a 500-message thread is drafted, settles on its last decisions, and its provenance is valid', () => {
    const chatter: Array<[string, string]> = [
      ['Marie Dupont', "Le constat : aujourd'hui les délais en CMP dépassent 4 mois."],
      ['Paul Girard', 'On pourrait associer la MDA.'],
      ['Claire Roy', 'Quelqu\'un a le code du wifi ?'],
      ['Marie Dupont', 'Indicateurs : nombre de jeunes orientés, délai moyen de prise en charge.'],
      ['Paul Girard', 'Ok pour moi.'],
    ];
    const list: Array<[string, string]> = [['Marie Dupont', '« Repérage précoce des 16-25 ans », axe 1.']];
    while (list.length < 497) list.push(...chatter.slice(0, Math.min(chatter.length, 497 - list.length)));
    list.push(['Claire Roy', 'Je veux bien piloter.'], ['Paul Girard', "Finalement c'est Marie qui pilote."], ['Marie Dupont', 'Validé.']);
    const t = thread(list);
    expect(t.messages).toHaveLength(500);
    const d = draftFicheOffline(t, { now, ref });
    expect(d.fiche.pilots.map((p) => p.name)).toEqual(['Marie Dupont']);
    expect(d.fiche.indicators.map((i) => i.label)).toEqual(['Nombre de jeunes orientés', 'Délai moyen de prise en charge']);
    expect(d.fiche.partners).toEqual(['MDA']);
    const ids = new Set(t.messages.map((m) => m.id));
    for (const list of Object.values(d.provenance)) for (const id of list) expect(ids.has(id)).toBe(true);
  });
});
