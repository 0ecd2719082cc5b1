import { describe, expect, it } from 'vitest';
import { Fiche } from '../../../src/core/fiche.js';
import { parseFicheDocument, parseFichesInDocument } from '../../../src/fiches/parse/fiche-parser.js';
import { makePdf } from '../../helpers/files.js';
import * as fx from './fixtures.js';

const opts = { now: fx.NOW };

async function one(source: string, buf: Buffer): Promise<Fiche> {
  const fiche = parseFicheDocument(await fx.loadFiche(source, buf), opts);
  expect(fiche, `no fiche parsed from ${source}`).not.toBeNull();
  // Every parse result is a valid Fiche as the registry stores it.
  return Fiche.parse(fiche);
}

describe('DOCX two-column table (fiche named in the first row)', async () => {
  const f = await one('fiches/pair-aidance.docx', await fx.makeRichDocx(fx.DOCX_TABLE_FICHE));

  it('reads the number and title from the header row, and the axis row', () => {
    expect(f.id).toBe('fa-4');
    expect(f.number).toBe(4);
    expect(f.title).toBe('Développer la pair-aidance en santé mentale');
    expect(f.axis).toBe('Axe 2 – Parcours de rétablissement et inclusion');
    expect(f.status).toBe('validée');
    expect(f.source).toEqual({ path: 'fiches/pair-aidance.docx', title: 'PTSM du Val-de-Brume 2025-2029', page: null });
  });

  it('splits two pilots joined by "et" into names and organisations', () => {
    expect(f.pilots.map((p) => [p.name, p.organisation])).toEqual([
      ['Mme Céline Vasseur', "GEM L'Escale"],
      ['Dr Paul Martin', 'EPSM des Trois-Vallées'],
    ]);
  });

  it('keeps each bullet of a cell as one partner, and splits an inline public list', () => {
    expect(f.partners).toEqual(['UNAFAM du Val-de-Brume', 'CMP de Brumeville', 'Mission locale Nord']);
    expect(f.targetPublic).toEqual(['Personnes suivies en CMP', 'leurs proches', 'équipes soignantes']);
  });

  it('turns each calendar line into a milestone, keeping the words and computing the due date', () => {
    expect(f.milestones).toEqual([
      { label: 'Recrutement des deux médiateurs', dueText: 'T2 2025', due: '2025-06-30', start: '2025-04-01', precision: 'quarter' },
      { label: 'Formation des équipes', dueText: '2e semestre 2025', due: '2025-12-31', start: '2025-07-01', precision: 'semester' },
      { label: 'Bilan intermédiaire', dueText: 'à définir', due: null, start: null, precision: 'unresolved' },
    ]);
  });

  it('reads indicator targets from "(cible : …)" and "– objectif : …", and types them from their wording', () => {
    expect(f.indicators).toEqual([
      { label: 'Nombre de médiateurs recrutés', type: 'processus', target: '2' },
      { label: 'Taux de satisfaction des usagers accompagnés', type: 'resultat', target: '80 % en 2026' },
    ]);
  });

  it('splits general and operational objectives, keeps context, funding and unknown sections', () => {
    expect(f.objectives.general).toEqual(['Faire reconnaître le savoir expérientiel dans les parcours de soins.']);
    expect(f.objectives.operational).toEqual(['Recruter deux médiateurs de santé pairs', 'Former les équipes de secteur au rétablissement']);
    expect(f.context).toContain("Aucun médiateur de santé pair n'exerce");
    expect(f.funding).toBe('1,6 ETP financés par le FIR (enveloppe PTSM).');
    expect(f.extra).toEqual({ 'Points de vigilance': 'Organiser la supervision des médiateurs par un tiers.' });
  });
});

