import path from 'node:path';
import { PtsmError } from '../core/errors.js';
import type { Fiche } from '../core/fiche.js';
import type { AppConfig } from '../config.js';
import { readManifest } from '../search/snapshot.js';
import type { Coordinator, ScopeConfig, ScopeEntry, ScopeMatcher, ScopedPath } from './scopes.js';
import { compileInclude, loadScopeConfig, scopedPath } from './scopes.js';

/**
 * Who is asking, as a channel adapter knows it: the platform, the channel the
 * request comes from (where the answer will be shown), the user. Adapters say
 * who asks; only the policy below decides what they may see.
 */
export interface Audience {
  platform: 'slack' | 'teams' | 'web' | 'cli';
  /** The conversation the result is shown in (Slack "C…", Teams conversation id). */
  channel?: string | undefined;
  /** The person, when the result is shown to them alone (ephemeral message, App Home, web login). */
  user?: string | undefined;
}

/** Without an audience, a request is treated as coming from a public channel. */
export const PUBLIC_AUDIENCE: Audience = { platform: 'web' };

/** The CLI's operator runs the instance: they see everything unless they ask to see as a channel would. */
export const OPERATOR_AUDIENCE: Audience = { platform: 'cli' };

export interface IndexedDocument {
  source: string;
  absPath: string;
}

/** Where validated fiches are written as Markdown (and indexed), inside the data directory. */
export const VALIDATED_FICHES_DIR = 'fiches-validees';

/**
 * A validated fiche is also a document (DATA/fiches-validees/<id>.md): when
 * the fiche was read from a document, that copy inherits the document's
 * scope. Returns absolute path of the copy → source of the original.
 */
export function validatedFicheOrigins(dataDir: string, fiches: readonly Fiche[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fiches) {
    const copy = path.resolve(dataDir, VALIDATED_FICHES_DIR, `${f.id}.md`);
    if (f.source && path.resolve(dataDir, f.source.path) !== copy) out.set(copy, f.source.path);
  }
  return out;
}

interface CompiledScope { entry: ScopeEntry; matcher: ScopeMatcher }

/** A scope pattern that no indexed document matches: a typo, or a private scope left wide open. */
export interface UnmatchedPattern { rule: string; pattern: string; private: boolean }

/**
 * The one authorisation point: every path that returns document content,
 * fiches, milestones or exports asks it. A document is visible to an
 * audience when no private scope holds it, when one of the audience's own
 * scopes holds it, or when the audience is a coordinator (the CLI operator,
 * or a user named in scopes.json).
 */
export class AccessPolicy {
  private readonly scopes: CompiledScope[];
  private readonly paths = new Map<string, ScopedPath>();
  private readonly coordinators: readonly Coordinator[];
  /** Documents that are copies of another (a validated fiche): source → the original's source. */
  private readonly origins = new Map<string, string>();

  /** `origins`: absolute path of a derived document → source of the document whose scope it inherits. */
  constructor(config: ScopeConfig, documents: readonly IndexedDocument[], private readonly corpusRoot: string, origins: ReadonlyMap<string, string> = new Map()) {
    this.scopes = config.scopes.map((entry) => ({ entry, matcher: compileInclude(entry.include) }));
    this.coordinators = config.coordinators;
    for (const d of documents) {
      this.paths.set(d.source, scopedPath(d.absPath, corpusRoot));
      const origin = origins.get(path.resolve(d.absPath));
      if (origin !== undefined && origin !== d.source) this.origins.set(d.source, origin);
    }
  }

  get hasPrivateScopes(): boolean {
    return this.scopes.some((s) => s.entry.private);
  }

  isCoordinator(a: Audience): boolean {
    if (a.platform === 'cli') return a.channel === undefined;
    return a.user !== undefined && this.coordinators.some((c) => c.platform === a.platform && c.user === a.user);
  }

