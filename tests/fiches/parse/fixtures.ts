import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { loaderFor } from '../../../src/ingestion/loaders.js';
import { detectKind } from '../../../src/ingestion/detect-kind.js';
import { findDocumentDate } from '../../../src/ingestion/document-date.js';
import type { DocumentRecord } from '../../../src/core/types.js';
import type { FicheDocument } from '../../../src/fiches/parse/fiche-parser.js';

/**
 * Fiche fixtures written the way départements write them, in every format the
 * loaders read. All names, places and figures are invented (département du
 * Val-de-Brume).
 */

export const NOW = '2025-01-15T09:00:00.000Z';

/** Loads a file's bytes through the real loader, as the indexer does, into what the registry parses. */
export async function loadFiche(source: string, buf: Buffer, kind?: DocumentRecord['kind']): Promise<FicheDocument> {
  const parsed = await loaderFor(source)!.load(buf, source);
  const record: DocumentRecord = {
    id: source,
    source,
    title: parsed.title,
    kind: kind ?? detectKind(source, parsed),
    hash: 'test',
    date: findDocumentDate(source, parsed),
    pageCount: parsed.pageCount,
    chunkCount: 1,
    indexedAt: NOW,
  };
  return { record, blocks: parsed.blocks };
}

type Cell = string | string[];

function cellOf(content: Cell, bold = false): TableCell {
  const lines = Array.isArray(content) ? content : [content];
  return new TableCell({
    children: lines.map((l) => new Paragraph({ children: [new TextRun({ text: l, bold })], bullet: lines.length > 1 ? { level: 0 } : undefined })),
  });
}

function table(rows: Array<[Cell, Cell]>, header?: [string, string]): Table {
  const all = header ? [new TableRow({ children: [cellOf(header[0], true), cellOf(header[1], true)], tableHeader: true })] : [];
  for (const [label, content] of rows) all.push(new TableRow({ children: [cellOf(label, true), cellOf(content)] }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: all });
}

/** A DOCX of headings, paragraphs, bullets and two-column tables, in order. */
export type DocxPart =
  | { h: 1 | 2 | 3; text: string }
  | { p: string }
  | { bullets: string[] }
  | { table: Array<[Cell, Cell]>; header?: [string, string] };

