import { Fiche } from '../../../src/core/fiche.js';
import {
  type DraftView, formatIndicator, formatMilestone, formatPilot, statusLabel,
} from '../../../src/fiches/render/labels.js';

/** A complete fiche as a working group would write it (original text). */
export const fullFiche: Fiche = Fiche.parse({
  id: 'fa-2-4',
  number: 7,
  title: "Créer une équipe mobile d'appui aux structures d'hébergement social",
  axis: 'Axe 2 — Parcours de soins et de vie sans rupture',
  context: [
    "Les centres d'hébergement et les pensions de famille du territoire accueillent de plus en plus de personnes présentant des troubles psychiques non suivis.",
    "Les équipes sociales disent se sentir seules face aux situations de crise ; les délais d'accès au CMP dépassent souvent six semaines.",
  ].join('\n\n'),
  objectives: {
    general: ["Sécuriser le parcours des personnes hébergées en leur donnant un accès rapide à un avis psychiatrique"],
    operational: [
      "Proposer un appui téléphonique aux équipes sociales du lundi au vendredi",
      "Organiser des visites conjointes sur site dans les 15 jours suivant la demande",
      "Former les intervenants sociaux aux premiers secours en santé mentale (PSSM)",
    ],
  },
  steps: [
    "Constituer l'équipe (infirmier, psychologue, travailleur social, médiateur de santé pair)",
    "Signer une convention avec chaque structure d'hébergement volontaire",
    "Mettre en place une ligne d'appui et un formulaire de demande partagé",
    "Lancer les visites conjointes et les réunions de synthèse mensuelles",
    "Évaluer le dispositif après un an de fonctionnement",
  ],
  targetPublic: [
    "Personnes hébergées en CHRS, pensions de famille et résidences sociales",
    "Professionnels des structures d'hébergement",
  ],
  pilots: [
    { name: 'Mme Céline Vasseur', organisation: "GEM L'Escale", email: 'c.vasseur@example.org' },
    { name: 'Dr Karim Benali', organisation: 'EPSM de la Vallée' },
  ],
  partners: [
    'SIAO', 'CCAS & centres sociaux', 'EMPP', 'DAC du département', 'UNAFAM (délégation départementale)', 'Conseil départemental',
  ],
  milestones: [
    { label: 'Lancement', dueText: 'T2 2025', due: '2025-06-30', start: '2025-04-01', precision: 'quarter' },
    { label: 'Recrutement des deux médiateurs de santé pairs', dueText: "d'ici fin 2025", due: '2025-12-31', precision: 'year' },
    { label: 'Comité de suivi', dueText: '15 mars 2026', due: '2026-03-15', start: '2026-03-15', precision: 'day' },
    { label: 'Premier bilan présenté en COPIL', dueText: 'printemps 2026', due: '2026-06-20', precision: 'season' },
  ],
  indicators: [
    { label: "Nombre de structures d'hébergement conventionnées", type: 'processus', target: '12' },
    { label: 'Part des demandes traitées en < 15 jours', type: 'resultat', target: '80 %' },
    { label: 'Satisfaction des équipes sociales', type: 'autre' },
  ],
  funding: "FIOP 2025 : 180 000 € sur trois ans.\nMise à disposition de 0,5 ETP de travailleur social par le Conseil départemental.",
  status: 'en cours',
  updatedAt: '2025-05-12T09:30:00Z',
  source: { path: 'corpus/ptsm-vallee-2024.pdf', title: 'PTSM de la Vallée 2024-2028', page: 42 },
  extra: { 'Points de vigilance': "Articulation avec le DAC pour éviter les doublons d'intervention." },
});

/** What a coordinator writes first: a title and nothing else. */
export const emptyFiche: Fiche = Fiche.parse({
  id: 'fa-x',
  title: 'Repérage précoce des troubles psychiques en milieu scolaire',
  updatedAt: '2025-01-10',
});