  /** The predicate search and answers filter documents with, for one audience. */
  documentFilter(audience: Audience = PUBLIC_AUDIENCE): (source: string) => boolean {
    if (this.isCoordinator(audience) || !this.hasPrivateScopes) return () => true;
    const own = this.scopes.filter((s) => isOwnScope(s.entry, audience));
    const cache = new Map<string, boolean>();
    return (source) => {
      let allowed = cache.get(source);
      if (allowed === undefined) {
        const p = this.pathOf(this.origins.get(source) ?? source);
        // Documents bound to a private channel stay there.
        allowed = own.some((s) => s.matcher.matches(p)) || !this.scopes.some((s) => s.entry.private && s.matcher.matches(p));
        cache.set(source, allowed);
      }
      return allowed;
    };
  }

  /** The same filter, or undefined when the audience sees every document (searches then run unfiltered, as fast as before). */
  searchRestriction(audience: Audience = PUBLIC_AUDIENCE): ((source: string) => boolean) | undefined {
    return this.isCoordinator(audience) || !this.hasPrivateScopes ? undefined : this.documentFilter(audience);
  }

  canSee(audience: Audience | undefined, source: string): boolean {
    return this.documentFilter(audience)(source);
  }

  /** A fiche read from a document inherits that document's scope; one drafted in chat (no source) is public. */
  fichesFilter(audience: Audience = PUBLIC_AUDIENCE): (fiche: Fiche) => boolean {
    const visible = this.documentFilter(audience);
    return (f) => !f.source || visible(f.source.path);
  }

  /** A milestone is as visible as its fiche. */
  milestonesFilter(audience: Audience | undefined, fiches: readonly Fiche[]): (m: { ficheId: string }) => boolean {
    const visible = new Set(fiches.filter(this.fichesFilter(audience)).map((f) => f.id));
    return (m) => visible.has(m.ficheId);
  }

  /** Patterns that match no indexed document, each named with its rule. */
  unmatchedPatterns(): UnmatchedPattern[] {
    const docs = [...this.paths.values()];
    return this.scopes.flatMap(({ entry, matcher }) => matcher.patterns
      .filter((p) => !docs.some((d) => p.test(d)))
      .map((p) => ({ rule: `${entry.platform}:${entry.channel}`, pattern: p.pattern, private: entry.private })));
  }

  /** Throws CONFIG_INVALID naming every pattern that matches nothing (`ptsm serve` refuses to start with one). */
  assertEveryPatternMatches(file: string): void {
    const unmatched = this.unmatchedPatterns();
    if (!unmatched.length) return;
    throw new PtsmError('CONFIG_INVALID', [
      `Fichier des périmètres ${file} : ${unmatched.length === 1 ? 'une règle ne correspond' : `${unmatched.length} règles ne correspondent`} à aucun document indexé (chemins comparés à la racine du corpus ${this.corpusRoot}, PTSM_CORPUS_ROOT) :`,
      ...unmatched.map(describeUnmatched),
      'Corrigez le motif, indexez les documents concernés, ou retirez la règle.',
    ].join('\n'), { input: file });
  }

  /** A source the index does not know (a fiche whose document was removed): its path as written is all there is. */
  private pathOf(source: string): ScopedPath {
    return this.paths.get(source) ?? scopedPath(path.resolve(this.corpusRoot, source), this.corpusRoot);
  }
}

/** The policy over a data directory's current index and fiche registry, for tools that do not open the whole assistant (the CLI). */
export function loadAccessPolicy(config: Pick<AppConfig, 'dataDir' | 'corpusRoot'>, fiches: readonly Fiche[]): AccessPolicy {
  const documents = readManifest(config.dataDir)?.documents ?? [];
  return new AccessPolicy(loadScopeConfig(config.dataDir), documents, config.corpusRoot, validatedFicheOrigins(config.dataDir, fiches));
}

export function describeUnmatched(u: UnmatchedPattern): string {
  return `- canal ${u.rule}${u.private ? ' (privé)' : ''} : « ${u.pattern} » ne correspond à aucun document`;
}

function isOwnScope(s: ScopeEntry, a: Audience): boolean {
  if (s.platform !== a.platform) return false;
  if (a.channel !== undefined && s.channel === a.channel) return true;
  return s.platform === 'web' && a.user !== undefined && s.users.includes(a.user);
}