export function makeRichDocx(parts: DocxPart[]): Promise<Buffer> {
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const children: Array<Paragraph | Table> = [];
  for (const part of parts) {
    if ('h' in part) children.push(new Paragraph({ text: part.text, heading: levels[part.h] }));
    else if ('p' in part) children.push(new Paragraph({ text: part.p, alignment: AlignmentType.LEFT }));
    else if ('bullets' in part) for (const b of part.bullets) children.push(new Paragraph({ text: b, bullet: { level: 0 } }));
    else children.push(table(part.table, part.header));
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

/** Two-column table whose first row names the fiche (no heading above it but the document's). */
export const DOCX_TABLE_FICHE: DocxPart[] = [
  { h: 1, text: 'PTSM du Val-de-Brume 2025-2029' },
  {
    table: [
      ['Fiche action n° 4', 'Développer la pair-aidance en santé mentale'],
      ['Axe stratégique', 'Axe 2 – Parcours de rétablissement et inclusion'],
      ['Constat', ["Aucun médiateur de santé pair n'exerce dans le département.", 'Les usagers des GEM demandent à être associés aux soins.']],
      ['Objectif général', 'Faire reconnaître le savoir expérientiel dans les parcours de soins.'],
      ['Objectifs opérationnels', ['Recruter deux médiateurs de santé pairs', 'Former les équipes de secteur au rétablissement']],
      ['Pilote(s)', "Mme Céline Vasseur (GEM L'Escale) et Dr Paul Martin (EPSM des Trois-Vallées)"],
      ['Partenaires associés / mobilisés', ['UNAFAM du Val-de-Brume', 'CMP de Brumeville', 'Mission locale Nord']],
      ['Public cible', 'Personnes suivies en CMP, leurs proches, équipes soignantes'],
      ['Échéancier', ['Recrutement des deux médiateurs : T2 2025', 'Formation des équipes : 2e semestre 2025', 'Bilan intermédiaire : à définir']],
      ["Indicateurs d'évaluation", ['Nombre de médiateurs recrutés (cible : 2)', 'Taux de satisfaction des usagers accompagnés – objectif : 80 % en 2026']],
      ['Moyens / financement', '1,6 ETP financés par le FIR (enveloppe PTSM).'],
      ['Points de vigilance', 'Organiser la supervision des médiateurs par un tiers.'],
    ],
  },
];

/** Two-column table under a generic header row ("Rubrique | Contenu"), with the fiche named in the heading. */
export const DOCX_HEADER_ROW_FICHE: DocxPart[] = [
  { h: 1, text: 'Fiche action n° 7 – Emploi accompagné' },
  { p: 'Version validée en COPIL le 14 novembre 2024.' },
  {
    header: ['Rubrique', 'Contenu'],
    table: [
      ['Porteur de l\'action', 'Association Tremplin Brume, coordinatrice : Mme Julie Bernard (julie.bernard@tremplin-brume.fr)'],
      ['Acteurs concernés', 'France Travail ; Cap emploi ; MDPH du Val-de-Brume'],
      ['Calendrier prévisionnel', ['Conventions signées avec les employeurs d\'ici fin 2025', 'Premier bilan en juin 2026']],
      ['Indicateurs de résultat', ['Taux d\'accès à l\'emploi ordinaire à 12 mois (cible : 40 %)']],
      ['Lien avec le PRS', 'Objectif 12 du schéma régional de santé.'],
    ],
  },
];

/** Headings and bullets, numbered sections, sub-headings for indicator types, a status section. */
export const DOCX_HEADINGS_FICHE: DocxPart[] = [
  { h: 1, text: 'FICHE ACTION N° 3 : PRÉVENIR LA RÉCIDIVE SUICIDAIRE AVEC VIGILANS' },
  { p: 'Le dispositif VigilanS recontacte les personnes après une tentative de suicide.' },
  { h: 2, text: '1. Contexte' },
  { p: 'Le taux de récidive après une tentative de suicide reste élevé dans le nord du département.' },
  { h: 2, text: '2. Objectifs' },
  { p: 'Objectif général : réduire la récidive des tentatives de suicide.' },
  { p: 'Objectifs opérationnels :' },
  { bullets: ['Inclure 80 % des patients vus aux urgences', 'Former des sentinelles dans les communes rurales'] },
  { h: 2, text: "3. Porteur(s) de l'action" },
  { p: 'Centre hospitalier de Brumeville (contact : anne.leroy@ch-brumeville.fr)' },
  { h: 2, text: '4. Calendrier prévisionnel' },
  { bullets: ['Lancement du réseau de sentinelles en mars 2025', 'Formation des équipes des urgences : de janvier à juin 2026'] },
  { h: 2, text: "5. Indicateurs d'évaluation" },
  { h: 3, text: 'Indicateurs de processus' },
  { bullets: ['Nombre de sentinelles formées'] },
  { h: 3, text: 'Indicateurs de résultat' },
  { bullets: ['Taux de recontact à six mois (cible : 90 %)'] },
  { h: 2, text: 'Statut' },
  { p: 'En cours de déploiement' },
];

/** Page texts of a PDF fiche: a running footer on each page, "Label :" lines, bullets. */
export const PDF_FICHE_PAGES: string[] = [
  [
    'FICHE ACTION N° 5 — HABITAT INCLUSIF',
    '',
    'Axe 2 : parcours de vie et logement',
    '',
    'Éléments de diagnostic :',
    'Les résidences accueil du département sont complètes et la liste d\'attente dépasse un an.',
    '',
    'Objectifs :',
    '• Ouvrir un habitat inclusif de huit logements à Brumeville',
    '• Créer une équipe d\'accompagnement au domicile',
    '',
    'Pilote :',
    'M. Karim Benali, directeur de l\'association Les Amarres',
    '',
    'PTSM du Val-de-Brume — page 1/2',
  ].join('\n'),
  [
    'Partenaires :',
    '• Brume Habitat (bailleur social)',
    '• Conseil départemental',
    '• SAMSAH Les Amarres',
    '',
    'Calendrier :',
    '• Signature de la convention avec le bailleur : T3 2025',
    '• Ouverture des logements : printemps 2026',
    '',
    'Indicateurs :',
    '• Nombre de personnes logées (cible : 8)',
    '',
    'PTSM du Val-de-Brume — page 2/2',
  ].join('\n'),
];

/** Markdown: bold inline labels, a one-line list of partners, calendar and indicator tables. */
export const MARKDOWN_FICHE = `# FA 9 — Santé mentale des jeunes : repérer et orienter

**Axe :** 1 — Repérage précoce
**Pilote :** Dr Hélène Rossi, pédopsychiatre, Maison des adolescents du Val-de-Brume
**Co-pilote :** Éducation nationale (DSDEN)

## Problématique

Les délais de premier rendez-vous en CMP de l'enfant dépassent six mois.

## Partenaires

CMP enfants de Brumeville, Mission locale, PJJ, CPTS Sud et UNAFAM

## Public visé

Jeunes de 11 à 25 ans, leurs parents, professionnels de l'Éducation nationale

## Étapes et calendrier

| Étape | Échéance | Responsable |
|---|---|---|
| Recrutement d'une infirmière de repérage | T4 2025 | MDA |
| Permanences dans les lycées | rentrée 2026 | MDA et DSDEN |
| Évaluation | en continu | COPIL |

## Indicateurs

| Indicateur | Type | Cible |
|---|---|---|
| Nombre de jeunes reçus en première évaluation | Processus | 300 par an |
| Délai moyen d'accès à une évaluation | Résultat | 15 jours |

## Moyens

0,8 ETP d'infirmière (FIR).
`;

/** A plain-text fiche of "Label : value" lines, as typed in an e-mail or a notepad. */
export const INLINE_TEXT_FICHE = [
  "Fiche action 8 - Accès aux soins somatiques",
  "Axe : 3 - Soins somatiques",
  "Pilote : Dr Paul Martin (EPSM des Trois-Vallées) ; co-pilote : Mme Julie Bernard, coordinatrice de la CPTS Nord",
  "Partenaires : CPTS Nord, CPAM du Val-de-Brume, centre dentaire mutualiste, UNAFAM",
  "Public cible : personnes suivies en CMP, résidents des foyers d'hébergement",
  "Échéance : T2 2025",
  "Indicateur : nombre de bilans somatiques réalisés (cible : 200 par an)",
  "Budget : 12 000 € (FIR)",
  "Statut : abandonnée",
].join('\n');

/** An HTML page (intranet of the PTSM) with a definition table and lists. */
export const HTML_FICHE = `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Fiche action n° 11 | PTSM du Val-de-Brume</title></head>
<body>
<nav><a href="/">Accueil</a> &gt; Fiches</nav>
<h1>Fiche action n° 11 — Coordonner la réponse aux situations de crise</h1>
<p>Axe 4 &middot; Prévention et gestion de la crise</p>
<h2>Justification</h2>
<p>Les passages aux urgences pour motif psychiatrique ont augmenté de 20&nbsp;% en trois ans.</p>
<h2>Référent(s)</h2>
<ul><li>Dr Nadia Kessler, psychiatre, centre d'accueil et de crise de l'EPSM des Trois-Vallées</li><li>M. Louis Garnier (SAMU 15)</li></ul>
<h2>Partenaires</h2>
<ul><li>SDIS du Val-de-Brume</li><li>Gendarmerie</li><li>Clinique des Tilleuls</li></ul>
<h2>Échéances</h2>
<ul><li>Protocole départemental signé : 1er semestre 2026</li><li>Équipe mobile de crise opérationnelle d'ici fin 2026</li></ul>
<h2>Critères d'évaluation</h2>
<ul><li>Délai médian d'attente aux urgences (cible : moins de 4 heures)</li></ul>
<h2>Résultats attendus</h2>
<p>Moins de transferts sans consentement.</p>
</body></html>`;

/** A PTSM annex holding several fiches one after another, with a table of contents and a closing chapter. */
export const MULTI_FICHE_MARKDOWN = `# Projet territorial de santé mentale du Val-de-Brume — Annexe

## Sommaire

- Fiche action n° 1 : Premiers secours en santé mentale
- Fiche action n° 2 : Équipe mobile psychiatrie précarité
- Fiche action n° 12 : Conseils locaux de santé mentale

## Axe 1 — Repérage et accès aux soins

### Fiche action n° 1 : Premiers secours en santé mentale

Pilote : IREPS du Val-de-Brume

Partenaires : CPTS Nord, mairies

Calendrier : 200 secouristes formés d'ici fin 2026

### Fiche action n° 2 : Équipe mobile psychiatrie précarité

Pilote : Mme Sophie Marchand (EMPP Brume)

Échéance : S1 2026

Indicateurs : nombre de personnes rencontrées par l'équipe mobile

## Axe 6 — Déterminants sociaux

### Fiche action n° 12 : Conseils locaux de santé mentale

Pilote : Ville de Brumeville (CLSM)

Calendrier : création du CLSM de Lavaux au T4 2025

## 7. Gouvernance

Le COPIL se réunit deux fois par an.
`;

/** Two fiches of a DOCX annex, each a table whose first row names it. */
export const MULTI_FICHE_DOCX: DocxPart[] = [
  { h: 1, text: 'Annexe 2 – Fiches actions du PTSM' },
  { p: 'Les fiches ci-dessous ont été validées par le COPIL.' },
  {
    table: [
      ['Fiche action n° 13', 'Lutter contre la stigmatisation'],
      ['Pilote', 'Collectif SISM du Val-de-Brume'],
      ['Calendrier', 'Semaines d\'information : octobre 2025'],
    ],
  },
  {
    table: [
      ['Fiche action n° 14', 'Soutenir les proches aidants'],
      ['Pilote', 'UNAFAM du Val-de-Brume'],
      ['Calendrier', 'Permanence ouverte au CH de Lavaux : T1 2026'],
    ],
  },
];
