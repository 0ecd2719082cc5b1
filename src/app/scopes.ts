import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PtsmError } from '../core/errors.js';

/**
 * Channel scopes: a chat channel can be bound to a set of documents (a
 * working group's own comptes rendus). In that channel, answers search that
 * set plus the public documents; documents bound to a *private* channel are
 * never quoted anywhere else.
 */
const ScopeEntry = z.object({
  platform: z.enum(['slack', 'teams', 'web']),
  channel: z.string().min(1),
  private: z.boolean().default(false),
  include: z.array(z.string().min(1)).min(1),
});
export type ScopeEntry = z.infer<typeof ScopeEntry>;

export const SCOPES_FILE = 'scopes.json';

export function loadScopes(dataDir: string): ScopeEntry[] {
  const file = path.join(dataDir, SCOPES_FILE);
  if (!fs.existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PtsmError('CONFIG_INVALID', `Fichier des périmètres illisible : ${file} (${(e as Error).message})`, { input: file });
  }
  const parsed = z.array(ScopeEntry).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PtsmError('CONFIG_INVALID', `Fichier des périmètres invalide : ${file}, entrée ${issue.path.join('.')} : ${issue.message}`, { input: file });
  }
  return parsed.data;
}

/** Glob with "*" (within a path segment) and "**" (any depth). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') { re += '.*'; i++; if (glob[i + 1] === '/') i++; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The source filter for a question asked in a channel (undefined: everything public). */
export function sourceFilter(scopes: readonly ScopeEntry[], channel: { platform: string; id: string } | undefined): (source: string) => boolean {
  const matchers = scopes.map((s) => ({ ...s, res: s.include.map(globToRegExp) }));
  const inScope = (s: (typeof matchers)[number], source: string): boolean => s.res.some((r) => r.test(source));
  const own = channel ? matchers.filter((s) => s.platform === channel.platform && s.channel === channel.id) : [];
  return (source) => {
    if (own.some((s) => inScope(s, source))) return true;
    // Documents bound to a private channel stay there.
    return !matchers.some((s) => s.private && inScope(s, source));
  };
}
