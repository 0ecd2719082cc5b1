import path from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { tempDir, write } from './files.js';

/** Indexes the given files (path → content) in a temp folder and opens the knowledge base. */
export async function buildKb(files: Record<string, string | Buffer>): Promise<{ kb: KnowledgeBase; dir: string; dataDir: string; cleanup: () => void }> {
  const tmp = tempDir();
  for (const [rel, content] of Object.entries(files)) write(tmp.dir, rel, content);
  const dataDir = path.join(tmp.dir, 'data');
  const embedder = new LocalHashingEmbedder();
  await indexPaths(['docs'], { dataDir, embedder, logger: silentLogger, cwd: tmp.dir });
  return { kb: KnowledgeBase.open(dataDir, embedder), dir: tmp.dir, dataDir, cleanup: tmp.cleanup };
}

/** A small PTSM of a fictional département, original text, for answer tests. */
export const MINI_PTSM: Record<string, string> = {
  'docs/fiches/fa04-pair-aidance.md': [
    '# Fiche action n° 4 — Développer la pair-aidance',
    '', '## Axe', '', 'Axe 2 — Parcours sans rupture', '',
    '## Constat', '', 'Les usagers des CMP de la Vallée-Basse n’ont pas accès à des médiateurs de santé pairs.', '',
    '## Pilote(s)', '', 'Mme Inès Caradec, directrice du GEM La Boussole', '',
    '## Partenaires', '', '- EPSM des Deux-Rives', '- Délégation UNAFAM', '- CPTS du Val d’Orme', '',
    '## Calendrier', '', '- Recrutement de deux médiateurs : T2 2026', '- Premier bilan : fin 2027', '',
    '## Indicateurs', '', '- Nombre de médiateurs de santé pairs recrutés (cible : 2)', '- Nombre de personnes accompagnées par an', '',
    '## Financement', '', 'Crédits FIOP : 60 000 € par an.',
  ].join('\n'),
  'docs/fiches/fa07-logement.md': [
    '# Fiche action n° 7 — Logement accompagné', '',
    '## Pilote', '', 'M. Hugo Lemaire, CCAS de Port-Orme', '',
    '## Objectifs', '', '- Ouvrir 12 places de logement accompagné', '- Prévenir les expulsions locatives', '',
    '## Échéancier', '', 'Ouverture des places au printemps 2027.',
  ].join('\n'),
  'docs/comptes-rendus/cr-copil-2026-03-10.md': [
    '# Compte rendu du COPIL du 10 mars 2026', '',
    '## Relevé de décisions', '',
    '- Le COPIL valide le recrutement d’un second médiateur de santé pair.',
    '- Le budget de la fiche logement est porté à 80 000 €.', '',
    '## Prochaine réunion', '', 'Le prochain COPIL se tiendra le 22 septembre 2026.',
  ].join('\n'),
  'docs/glossaire.md': [
    '# Glossaire', '',
    '- **CLSM** : conseil local de santé mentale, instance de concertation entre élus, psychiatrie et usagers.',
    '- **CPTS** : communauté professionnelle territoriale de santé, qui regroupe les professionnels de ville.',
    '- **GEM** : groupe d’entraide mutuelle.',
  ].join('\n'),
};
