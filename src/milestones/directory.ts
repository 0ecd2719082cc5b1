import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PtsmError } from '../core/errors.js';
import type { Pilot } from '../core/fiche.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { abbreviates, looksLikeEmail, nameTokens, normalizeEmail, normalizeName, type NameTokens } from './normalize.js';
import type { Recipient } from './notifier.js';
import { ensureMilestoneSchema } from './schema.js';
import { stmt } from './statements.js';

/**
 * The pilot directory: who a fiche's "Dr P. Martin" is, and how to reach them.
 * Two sources: `annuaire.json`, maintained by the coordinator, and identities
 * learned when people talk to the bot (their Slack/Teams ids).
 */
export const DirectoryEntrySchema = z.object({
  name: z.string().trim().min(1, { message: 'le nom est obligatoire' }),
  aliases: z.array(z.string().trim().min(1)).default([]),
  organisation: z.string().nullable().optional(),
  slack: z.string().trim().min(1).optional(),
  teams: z.string().trim().min(1).optional(),
  email: z.string().trim().refine(looksLikeEmail, { message: 'adresse e-mail invalide' }).optional(),
});
export type DirectoryEntryInput = z.input<typeof DirectoryEntrySchema>;

export interface DirectoryEntry {
  name: string;
  aliases: string[];
  organisation: string | null;
  email?: string;
  slack?: string;
  teams?: string;
  /** Teams needs a stored conversation reference to message someone first. */
  teamsConversationRef?: Record<string, unknown>;
  source: 'annuaire' | 'appris';
}

export type PilotResolution =
  | { status: 'linked'; pilot: Pilot; recipient: Recipient; via: 'email' | 'chat' | 'nom' | 'initiales' | 'fiche' }
  | { status: 'unlinked'; pilot: Pilot; reason: 'inconnu' | 'ambigu' | 'sans coordonnées'; candidates: string[] };

export interface PilotDirectory {
  resolvePilot(pilot: Pilot): PilotResolution;
  entries(): DirectoryEntry[];
  /** Re-reads learned identities from the database (the scheduler calls it each tick). */
  refresh(): void;
}

export const DIRECTORY_FILE = 'annuaire.json';

export function directoryPath(dataDir: string): string {
  return path.join(dataDir, DIRECTORY_FILE);
}

const FIELD_LABELS: Record<string, string> = {
  name: 'nom (name)', aliases: 'alias (aliases)', organisation: 'organisation', slack: 'identifiant Slack (slack)',
  teams: 'identifiant Teams (teams)', email: 'e-mail (email)',
};

function corrupt(file: string, message: string): PtsmError {
  return new PtsmError('INPUT_CORRUPT', `Annuaire des pilotes invalide (${file}) : ${message}`, { input: file });
}

/** Reads and validates annuaire.json. A missing file is an empty directory (every pilot is then unlinked). */
export function loadDirectoryFile(file: string): DirectoryEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new PtsmError('INPUT_NOT_FOUND', `Impossible de lire l'annuaire des pilotes ${file} : ${(e as Error).message}`, { input: file, cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw corrupt(file, `ce n'est pas du JSON valide (${(e as Error).message}).`);
  }
  if (!Array.isArray(data)) {
    throw corrupt(file, 'le fichier doit contenir une liste [ … ] de personnes, par exemple [{ "name": "Dr Paul Martin", "email": "paul.martin@exemple.fr" }].');
  }
  const entries: DirectoryEntry[] = [];
  const emails = new Map<string, string>();
  data.forEach((raw, i) => {
    const label = raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string'
      ? `entrée n° ${i + 1} (« ${(raw as { name: string }).name} »)` : `entrée n° ${i + 1}`;
    const r = DirectoryEntrySchema.safeParse(raw);
    if (!r.success) {
      const issues = r.error.issues.map((iss) => {
        const field = String(iss.path[0] ?? '');
        return `${FIELD_LABELS[field] ?? (field || 'entrée')} : ${iss.code === 'invalid_type' ? 'valeur manquante ou de mauvais type' : iss.message}`;
      });
      throw corrupt(file, `${label} — ${issues.join(' ; ')}.`);
    }
    const e = r.data;
    const all = [e.email, ...e.aliases.filter(looksLikeEmail)].filter((x): x is string => !!x).map(normalizeEmail);
    for (const em of all) {
      const other = emails.get(em);
      if (other !== undefined && other !== e.name) throw corrupt(file, `${label} — l'adresse ${em} est aussi celle de « ${other} ».`);
      emails.set(em, e.name);
    }
    entries.push({
      name: e.name, aliases: e.aliases, organisation: e.organisation ?? null, source: 'annuaire',
      ...(e.email ? { email: e.email } : {}), ...(e.slack ? { slack: e.slack } : {}), ...(e.teams ? { teams: e.teams } : {}),
    });
  });
  return entries;
}

