import fs from 'node:fs';
import path from 'node:path';
import { createAnswerService } from '../answers/index.js';
import type { AppConfig } from '../config.js';
import { PtsmError, describeError } from '../core/errors.js';
import { Fiche, type FicheDraft, type Thread } from '../core/fiche.js';
import type { Logger } from '../core/logger.js';
import { trackedFiches } from '../decisions/index.js';
import { draftFicheOffline, threadHash } from '../fiches/draft/index.js';
import { LlmDrafter } from '../fiches/draft/llm.js';
import { getFiche, listFiches, saveFiche } from '../fiches/registry.js';
import { renderFicheDocx, renderFicheMarkdown } from '../fiches/render/index.js';
import { indexPaths } from '../ingestion/indexer.js';
import { BILAN_MIME, buildBilan, renderBilan, reviewSummary, type Bilan } from '../review/index.js';
import { parseFrenchDate } from '../milestones/french-dates.js';
import {
  learnIdentity, listMilestones, loadDirectory, recordAnswer, syncMilestones,
  type MilestoneView, type PilotAnswer, type PilotDirectory,
} from '../milestones/index.js';
import { createEmbedder, type Embedder } from '../search/embedders/index.js';
import { KnowledgeBase } from '../search/knowledge-base.js';
import { databasePath, openDatabase, type SqliteDb } from '../storage/sqlite.js';
import { FicheAnswerer } from '../answers/fiche-answerer.js';
import { DecisionAnswerer } from '../decisions/answerer.js';
import type { Assistant, ChannelUser, NudgeAnswer } from './assistant.js';
import { ensureFeedbackSchema, recordFeedback } from './feedback.js';
import { AccessPolicy, PUBLIC_AUDIENCE, VALIDATED_FICHES_DIR, validatedFicheOrigins, type Audience } from './access.js';
import { SCOPES_FILE, loadScopeConfig } from './scopes.js';
import { syncWithIndex } from './index-sync.js';

export interface AssistantRuntime {
  assistant: Assistant;
  /** The configured embedder, shared with whoever indexes uploads. */
  embedder: Embedder;
  db: SqliteDb;
  kb: KnowledgeBase;
  directory: PilotDirectory;
  /** The authorisation policy over the current index (rebuilt on reload). */
  readonly access: AccessPolicy;
  /** Re-reads the knowledge base after an indexing (new documents, fiches, milestones). */
  reload(): void;
  close(): void;
}

/** How long a replaced index stays open for the questions that were reading it. */
const RETIRED_INDEX_GRACE_MS = 60_000;

/** Extra field remembering which draft a validated fiche came from. */
const DRAFT_KEY = 'Brouillon';

export interface CreateAssistantOptions {
  config: AppConfig;
  logger: Logger;
  clock?: () => Date;
  /** Called once a pilot's answer is recorded (replicas share it with the other instances); awaited before the pilot gets the confirmation. */
  onNudgeAnswer?: (milestoneId: string, answer: PilotAnswer) => Promise<void> | void;
}

/**
 * The composition root: wires the knowledge base, the answering service, the
 * fiche registry, the drafter and the milestone store into the `Assistant`
 * port that every channel uses.
 */