describe('DOCX table under a generic "Rubrique | Contenu" header', async () => {
  const f = await one('fiches/fa07-emploi.docx', await fx.makeRichDocx(fx.DOCX_HEADER_ROW_FICHE));

  it('takes the fiche from the heading and skips the header row', () => {
    expect([f.id, f.number, f.title]).toEqual(['fa-7', 7, 'Emploi accompagné']);
    expect(f.extra['Rubrique']).toBeUndefined();
  });

  it('reads "Organisation, rôle : Person (email)" as one pilot with organisation and e-mail', () => {
    expect(f.pilots).toEqual([{ name: 'Mme Julie Bernard', organisation: 'Association Tremplin Brume', email: 'julie.bernard@tremplin-brume.fr', chatIds: {} }]);
  });

  it('splits partners on ";", types indicators from their section, resolves dates against the document date', () => {
    expect(f.partners).toEqual(['France Travail', 'Cap emploi', 'MDPH du Val-de-Brume']);
    expect(f.indicators).toEqual([{ label: "Taux d'accès à l'emploi ordinaire à 12 mois", type: 'resultat', target: '40 %' }]);
    expect(f.milestones.map((m) => [m.label, m.dueText, m.due])).toEqual([
      ["Conventions signées avec les employeurs", "d'ici fin 2025", '2025-12-31'],
      ['Premier bilan', 'juin 2026', '2026-06-30'],
    ]);
    expect(f.extra['Lien avec le PRS']).toBe('Objectif 12 du schéma régional de santé.');
  });
});

describe('DOCX with numbered headings, bullets and indicator sub-headings', async () => {
  const f = await one('fiches/fiche-vigilans.docx', await fx.makeRichDocx(fx.DOCX_HEADINGS_FICHE));

  it('lowers a title written in capitals but keeps the names the text writes with capitals', () => {
    expect([f.id, f.title]).toEqual(['fa-3', 'Prévenir la récidive suicidaire avec VigilanS']);
  });

  it('splits "Objectif général :" and "Objectifs opérationnels :" inside one "Objectifs" section', () => {
    expect(f.objectives.general).toEqual(['réduire la récidive des tentatives de suicide.']);
    expect(f.objectives.operational).toEqual(['Inclure 80 % des patients vus aux urgences', 'Former des sentinelles dans les communes rurales']);
  });

  it('keeps an organisation alone as the pilot, with its e-mail', () => {
    expect(f.pilots).toEqual([{ name: 'Centre hospitalier de Brumeville', organisation: null, email: 'anne.leroy@ch-brumeville.fr', chatIds: {} }]);
  });

  it('types indicators from "Indicateurs de processus / de résultat" sub-headings', () => {
    expect(f.indicators).toEqual([
      { label: 'Nombre de sentinelles formées', type: 'processus', target: null },
      { label: 'Taux de recontact à six mois', type: 'resultat', target: '90 %' },
    ]);
  });

  it('reads a date inside a sentence and a range, and the status section', () => {
    expect(f.milestones).toEqual([
      { label: 'Lancement du réseau de sentinelles', dueText: 'mars 2025', due: '2025-03-31', start: '2025-03-01', precision: 'month' },
      { label: 'Formation des équipes des urgences', dueText: 'de janvier à juin 2026', due: '2026-06-30', start: '2026-01-01', precision: 'range' },
    ]);
    expect(f.status).toBe('en cours');
  });
});

describe('PDF with "Label :" lines, bullets and a running footer', async () => {
  const f = await one('fiches/habitat-inclusif.pdf', await makePdf(fx.PDF_FICHE_PAGES));

  it('reads the fiche across two pages without the footer', () => {
    expect([f.id, f.title, f.axis]).toEqual(['fa-5', 'Habitat inclusif', 'Axe 2 : parcours de vie et logement']);
    expect(f.source?.page).toBe(1);
    expect(JSON.stringify(f)).not.toMatch(/page 1\/2|page 2\/2/);
  });

  it('reads context, objectives, pilot, partners, milestones and indicators', () => {
    expect(f.context).toBe("Les résidences accueil du département sont complètes et la liste d'attente dépasse un an.");
    expect(f.objectives.operational).toEqual(['Ouvrir un habitat inclusif de huit logements à Brumeville', "Créer une équipe d'accompagnement au domicile"]);
    expect(f.pilots.map((p) => [p.name, p.organisation])).toEqual([['M. Karim Benali', 'association Les Amarres']]);
    expect(f.partners).toEqual(['Brume Habitat (bailleur social)', 'Conseil départemental', 'SAMSAH Les Amarres']);
    expect(f.milestones.map((m) => [m.label, m.dueText, m.due])).toEqual([
      ['Signature de la convention avec le bailleur', 'T3 2025', '2025-09-30'],
      ['Ouverture des logements', 'printemps 2026', '2026-06-20'],
    ]);
    expect(f.indicators).toEqual([{ label: 'Nombre de personnes logées', type: 'processus', target: '8' }]);
  });
});