export interface LearnedIdentityInput {
  name: string;
  email?: string;
  slack?: string;
  teams?: string;
  teamsConversationRef?: object;
}

/**
 * Remembers who wrote to the bot, keyed by chat id (or e-mail). Called by the
 * channels on every interaction; later pilots named like this person get linked.
 */
export function learnIdentity(db: SqliteDb, who: LearnedIdentityInput, now: string = new Date().toISOString()): void {
  ensureMilestoneSchema(db);
  const name = who.name.trim();
  if (!name) throw new PtsmError('USAGE', "Identité sans nom : impossible de la rattacher à un pilote.", { input: JSON.stringify(who) });
  const email = who.email ? normalizeEmail(who.email) : null;
  const ref = who.teamsConversationRef ? JSON.stringify(who.teamsConversationRef) : null;
  db.transaction(() => {
    const existing = stmt(db, `SELECT id FROM pilot_identity
        WHERE (? IS NOT NULL AND slack = ?) OR (? IS NOT NULL AND teams = ?) OR (? IS NOT NULL AND email = ?)
        ORDER BY id LIMIT 1`)
      .get(who.slack ?? null, who.slack ?? null, who.teams ?? null, who.teams ?? null, email, email) as { id: number } | undefined;
    if (existing) {
      stmt(db, `UPDATE pilot_identity SET name = ?, name_norm = ?, email = COALESCE(?, email), slack = COALESCE(?, slack),
          teams = COALESCE(?, teams), teams_ref_json = COALESCE(?, teams_ref_json), last_seen = ? WHERE id = ?`)
        .run(name, normalizeName(name), email, who.slack ?? null, who.teams ?? null, ref, now, existing.id);
    } else {
      stmt(db, `INSERT INTO pilot_identity (name, name_norm, email, slack, teams, teams_ref_json, first_seen, last_seen)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(name, normalizeName(name), email, who.slack ?? null, who.teams ?? null, ref, now, now);
    }
  }).immediate();
}

function learnedEntries(db: SqliteDb): DirectoryEntry[] {
  ensureMilestoneSchema(db);
  const rows = stmt(db, 'SELECT name, email, slack, teams, teams_ref_json FROM pilot_identity ORDER BY id').all() as {
    name: string; email: string | null; slack: string | null; teams: string | null; teams_ref_json: string | null;
  }[];
  return rows.map((r) => ({
    name: r.name, aliases: [], organisation: null, source: 'appris' as const,
    ...(r.email ? { email: r.email } : {}), ...(r.slack ? { slack: r.slack } : {}), ...(r.teams ? { teams: r.teams } : {}),
    ...(r.teams_ref_json ? { teamsConversationRef: JSON.parse(r.teams_ref_json) as Record<string, unknown> } : {}),
  }));
}

interface Indexed {
  entry: DirectoryEntry;
  names: NameTokens[];
  norms: Set<string>;
  emails: Set<string>;
}

function index(entry: DirectoryEntry): Indexed {
  const texts = [entry.name, ...entry.aliases.filter((a) => !looksLikeEmail(a))];
  const emails = new Set([entry.email, ...entry.aliases.filter(looksLikeEmail)].filter((x): x is string => !!x).map(normalizeEmail));
  return { entry, names: texts.map(nameTokens), norms: new Set(texts.map(normalizeName)), emails };
}

/** Folds learned identities into the coordinator's entries (same e-mail, chat id or name), keeps the rest apart. */
function merge(annuaire: DirectoryEntry[], learned: DirectoryEntry[]): Indexed[] {
  const out = annuaire.map((e) => index({ ...e }));
  for (const l of learned) {
    const norm = normalizeName(l.name);
    const target = out.find((x) =>
      (l.email !== undefined && x.emails.has(l.email)) ||
      (l.slack !== undefined && x.entry.slack === l.slack) ||
      (l.teams !== undefined && x.entry.teams === l.teams)) ??
      out.filter((x) => x.norms.has(norm)).reduce<Indexed | undefined>((acc, x, _i, arr) => (arr.length === 1 ? x : acc), undefined);
    if (target) {
      const e = target.entry;
      if (!e.slack && l.slack) e.slack = l.slack;
      if (!e.teams && l.teams) e.teams = l.teams;
      if (!e.email && l.email) { e.email = l.email; target.emails.add(l.email); }
      if (l.teamsConversationRef) e.teamsConversationRef = l.teamsConversationRef;
    } else {
      out.push(index(l));
    }
  }
  return out;
}

/** The ledger's recipient id: stable while the person's canonical name is unchanged. */
export function recipientId(entry: { name: string }): string {
  return normalizeName(entry.name);
}

function toRecipient(e: DirectoryEntry): Recipient {
  return {
    id: recipientId(e), name: e.name, organisation: e.organisation, role: 'pilot',
    ...(e.email ? { email: e.email } : {}), ...(e.slack ? { slack: e.slack } : {}), ...(e.teams ? { teams: e.teams } : {}),
    ...(e.teamsConversationRef ? { teamsConversationRef: e.teamsConversationRef } : {}),
  };
}

function reachable(e: DirectoryEntry): boolean {
  return !!(e.slack || e.teams || e.email || e.teamsConversationRef);
}

/** Abbreviation is only trusted for people ("P. Martin", "Mme Dupont"), not bare words. */
function canAbbreviate(short: NameTokens): boolean {
  return short.initials.length > 0 || short.hadTitle;
}

export function createDirectory(annuaire: DirectoryEntry[], db?: SqliteDb): PilotDirectory {
  let indexed = merge(annuaire, db ? learnedEntries(db) : []);

  const linked = (pilot: Pilot, e: DirectoryEntry, via: 'email' | 'chat' | 'nom' | 'initiales'): PilotResolution =>
    reachable(e)
      ? { status: 'linked', pilot, recipient: toRecipient(e), via }
      : { status: 'unlinked', pilot, reason: 'sans coordonnées', candidates: [e.name] };

  const pick = (pilot: Pilot, hits: Indexed[], via: 'email' | 'chat' | 'nom' | 'initiales'): PilotResolution | null => {
    const unique = [...new Set(hits)];
    if (unique.length === 1) return linked(pilot, unique[0]!.entry, via);
    if (unique.length > 1) return { status: 'unlinked', pilot, reason: 'ambigu', candidates: unique.map((h) => h.entry.name) };
    return null;
  };

  // Fiches repeat the same few pilots: resolve each distinct one once per refresh.
  const memo = new Map<string, PilotResolution>();

  const resolve = (pilot: Pilot): PilotResolution => {
    const emails = [pilot.email, looksLikeEmail(pilot.name) ? pilot.name : null].filter((x): x is string => !!x).map(normalizeEmail);
    for (const em of emails) {
      const r = pick(pilot, indexed.filter((x) => x.emails.has(em)), 'email');
      if (r) return r;
    }
    const { slack, teams } = pilot.chatIds ?? {};
    if (slack || teams) {
      const r = pick(pilot, indexed.filter((x) => (slack && x.entry.slack === slack) || (teams && x.entry.teams === teams)), 'chat');
      if (r) return r;
      // The fiche itself says how to reach them.
      const self: DirectoryEntry = { name: pilot.name, aliases: [], organisation: pilot.organisation ?? null, source: 'appris', ...(slack ? { slack } : {}), ...(teams ? { teams } : {}) };
      return { status: 'linked', pilot, recipient: toRecipient(self), via: 'fiche' };
    }
    const norm = normalizeName(pilot.name);
    const byName = pick(pilot, indexed.filter((x) => x.norms.has(norm)), 'nom');
    if (byName) return byName;
    const tokens = nameTokens(pilot.name);
    const abbrev = indexed.filter((x) => x.names.some((n) =>
      (canAbbreviate(tokens) && abbreviates(tokens, n)) || (canAbbreviate(n) && abbreviates(n, tokens))));
    const byInitials = pick(pilot, abbrev, 'initiales');
    if (byInitials) return byInitials;
    if (pilot.email) {
      // Not in the directory but the fiche gives an address: reachable by e-mail-capable channels.
      const self: DirectoryEntry = { name: pilot.name, aliases: [], organisation: pilot.organisation ?? null, source: 'appris', email: pilot.email };
      return { status: 'linked', pilot, recipient: toRecipient(self), via: 'fiche' };
    }
    return { status: 'unlinked', pilot, reason: 'inconnu', candidates: [] };
  };

  return {
    entries: () => indexed.map((x) => x.entry),
    refresh: () => {
      indexed = merge(annuaire, db ? learnedEntries(db) : []);
      memo.clear();
    },
    resolvePilot(pilot) {
      const key = JSON.stringify([pilot.name, pilot.email, pilot.organisation, pilot.chatIds?.slack, pilot.chatIds?.teams]);
      let r = memo.get(key);
      if (!r) {
        r = resolve(pilot);
        memo.set(key, r);
      }
      return r;
    },
  };
}

/** The directory of a data directory: annuaire.json plus identities learned in the database. */
export function loadDirectory(dataDir: string, db?: SqliteDb): PilotDirectory {
  return createDirectory(loadDirectoryFile(directoryPath(dataDir)), db);
}
