import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config.js';
import { PtsmError } from '../core/errors.js';

/**
 * Territories: one deployment may hold several PTSMs (one per département or
 * GHT). Each territory is its own data directory, `<dataDir>/territories/<id>/`,
 * with the same inner layout as a single-PTSM data directory (index, SQLite,
 * scopes, directory of pilots…): no query of one territory can reach another's
 * rows, because they are not in the same files.
 *
 * A data directory without a `territories/` folder is a single-PTSM deployment
 * (the original layout), used as it is.
 */
export const TERRITORIES_DIR = 'territories';

const TERRITORY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export const TERRITORY_ID_HINT = 'lettres, chiffres, « - » et « _ », 1 à 32 caractères ; par ex. 79, 2A, ght-sud';

export function isTerritoryId(id: string): boolean {
  return TERRITORY_ID.test(id);
}

/** The id as given, or a USAGE error naming it. */
export function parseTerritoryId(raw: string): string {
  if (!isTerritoryId(raw)) throw new PtsmError('USAGE', `Identifiant de territoire invalide : « ${raw} » (${TERRITORY_ID_HINT}).`, { input: raw });
  return raw;
}

export function territoryDir(rootDataDir: string, id: string): string {
  return path.join(rootDataDir, TERRITORIES_DIR, parseTerritoryId(id));
}

/** The territories of a data directory, sorted; folders whose name is not a valid id are not territories. */
export function listTerritories(rootDataDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(rootDataDir, TERRITORIES_DIR), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
  return entries.filter((d) => d.isDirectory() && isTerritoryId(d.name)).map((d) => d.name).sort((a, b) => a.localeCompare(b, 'fr', { numeric: true }));
}

export type TerritoryChoice =
  /** No territories: the data directory itself holds the one PTSM. */
  | { kind: 'single'; dataDir: string }
  | { kind: 'territory'; id: string; dataDir: string };

export interface ResolveOptions {
  /** `ptsm index --territory T` creates the territory; other commands need it to exist. */
  create?: boolean;
}

/**
 * The one rule: an explicit territory wins; else a data directory without
 * territories is a single-PTSM deployment; else its only territory is the
 * default; else the caller must say which one.
 */
export function resolveTerritory(rootDataDir: string, requested: string | undefined, opts: ResolveOptions = {}): TerritoryChoice {
  const known = listTerritories(rootDataDir);
  if (requested !== undefined) {
    const id = parseTerritoryId(requested);
    if (!opts.create && !known.includes(id)) {
      throw new PtsmError('USAGE', known.length
        ? `Territoire inconnu : « ${id} ». Territoires dans ${rootDataDir} : ${known.join(', ')}.`
        : `Territoire inconnu : « ${id} » (aucun territoire dans ${rootDataDir}). Créez-le en indexant ses documents : ptsm index <dossier> --territory ${id}`, { input: id });
    }
    return { kind: 'territory', id, dataDir: territoryDir(rootDataDir, id) };
  }
  if (!known.length) return { kind: 'single', dataDir: rootDataDir };
  if (known.length === 1) return { kind: 'territory', id: known[0]!, dataDir: territoryDir(rootDataDir, known[0]!) };
  throw new PtsmError('USAGE', `Plusieurs territoires dans ${rootDataDir} : ${known.join(', ')}. Précisez --territory.`, { input: rootDataDir });
}

/** The configuration one territory runs with: its own data directory, everything else shared. */
export function territoryConfig(config: AppConfig, choice: TerritoryChoice): AppConfig {
  if (choice.kind === 'single') return config;
  return { ...config, dataDir: choice.dataDir, territory: choice.id };
}
