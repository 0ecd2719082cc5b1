import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { PtsmError } from '../core/errors.js';

/**
 * Channel scopes (DATA/scopes.json): a chat channel can be bound to a set of
 * documents (a working group's own comptes rendus). In that channel, answers
 * search that set plus the public documents; documents bound to a *private*
 * channel are never shown anywhere else (see access.ts, the one policy).
 *
 * Patterns are globs (picomatch: `**`, braces, extglobs, `!` to exclude)
 * matched against a document's path relative to the corpus root
 * (PTSM_CORPUS_ROOT), or against its absolute path when the pattern is
 * absolute — never against the path as typed at indexing, which changes with
 * the folder `ptsm index` was run from.
 */
const Platform = z.enum(['slack', 'teams', 'web']);

const ScopeEntry = z.object({
  platform: Platform,
  channel: z.string().min(1),
  private: z.boolean().default(false),
  include: z.array(z.string().min(1)).min(1),
  /** Web console only: the logins (proxy header value, or "web" for the token holder) that belong to this channel. */
  users: z.array(z.string().min(1)).default([]),
}).refine((s) => s.platform === 'web' || !s.users.length, { message: '« users » ne sert que pour la console web (platform « web ») : sur Slack et Teams, le canal où la demande est faite décide', path: ['users'] });
export type ScopeEntry = z.infer<typeof ScopeEntry>;

/** Someone who sees every document, wherever they ask from (the PTSM's coordinator). */
const Coordinator = z.object({ platform: Platform, user: z.string().min(1) });
export type Coordinator = z.infer<typeof Coordinator>;

const ScopesFile = z.union([
  z.array(ScopeEntry).transform((scopes) => ({ scopes, coordinators: [] as Coordinator[] })),
  z.object({ scopes: z.array(ScopeEntry).default([]), coordinators: z.array(Coordinator).default([]) }).strict(),
]);
export type ScopeConfig = z.infer<typeof ScopesFile>;

export const SCOPES_FILE = 'scopes.json';

export function loadScopeConfig(dataDir: string): ScopeConfig {
  const file = path.join(dataDir, SCOPES_FILE);
  if (!fs.existsSync(file)) return { scopes: [], coordinators: [] };
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PtsmError('CONFIG_INVALID', `Fichier des périmètres illisible : ${file} (${(e as Error).message})`, { input: file });
  }
  const parsed = ScopesFile.safeParse(data);
  if (!parsed.success) {
    const issue = deepestIssue(parsed.error.issues);
    const where = issue.path.length ? `entrée ${issue.path.join('.')} : ` : '';
    throw new PtsmError('CONFIG_INVALID', `Fichier des périmètres invalide : ${file}, ${where}${issue.message}`, { input: file });
  }
  return parsed.data;
}

/** The channel scopes only (kept for callers that only list channels). */
export function loadScopes(dataDir: string): ScopeEntry[] {
  return loadScopeConfig(dataDir).scopes;
}

/** A union's error hides the useful issue inside one of its branches: report the one that went deepest. */
function deepestIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  let best = issues[0]!;
  const visit = (list: readonly z.core.$ZodIssue[]): void => {
    for (const i of list) {
      if (i.path.length > best.path.length) best = i;
      if (i.code === 'invalid_union') for (const branch of i.errors) visit(branch);
    }
  };
  visit(issues);
  return best;
}

/** What a pattern is matched against: a document's path relative to the corpus root, and its absolute path. */
export interface ScopedPath {
  relative: string | null;
  absolute: string;
}

export function scopedPath(absPath: string, corpusRoot: string): ScopedPath {
  const absolute = path.resolve(absPath);
  const rel = path.relative(corpusRoot, absolute);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return { relative: inside ? rel.split(path.sep).join('/') : null, absolute: absolute.split(path.sep).join('/') };
}

/** A leading "!" excludes; "!(…)" is an extglob, not an exclusion. */
const EXCLUSION = /^!(?!\()/;

/** One compiled include list: a document is in it when a pattern includes it and no "!" pattern excludes it. */
export interface ScopeMatcher {
  matches(p: ScopedPath): boolean;
  /** Each positive pattern with its own test, to tell which one matches nothing. */
  patterns: Array<{ pattern: string; test: (p: ScopedPath) => boolean }>;
}

export function compileInclude(include: readonly string[]): ScopeMatcher {
  const compile = (pattern: string) => {
    const isMatch = picomatch(pattern, { dot: true });
    return path.isAbsolute(pattern)
      ? (p: ScopedPath) => isMatch(p.absolute)
      : (p: ScopedPath) => p.relative !== null && isMatch(p.relative);
  };
  const patterns = include.filter((p) => !EXCLUSION.test(p)).map((pattern) => ({ pattern, test: compile(pattern) }));
  const exclusions = include.filter((p) => EXCLUSION.test(p)).map((p) => compile(p.slice(1)));
  return {
    patterns,
    matches: (p) => patterns.some((x) => x.test(p)) && !exclusions.some((x) => x(p)),
  };
}
