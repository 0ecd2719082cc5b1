import fs from 'node:fs';
import { listTerritories, territoryDir } from '../../app/territories.js';
import { loadTerritoryMap } from '../../app/territory-map.js';
import { listFiches } from '../../fiches/registry.js';
import { readManifest } from '../../search/snapshot.js';
import { databasePath, openDatabase } from '../../storage/sqlite.js';
import type { CommandRun } from '../context.js';
import { json } from '../format.js';

/** `ptsm territories`: the territories of the data directory, with their name (territories.json), documents and fiches. */
export const runTerritories: CommandRun = async (ctx, _args, flags) => {
  const root = ctx.config.dataDir;
  const map = loadTerritoryMap(root);
  const rows = listTerritories(root).map((id) => {
    const dir = territoryDir(root, id);
    const file = databasePath(dir);
    let fiches = 0;
    if (fs.existsSync(file)) {
      const db = openDatabase(file);
      try { fiches = listFiches(db).length; } finally { db.close(); }
    }
    return { id, name: map.entry(id)?.name ?? null, documents: readManifest(dir)?.documents.length ?? 0, fiches };
  });
  if (flags['json']) { ctx.stdout(json(rows)); return 0; }
  if (!rows.length) {
    ctx.stdout(`Aucun territoire dans ${root} : un seul PTSM, dans le dossier lui-même. Pour en créer un : ptsm index <dossier> --territory 79\n`);
    return 0;
  }
  for (const r of rows) ctx.stdout(`${r.id.padEnd(10)}  ${(r.name ?? '').padEnd(30)}  ${String(r.documents).padStart(4)} documents  ${String(r.fiches).padStart(4)} fiches\n`);
  return 0;
};