describe('Markdown with bold inline labels and calendar / indicator tables', async () => {
  const f = await one('fiches/fa9-jeunes.md', Buffer.from(fx.MARKDOWN_FICHE));

  it('separates "Axe :", "Pilote :" and "Co-pilote :" written on consecutive lines', () => {
    expect([f.number, f.title, f.axis]).toEqual([9, 'Santé mentale des jeunes : repérer et orienter', 'Axe 1 — Repérage précoce']);
    expect(f.pilots.map((p) => [p.name, p.organisation])).toEqual([
      ['Dr Hélène Rossi', 'Maison des adolescents du Val-de-Brume'],
      ['Éducation nationale (DSDEN)', null],
    ]);
  });

  it('splits a one-line list of partners on commas and a final "et"', () => {
    expect(f.partners).toEqual(['CMP enfants de Brumeville', 'Mission locale', 'PJJ', 'CPTS Sud', 'UNAFAM']);
  });

  it('reads the calendar table by its columns, the responsible column aside', () => {
    expect(f.milestones).toEqual([
      { label: "Recrutement d'une infirmière de repérage", dueText: 'T4 2025', due: '2025-12-31', start: '2025-10-01', precision: 'quarter' },
      { label: 'Permanences dans les lycées', dueText: 'rentrée 2026', due: '2026-09-30', start: '2026-09-01', precision: 'season' },
      { label: 'Évaluation', dueText: 'en continu', due: null, start: null, precision: 'unresolved' },
    ]);
    expect(f.steps).toEqual(["Recrutement d'une infirmière de repérage", 'Permanences dans les lycées', 'Évaluation']);
  });

  it('reads the indicator table by its Type and Cible columns', () => {
    expect(f.indicators).toEqual([
      { label: 'Nombre de jeunes reçus en première évaluation', type: 'processus', target: '300 par an' },
      { label: "Délai moyen d'accès à une évaluation", type: 'resultat', target: '15 jours' },
    ]);
  });
});

describe('plain text of "Label : value" lines', async () => {
  const f = await one('fiches/soins-somatiques.txt', Buffer.from(fx.INLINE_TEXT_FICHE));

  it('reads every labelled line, even when the loader joined them', () => {
    expect([f.number, f.title, f.axis]).toEqual([8, 'Accès aux soins somatiques', 'Axe 3 - Soins somatiques']);
    expect(f.pilots.map((p) => [p.name, p.organisation])).toEqual([
      ['Dr Paul Martin', 'EPSM des Trois-Vallées'],
      ['Mme Julie Bernard', 'CPTS Nord'],
    ]);
    expect(f.partners).toEqual(['CPTS Nord', 'CPAM du Val-de-Brume', 'centre dentaire mutualiste', 'UNAFAM']);
    expect(f.targetPublic).toEqual(['personnes suivies en CMP', "résidents des foyers d'hébergement"]);
    expect(f.milestones).toEqual([{ label: "Échéance de l'action", dueText: 'T2 2025', due: '2025-06-30', start: '2025-04-01', precision: 'quarter' }]);
    expect(f.indicators).toEqual([{ label: 'nombre de bilans somatiques réalisés', type: 'processus', target: '200 par an' }]);
    expect(f.funding).toBe('12 000 € (FIR)');
    expect(f.status).toBe('abandonnée');
  });
});

describe('HTML page of the PTSM intranet', async () => {
  const f = await one('fiches/crise.html', Buffer.from(fx.HTML_FICHE));

  it('reads headings and lists, two "Référent(s)" as pilots, and keeps unknown sections', () => {
    expect([f.number, f.title, f.axis]).toEqual([11, 'Coordonner la réponse aux situations de crise', 'Axe 4 — Prévention et gestion de la crise']);
    expect(f.context).toContain('augmenté de 20 %');
    expect(f.pilots.map((p) => [p.name, p.organisation])).toEqual([
      ['Dr Nadia Kessler', "centre d'accueil et de crise de l'EPSM des Trois-Vallées"],
      ['M. Louis Garnier', 'SAMU 15'],
    ]);
    expect(f.milestones.map((m) => [m.label, m.dueText, m.due])).toEqual([
      ['Protocole départemental signé', '1er semestre 2026', '2026-06-30'],
      ['Équipe mobile de crise opérationnelle', "d'ici fin 2026", '2026-12-31'],
    ]);
    expect(f.indicators).toEqual([{ label: "Délai médian d'attente aux urgences", type: 'resultat', target: 'moins de 4 heures' }]);
    expect(f.extra).toEqual({ 'Résultats attendus': 'Moins de transferts sans consentement.' });
  });
});