/** A fiche drafted from a chat thread, with what it did not settle. */
export const draftFiche: Fiche = Fiche.parse({
  id: 'draft-1',
  title: 'Former les bailleurs sociaux aux premiers secours en santé mentale',
  context: "Plusieurs bailleurs signalent des situations d'incurie et de troubles du voisinage sans relais identifié.",
  steps: ['Recenser les bailleurs intéressés', 'Programmer deux sessions PSSM par an'],
  partners: ['Office public de l\'habitat', 'CLSM de la ville-centre'],
  milestones: [{ label: 'Première session', dueText: '2e semestre 2025', due: '2025-12-31', precision: 'semester' }],
  updatedAt: '2025-03-02',
});
export const draftView: DraftView = {
  missing: ['pilots', 'indicators', 'funding', 'date du premier COPIL'],
  provenance: { title: ['m1'], context: ['m3', 'm7'], steps: ['m4'], partners: ['m2', 'm5'], milestones: ['m6'] },
};

const WORDS = [
  'coordination', 'parcours', 'hébergement', 'rétablissement', 'psychiatrie', 'médico-social', 'partenaires',
  'territoire', 'accompagnement', 'prévention', 'repérage', 'orientation', 'familles', 'logement', 'insertion',
];

/** Deterministic filler text of about `chars` characters, in whole words. */
export function filler(chars: number, seed = 1): string {
  const out: string[] = [];
  let n = 0;
  let i = seed;
  while (n < chars) {
    const w = WORDS[i % WORDS.length]!;
    out.push(w);
    n += w.length + 1;
    i = (i * 7 + 3) % 101;
  }
  return out.join(' ');
}

/** A fiche no chat message can hold: 80 steps, 60 indicators, a 5,000-character context. */
export const hugeFiche: Fiche = Fiche.parse({
  id: 'fa-huge',
  number: 12,
  title: 'Plan territorial de prévention du suicide & de postvention',
  axis: 'Axe 4 — Prévention et gestion des situations de crise',
  context: filler(5000, 5),
  objectives: {
    general: ['Réduire le nombre de tentatives de suicide sur le territoire'],
    operational: Array.from({ length: 15 }, (_, i) => `Objectif opérationnel ${i + 1} : ${filler(90, i + 2)}`),
  },
  steps: Array.from({ length: 80 }, (_, i) => `Étape ${i + 1} : ${filler(110, i + 11)}`),
  targetPublic: ['Personnes ayant fait une tentative de suicide', 'Entourage', 'Professionnels de première ligne'],
  pilots: [{ name: 'M. Julien Ferrand', organisation: 'CH de la Côte' }],
  partners: Array.from({ length: 40 }, (_, i) => `Partenaire n° ${i + 1} (${filler(30, i + 3)})`),
  milestones: Array.from({ length: 30 }, (_, i) => ({ label: `Jalon ${i + 1}`, dueText: `T${(i % 4) + 1} ${2025 + Math.floor(i / 4)}` })),
  indicators: Array.from({ length: 60 }, (_, i) => ({ label: `Indicateur ${i + 1} : ${filler(80, i + 7)}`, type: i % 2 ? 'resultat' : 'processus', target: `${i + 10} %` })),
  funding: filler(1200, 9),
  status: 'validée',
  updatedAt: '2025-09-01',
});

/** Every piece of content a rendering of `fiche` must show, formatted as the renderers format it. */
export function expectedContent(fiche: Fiche): string[] {
  const paras = (t: string | null) => (t ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  return [
    fiche.title,
    ...paras(fiche.axis),
    ...paras(fiche.context),
    ...fiche.objectives.general,
    ...fiche.objectives.operational,
    ...fiche.steps,
    ...fiche.targetPublic,
    ...fiche.pilots.map(formatPilot),
    ...fiche.partners,
    ...fiche.milestones.map(formatMilestone),
    ...fiche.indicators.map(formatIndicator),
    ...paras(fiche.funding),
    ...Object.values(fiche.extra).flatMap(paras),
    statusLabel(fiche.status),
  ];
}
