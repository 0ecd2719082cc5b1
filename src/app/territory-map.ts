import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PtsmError } from '../core/errors.js';
import type { ConversationRef } from './assistant.js';
import { TERRITORY_ID_HINT, isTerritoryId } from './territories.js';

/**
 * `<dataDir>/territories.json`: which territory each chat channel belongs to
 * (Slack channels or whole workspaces, Teams conversations or whole tenants,
 * web console users), and where each territory's coordinator digest goes.
 * A conversation maps to one territory at most; one mapped nowhere gets no
 * content (see serve.ts).
 */
export const TERRITORIES_FILE = 'territories.json';

const Ids = z.array(z.string().min(1)).default([]);

const TerritoryEntry = z.object({
  name: z.string().min(1).optional(),
  slack: z.object({ channels: Ids, teams: Ids }).strict().default({ channels: [], teams: [] }),
  teams: z.object({ conversations: Ids, tenants: Ids }).strict().default({ conversations: [], tenants: [] }),
  web: z.object({ users: Ids }).strict().default({ users: [] }),
  /** The coordinator's digest and alerts of this territory (instead of SLACK_DIGEST_CHANNEL / TEAMS_DIGEST_CONVERSATION). */
  digest: z.object({ slack: z.string().min(1).optional(), teams: z.string().min(1).optional() }).strict().default({}),
}).strict();
export type TerritoryEntry = z.infer<typeof TerritoryEntry>;

const MapFile = z.object({
  territories: z.record(z.string().refine(isTerritoryId, { message: `identifiant de territoire invalide (${TERRITORY_ID_HINT})` }), TerritoryEntry),
}).strict();

export class TerritoryMap {
  private readonly index = new Map<string, string>();

  constructor(readonly file: string, readonly territories: Readonly<Record<string, TerritoryEntry>>) {
    const claim = (key: string, id: string, what: string): void => {
      const other = this.index.get(key);
      if (other && other !== id) {
        throw new PtsmError('CONFIG_INVALID', `Fichier des territoires invalide : ${file}, ${what} est rattaché à deux territoires (${other} et ${id}).`, { input: file });
      }
      this.index.set(key, id);
    };
    for (const [id, t] of Object.entries(territories)) {
      for (const c of t.slack.channels) claim(`slack:c:${c}`, id, `le canal Slack « ${c} »`);
      for (const c of t.slack.teams) claim(`slack:t:${c}`, id, `l'espace Slack « ${c} »`);
      for (const c of t.teams.conversations) claim(`teams:c:${baseConversation(c)}`, id, `la conversation Teams « ${c} »`);
      for (const c of t.teams.tenants) claim(`teams:t:${c}`, id, `le locataire Teams « ${c} »`);
      for (const u of t.web.users) claim(`web:u:${u}`, id, `l'utilisateur web « ${u} »`);
    }
  }

  /** The territory a conversation belongs to: its own mapping first, then its workspace's or tenant's; null when none. */
  territoryOf(ref: ConversationRef): string | null {
    if (ref.platform === 'web') return ref.user ? this.index.get(`web:u:${ref.user}`) ?? null : null;
    const p = ref.platform;
    if (ref.conversation) {
      const hit = this.index.get(`${p}:c:${p === 'teams' ? baseConversation(ref.conversation) : ref.conversation}`);
      if (hit) return hit;
    }
    return ref.team ? this.index.get(`${p}:t:${ref.team}`) ?? null : null;
  }

  entry(id: string): TerritoryEntry | undefined {
    return this.territories[id];
  }
}

/** A Teams channel thread's conversation id carries `;messageid=…`: the channel is what is mapped. */
function baseConversation(id: string): string {
  const i = id.indexOf(';');
  return i < 0 ? id : id.slice(0, i);
}

/** Reads `<dataDir>/territories.json`; an absent file is an empty map. Errors name the file and the bad entry. */
export function loadTerritoryMap(rootDataDir: string): TerritoryMap {
  const file = path.join(rootDataDir, TERRITORIES_FILE);
  if (!fs.existsSync(file)) return new TerritoryMap(file, {});
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PtsmError('CONFIG_INVALID', `Fichier des territoires illisible : ${file} (${(e as Error).message})`, { input: file });
  }
  const parsed = MapFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `entrée ${issue.path.join('.')} : ` : '';
    throw new PtsmError('CONFIG_INVALID', `Fichier des territoires invalide : ${file}, ${where}${frenchIssue(issue)}`, { input: file });
  }
  return new TerritoryMap(file, parsed.data.territories);
}

function frenchIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': return `valeur de type inattendu (attendu : ${issue.expected === 'array' ? 'une liste' : issue.expected === 'object' ? 'un objet' : issue.expected === 'string' ? 'un texte' : issue.expected})`;
    case 'unrecognized_keys': return `champ inconnu ${issue.keys.map((k) => `« ${k} »`).join(', ')} (champs possibles : name, slack, teams, web, digest)`;
    case 'too_small': return 'valeur vide';
    case 'invalid_key': return `identifiant de territoire invalide (${TERRITORY_ID_HINT})`;
    default: return issue.message;
  }
}