export async function createAssistant(opts: CreateAssistantOptions): Promise<AssistantRuntime> {
  const { config, logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  const embedder = createEmbedder(config.embedder);
  const db = openDatabase(databasePath(config.dataDir));
  ensureFeedbackSchema(db);
  const directory = loadDirectory(config.dataDir, db);
  const scopeConfig = loadScopeConfig(config.dataDir);
  const drafter = config.llm ? new LlmDrafter(config.llm) : null;

  let kb = KnowledgeBase.open(config.dataDir, embedder);
  let answers = build(kb);
  let access = policyOf(kb);
  // A scope that matches nothing leaves the documents it meant to protect public: refuse to start.
  try {
    access.assertEveryPatternMatches(path.join(config.dataDir, SCOPES_FILE));
  } catch (e) {
    db.close();
    throw e;
  }

  function policyOf(base: KnowledgeBase): AccessPolicy {
    return new AccessPolicy(scopeConfig, base.manifest.documents, config.corpusRoot, validatedFicheOrigins(config.dataDir, listFiches(db)));
  }

  function build(base: KnowledgeBase) {
    const now = clock().toISOString();
    syncWithIndex(db, base.snapshot, now);
    syncMilestones(db, trackedFiches(db, now), now);
    return createAnswerService(config, base, logger, new FicheAnswerer(db, base), new DecisionAnswerer(db));
  }

  /** After an indexing: new documents, new policy; a pattern that stopped matching is logged, not fatal. */
  function reopen(): void {
    const previous = kb;
    kb = KnowledgeBase.open(config.dataDir, embedder);
    // Questions under way still read the previous generation: its file is closed once they are done.
    setTimeout(() => previous.close(), RETIRED_INDEX_GRACE_MS).unref();
    answers = build(kb);
    access = policyOf(kb);
    for (const u of access.unmatchedPatterns()) logger.warn('scope pattern matches no indexed document', { rule: u.rule, pattern: u.pattern, private: u.private });
  }

  const visibleFiches = (audience: Audience | undefined): Fiche[] => listFiches(db).filter(access.fichesFilter(audience));

  /**
   * A validated fiche becomes a document of the knowledge base like the
   * others (DATA/fiches-validees/fa-N.md), so questions find it. The registry
   * keeps the coordinator's version: the parsed copy never overrides it.
   */
  async function indexValidatedFiche(fiche: Fiche): Promise<void> {
    const dir = path.join(config.dataDir, VALIDATED_FICHES_DIR);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${fiche.id}.md`);
    fs.writeFileSync(file, renderFicheMarkdown(fiche));
    try {
      await indexPaths([file], { dataDir: config.dataDir, embedder, logger, kind: 'fiche', cwd: config.dataDir });
      reopen();
    } catch (e) {
      // The fiche is saved; it will be searchable after the next indexing.
      logger.warn('validated fiche saved but not indexed yet', { fiche: fiche.id, error: describeError(e) });
    }
  }

  const nextFicheNumber = (): number => Math.max(0, ...listFiches(db).map((f) => f.number ?? 0)) + 1;

  const whoIs = (u: ChannelUser): string => u.name ?? u.email ?? `${u.platform}:${u.id}`;

  /** Milestones whose pilot resolves, through the directory, to this chat user. */
  function milestonesOf(user: ChannelUser, audience?: Audience): MilestoneView[] {
    directory.refresh();
    return listVisibleMilestones(audience).filter((m) => m.pilots.some((p) => {
      const r = directory.resolvePilot(p);
      if (r.status !== 'linked') return false;
      if (user.platform === 'slack') return r.recipient.slack === user.id;
      if (user.platform === 'teams') return r.recipient.teams === user.id;
      return Boolean(user.email && r.recipient.email === user.email);
    }));
  }

  /** The yearly review as the asker may see it: the same policy as every other path. */
  function yearlyReview(year: number, audience: Audience | undefined): Bilan {
    return buildBilan({ db, snapshot: kb.snapshot, year, now: clock().toISOString(), visible: { fiche: access.fichesFilter(audience), source: access.documentFilter(audience) } });
  }

  function listVisibleMilestones(audience: Audience | undefined): MilestoneView[] {
    return listMilestones(db, { now: clock().toISOString() }).filter(access.milestonesFilter(audience, trackedFiches(db, clock().toISOString())));
  }

  const assistant: Assistant = {
    async ask(req) {
      const audience = req.audience ?? (req.channel ? { platform: req.channel.platform, channel: req.channel.id } : PUBLIC_AUDIENCE);
      const allowSource = access.searchRestriction(audience);
      return answers.ask(req.question, {
        ...(req.history ? { history: req.history } : {}),
        ...(allowSource ? { allowSource } : {}),
        ...(req.onToken ? { onToken: req.onToken } : {}),
      });
    },

    async draftFromThread(thread: Thread): Promise<FicheDraft> {
      const now = clock().toISOString();
      const offline = (): FicheDraft => draftFicheOffline(thread, { now, timeZone: config.timezone });
      if (!drafter || !thread.messages.length) return offline();
      try {
        return await drafter.draft(thread, { now, id: `draft-${threadHash(thread)}` });
      } catch (e) {
        logger.warn('LLM drafting failed, using the offline draft', { error: describeError(e) });
        return offline();
      }
    },

    async validateFiche(fiche, by, audience) {
      const now = clock().toISOString();
      // A deadline edited by hand arrives as words only: read it here, once, for every channel.
      const milestones = fiche.milestones.map((m) => {
        if (m.due || !m.dueText.trim()) return m;
        const d = parseFrenchDate(m.dueText, now.slice(0, 10));
        return { ...m, due: d.end, start: d.start, precision: d.precision };
      });
      // Validating twice (a second click) updates the same fiche; a new fiche gets the PTSM's next number.
      const isDraft = fiche.id.startsWith('draft-');
      const existing = listFiches(db).find((f) => f.id === fiche.id || (isDraft && f.extra[DRAFT_KEY] === fiche.id));
      if (existing && !access.fichesFilter(audience)(existing)) {
        throw new PtsmError('FICHE_NOT_FOUND', `Fiche introuvable : « ${fiche.id} ».`, { input: fiche.id });
      }
      const number = fiche.number ?? existing?.number ?? nextFicheNumber();
      const id = existing?.id ?? (isDraft ? `fa-${number}` : fiche.id);
      // A fiche read from a document keeps that document as its source, whatever the edit says: its scope goes with it.
      const source = existing?.source ?? fiche.source;
      const validated = Fiche.parse({
        ...fiche, id, number, milestones, source, status: 'validée', updatedAt: now,
        extra: { ...fiche.extra, 'Validée par': whoIs(by), ...(isDraft ? { [DRAFT_KEY]: fiche.id } : {}) },
      });
      saveFiche(db, validated);
      syncMilestones(db, trackedFiches(db, now), now);
      await indexValidatedFiche(validated);
      return validated;
    },

    exportDocx: (fiche) => renderFicheDocx(fiche),
    listFiches: (audience) => visibleFiches(audience),
    getFiche(id, audience) {
      const fiche = getFiche(db, id);
      return fiche && access.fichesFilter(audience)(fiche) ? fiche : null;
    },
    listMilestones: (audience) => listVisibleMilestones(audience),
    milestonesOf,
    fichesOf(user, audience) {
      const ids = new Set(milestonesOf(user, audience).map((m) => m.ficheId));
      return visibleFiches(audience).filter((f) => ids.has(f.id));
    },
    documentFilter: (audience) => access.documentFilter(audience),

    async answerNudge(milestoneId: string, answer: NudgeAnswer, by: ChannelUser) {
      try {
        const recorded: PilotAnswer = {
          kind: answer.kind,
          by: whoIs(by),
          at: clock().toISOString(),
          ...(answer.kind === 'reporter' && answer.newDue ? { newDue: answer.newDue } : {}),
          ...(answer.kind === 'reporter' && answer.newDueText ? { newDueText: answer.newDueText } : {}),
          ...(answer.kind === 'aide' && answer.comment ? { comment: answer.comment } : {}),
        };
        const res = recordAnswer(db, milestoneId, recorded);
        const m = res.milestone;
        // Shared with the date it resolved to: « dans deux semaines » must mean the same day on every instance.
        // Awaited: once the pilot reads the confirmation, every instance's next pass knows the answer.
        await opts.onNudgeAnswer?.(milestoneId, recorded.kind === 'reporter' && m.due ? { kind: 'reporter', by: recorded.by, at: recorded.at, newDue: m.due } : recorded);
        const message = answer.kind === 'fait'
          ? `Merci ! « ${m.label} » (${m.ficheTitle}) est noté comme fait.`
          : answer.kind === 'reporter'
            ? `C'est noté : « ${m.label} » est reporté au ${formatDate(m.due)}.`
            : `La coordination est prévenue que vous avez besoin d'aide pour « ${m.label} ».`;
        return { ok: true, message };
      } catch (e) {
        logger.warn('nudge answer rejected', { milestoneId, error: describeError(e) });
        return { ok: false, message: e instanceof PtsmError ? e.message : "Votre réponse n'a pas pu être enregistrée. Réessayez ou prévenez la coordination." };
      }
    },

    recordFeedback: (f) => recordFeedback(db, f, clock().toISOString()),

    yearlyReview: (year, audience) => yearlyReview(year, audience),
    async exportYearlyReview(year, format, audience) {
      const bilan = yearlyReview(year, audience);
      return { filename: `bilan-ptsm-${year}.${format}`, mime: BILAN_MIME[format], content: await renderBilan(bilan, format), summary: reviewSummary(bilan) };
    },

    learnIdentity(user) {
      learnIdentity(db, {
        name: user.name ?? user.id,
        ...(user.email ? { email: user.email } : {}),
        ...(user.platform === 'slack' ? { slack: user.id } : {}),
        ...(user.platform === 'teams' ? { teams: user.id } : {}),
        ...(user.teamsConversationRef ? { teamsConversationRef: user.teamsConversationRef } : {}),
      }, clock().toISOString());
    },
  };

  return {
    assistant,
    embedder,
    db,
    get kb() { return kb; },
    get access() { return access; },
    directory,
    reload: reopen,
    close() { kb.close(); db.close(); },
  };
}

function formatDate(iso: string | null): string {
  if (!iso) return 'une date à préciser';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