describe('documents holding several fiches', () => {
  it('splits a PTSM annex on "Fiche action n° X" headings, skips the table of contents and the next chapter', async () => {
    const doc = await fx.loadFiche('projet/ptsm-annexe.md', Buffer.from(fx.MULTI_FICHE_MARKDOWN), 'ptsm');
    const fiches = parseFichesInDocument(doc, opts);
    expect(fiches.map((f) => [f.id, f.title, f.axis])).toEqual([
      ['fa-1', 'Premiers secours en santé mentale', 'Axe 1 — Repérage et accès aux soins'],
      ['fa-2', 'Équipe mobile psychiatrie précarité', 'Axe 1 — Repérage et accès aux soins'],
      ['fa-12', 'Conseils locaux de santé mentale', 'Axe 6 — Déterminants sociaux'],
    ]);
    expect(fiches.map((f) => f.pilots[0]?.name)).toEqual(['IREPS du Val-de-Brume', 'Mme Sophie Marchand', 'Ville de Brumeville (CLSM)']);
    expect(fiches.map((f) => f.milestones[0]?.due)).toEqual(['2026-12-31', '2026-06-30', '2025-12-31']);
    expect(fiches[2]!.extra).toEqual({});
    expect(JSON.stringify(fiches)).not.toContain('COPIL se réunit');
  });

  it('splits a DOCX annex whose fiches are tables opened by "Fiche action n° X"', async () => {
    const doc = await fx.loadFiche('projet/annexe-fiches.docx', await fx.makeRichDocx(fx.MULTI_FICHE_DOCX), 'ptsm');
    const fiches = parseFichesInDocument(doc, opts);
    expect(fiches.map((f) => [f.id, f.title, f.pilots[0]?.name, f.milestones[0]?.dueText])).toEqual([
      ['fa-13', 'Lutter contre la stigmatisation', 'Collectif SISM du Val-de-Brume', 'octobre 2025'],
      ['fa-14', 'Soutenir les proches aidants', 'UNAFAM du Val-de-Brume', 'T1 2026'],
    ]);
  });

  it('finds no fiche in a PTSM chapter that only mentions fiches, nor in a meeting report', async () => {
    const ptsm = await fx.loadFiche('projet/ptsm.md', Buffer.from('# Projet territorial de santé mentale\n\n## Calendrier\n\nLe projet court jusqu\'en 2029.\n\n- FA 1 — Premiers secours — pilote : IREPS\n'), 'ptsm');
    expect(parseFichesInDocument(ptsm, opts)).toEqual([]);
    const cr = await fx.loadFiche('cr/copil.md', Buffer.from('# Compte rendu du COPIL du 3 mars 2025\n\nPrésents : Mme A, M. B.\n\nDécision : la fiche 4 est prolongée.\n'), 'compte-rendu');
    expect(parseFicheDocument(cr, opts)).toBeNull();
  });
});

describe('identity of a fiche without a written number', () => {
  it('takes the number from the file name, else derives the id from the path', async () => {
    const body = '## Pilote\n\nGEM Les Tilleuls\n\n## Calendrier\n\n- Ouverture : septembre 2025\n';
    const fromPath = parseFicheDocument(await fx.loadFiche('fiches/FA12_ateliers_v2.md', Buffer.from(`# Ateliers d'entraide\n\n${body}`)), opts);
    expect([fromPath?.id, fromPath?.number, fromPath?.title]).toEqual(['fa-12', 12, "Ateliers d'entraide"]);
    const noNumber = parseFicheDocument(await fx.loadFiche('fiches/ateliers-entraide.md', Buffer.from(`# Ateliers d'entraide\n\n${body}`), 'fiche'), opts);
    expect([noNumber?.id, noNumber?.number]).toEqual(['fa-ateliers-entraide', null]);
    const compound = parseFicheDocument(await fx.loadFiche('fiches/axe1.md', Buffer.from(`# Fiche 1.2 — Ateliers d'entraide\n\n${body}`), 'fiche'), opts);
    expect([compound?.id, compound?.number, compound?.title]).toEqual(['fa-1.2', null, "Ateliers d'entraide"]);
  });
});
