import { OPERATOR_AUDIENCE, loadAccessPolicy, type AccessPolicy, type Audience } from '../app/access.js';
import fs from 'node:fs';
import { PtsmError } from '../core/errors.js';
import { listFiches } from '../fiches/registry.js';
import { databasePath, openDatabase } from '../storage/sqlite.js';
import type { CommandContext } from './context.js';

/**
 * The CLI runs as the operator, who sees every document; `--channel` (declared
 * in registry.ts) shows what a channel would see instead, through the same
 * policy as the chat channels and the console.
 */
const PLATFORMS = ['slack', 'teams', 'web'] as const;

export function cliAudience(flag: unknown): Audience {
  if (flag === undefined) return OPERATOR_AUDIENCE;
  const value = String(flag).trim();
  const colon = value.indexOf(':');
  const platform = value.slice(0, colon) as (typeof PLATFORMS)[number];
  const channel = value.slice(colon + 1).trim();
  if (colon < 0 || !PLATFORMS.includes(platform) || !channel) {
    throw new PtsmError('USAGE', `--channel attend plateforme:canal, par ex. slack:C0GTLOGEMENT (reçu « ${value} »).`, { input: value });
  }
  return { platform, channel };
}

/** The access policy over the data directory, and the audience the command speaks to. */
export function cliAccess(ctx: CommandContext, flags: Record<string, unknown>): { policy: AccessPolicy; audience: Audience } {
  const audience = cliAudience(flags['channel']);
  const file = databasePath(ctx.config.dataDir);
  let fiches: ReturnType<typeof listFiches> = [];
  if (fs.existsSync(file)) {
    const db = openDatabase(file);
    try { fiches = listFiches(db); } finally { db.close(); }
  }
  return { policy: loadAccessPolicy(ctx.config, fiches), audience };
}
