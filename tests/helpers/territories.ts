import { main } from '../../src/cli/main.js';
import { write } from './files.js';

/**
 * Two fictional territories with the same kind of content (a pair-aidance
 * fiche, a COPIL report, one activity of their own) and facts that tell
 * them apart: pilots, titles, milestones, decisions. Each corpus lives in
 * its own folder, so every source names its territory (`corpus-79/…`).
 */
export interface SampleTerritory {
  id: string;
  folder: string;
  pilot: string;
  /** The pilot's Slack id, in the territory's annuaire.json (so the pilot can be nudged). */
  pilotSlack: string;
  /** A word only this territory's documents contain. */
  marker: string;
  fiche: string;
  copil: string;
  milestone: string;
  decision: string;
}

export const TERRITORY_A: SampleTerritory = {
  id: '79', folder: 'corpus-79', pilot: 'Armelle Quintard', pilotSlack: 'U0ARMELLE', marker: 'jardinage',
  fiche: 'Pair-aidance en Gâtine', copil: 'Compte rendu du COPIL de Gâtine du 12 mars 2026',
  milestone: 'Recrutement des pairs-aidants de Gâtine', decision: 'ouverture du jardin thérapeutique de Gâtine',
};
export const TERRITORY_B: SampleTerritory = {
  id: '86', folder: 'corpus-86', pilot: 'Barnabé Vercoutre', pilotSlack: 'U0BARNABE', marker: 'ferme',
  fiche: 'Pair-aidance du Loudunais', copil: 'Compte rendu du COPIL du Loudunais du 19 mars 2026',
  milestone: 'Formation des pairs-aidants du Loudunais', decision: 'ouverture de la ferme pédagogique du Loudunais',
};

export function territoryCorpus(t: SampleTerritory): Record<string, string> {
  return {
    [`${t.folder}/fiches/fa04-pair-aidance.md`]: [
      `# Fiche action n° 4 — ${t.fiche}`, '',
      '## Axe', '', 'Axe 2 — Parcours sans rupture', '',
      '## Constat', '', `Peu de médiateurs de santé pairs interviennent dans les CMP du territoire ${t.id}.`, '',
      '## Pilote(s)', '', `Mme ${t.pilot}, coordinatrice du GEM`, '',
      '## Partenaires', '', '- Délégation UNAFAM', '- Centre hospitalier de secteur', '',
      '## Calendrier', '', `- ${t.milestone} : fin 2030`, '- Premier bilan : fin 2031', '',
      '## Indicateurs', '', '- Nombre de médiateurs de santé pairs recrutés (cible : 2)',
    ].join('\n'),
    [`${t.folder}/comptes-rendus/cr-copil-2026-03.md`]: [
      `# ${t.copil}`, '',
      '## Relevé de décisions', '',
      `- Le COPIL valide l'${t.decision}.`,
      `- Le COPIL valide le recrutement d'un médiateur de santé pair, piloté par ${t.pilot}.`, '',
    ].join('\n'),
    [`${t.folder}/activites/${t.marker}.md`]: [
      `# Activité de ${t.marker} du territoire ${t.id}`, '',
      t === TERRITORY_A
        ? 'Un atelier de jardinage thérapeutique accueille chaque semaine les usagers du GEM de Gâtine.'
        : 'Une ferme pédagogique accueille chaque semaine les usagers du GEM du Loudunais.',
    ].join('\n'),
  };
}

export async function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { cwd, env, stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

/** Writes both corpora under `dir`, indexes each into its territory of `dir/data`, with its annuaire.json. */
export async function indexTwoTerritories(dir: string): Promise<void> {
  for (const t of [TERRITORY_A, TERRITORY_B]) {
    for (const [rel, content] of Object.entries(territoryCorpus(t))) write(dir, rel, content);
    const res = await cli(['index', t.folder, '--data', 'data', '--territory', t.id], dir);
    if (res.code !== 0) throw new Error(`index ${t.id} failed: ${res.err}`);
    write(dir, `data/territories/${t.id}/annuaire.json`, JSON.stringify([{ name: t.pilot, slack: t.pilotSlack }]));
  }
}
