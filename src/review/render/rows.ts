import type { Bilan, BilanFiche } from '../bilan.js';

/** One flat row per fiche, shared by the CSV and XLSX renderers (same columns, same words). */
export const FICHE_COLUMNS = [
  'N°', 'Fiche action', 'Axe', 'Pilotes', 'Statut', 'Jalons de l\'année', 'Faits', 'En retard', 'Reportés', 'À venir',
  'Détail des jalons', 'Réponses des pilotes', 'Indicateurs (valeurs trouvées)', 'Décisions de l\'année',
] as const;

export function ficheRow(f: BilanFiche): string[] {
  return [
    f.number === null ? '' : String(f.number), f.title, f.axis ?? '', f.pilots.join(', ') || 'sans pilote', f.status,
    String(f.milestones.length), String(f.counts.done), String(f.counts.late), String(f.counts.postponed), String(f.counts.upcoming),
    f.milestones.map((m) => `${m.label} — ${m.status}${m.due ? ` (${m.due})` : ''}`).join('\n'),
    f.milestones.flatMap((m) => m.answers.map((a) => `${m.label} : ${a.event} par ${a.by}${a.detail ? ` (${a.detail})` : ''}`)).join('\n'),
    f.indicators.map((i) => `${i.label} : ${i.values.length ? i.values.map((v) => v.value).join(' ; ') : 'aucune valeur'}`).join('\n'),
    f.decisions.map((d) => `${d.meeting} du ${d.date ?? '?'} : ${d.decision}`).join('\n'),
  ];
}

export const AXIS_COLUMNS = ['Axe', 'Fiches', 'Jalons', 'Faits', 'En retard', 'Reportés', 'À venir', 'Fiches avec une valeur d\'indicateur'] as const;

export function axisRows(b: Bilan): string[][] {
  return b.axes.map((a) => [a.axis, a.fiches, a.milestones, a.done, a.late, a.postponed, a.upcoming, a.withIndicatorValue].map(String));
}

export const MISSING_COLUMNS = ['Manque', 'N°', 'Fiche action', 'Détail'] as const;

export function missingRows(b: Bilan): string[][] {
  return [
    ...b.missing.withoutPilot.map((f) => ['Fiche sans pilote', String(f.number ?? ''), f.title, '']),
    ...b.missing.withoutIndicatorValue.map((f) => [`Aucune valeur d'indicateur en ${b.year}`, String(f.number ?? ''), f.title, '']),
    ...b.missing.overdueWithoutAnswer.map((f) => ['Jalon en retard sans réponse du pilote', String(f.number ?? ''), f.title, `${f.milestone} (${f.due ?? 'non daté'}) — ${f.pilots.join(', ') || 'sans pilote'}`]),
  ];
}
