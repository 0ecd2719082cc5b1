import type { Fiche, FicheDraft, Thread } from '../core/fiche.js';
import type { Answer, ConversationTurn } from '../core/types.js';
import type { MilestoneView } from '../milestones/index.js';
import type { Audience } from './access.js';

export type { Audience } from './access.js';
import type { Bilan, BilanFormat } from '../review/index.js';

/**
 * The one port every channel (Slack, Teams, web, CLI) talks to. Channels
 * authenticate, translate platform events into these calls and render the
 * results; no business logic lives in a channel.
 */
export interface ChannelUser {
  platform: 'slack' | 'teams' | 'web' | 'cli';
  /** Platform user id (Slack "U…", Teams "29:…" / AAD object id, web login). */
  id: string;
  name?: string;
  email?: string;
  /** Teams: the conversation reference proactive messages need. */
  teamsConversationRef?: Record<string, unknown>;
}

export interface AskRequest {
  question: string;
  history?: ConversationTurn[];
  /** Who asks, and where the answer is shown: the channel's document scope applies (see access.ts). */
  audience?: Audience;
  /** Older form of `audience`: the channel the question was asked in. */
  channel?: { platform: ChannelUser['platform']; id: string };
  /** LLM streaming: called with the partial answer text as it grows. */
  onToken?: (partial: string) => void;
}

export type NudgeAnswer =
  | { kind: 'fait' }
  | { kind: 'aide'; comment?: string }
  | { kind: 'reporter'; newDueText?: string; newDue?: string };

export interface FeedbackInput {
  user: ChannelUser;
  question: string;
  answer: string;
  rating: 'up' | 'down';
  /** Platform reference of the answer message (ts, activity id). */
  ref?: string;
}

/**
 * Every method that returns documents, fiches or milestones takes the
 * audience it is shown to; without one, the result is what a public channel
 * may see (documents of private scopes hidden).
 */
export interface Assistant {
  ask(req: AskRequest): Promise<Answer>;
  /** Offline drafter, or the LLM drafter when configured (with offline fallback). */
  draftFromThread(thread: Thread): Promise<FicheDraft>;
  /**
   * Stores the fiche as `validée` in the registry and hands its milestones to the reminders.
   * Replacing a fiche the audience may not see fails with FICHE_NOT_FOUND.
   */
  validateFiche(fiche: Fiche, by: ChannelUser, audience?: Audience): Promise<Fiche>;
  exportDocx(fiche: Fiche): Promise<Buffer>;
  listFiches(audience?: Audience): Fiche[];
  /** Null when there is no such fiche, or when the audience may not see it. */
  getFiche(idOrNumber: string, audience?: Audience): Fiche | null;
  /** Every milestone of the fiches the audience may see. */
  listMilestones(audience?: Audience): MilestoneView[];
  /** Milestones and fiches a user pilots (through the pilot directory), among those the audience may see. */
  milestonesOf(user: ChannelUser, audience?: Audience): MilestoneView[];
  fichesOf(user: ChannelUser, audience?: Audience): Fiche[];
  /** Which indexed documents (by source) the audience may open: the console's document routes ask it. */
  documentFilter(audience?: Audience): (source: string) => boolean;
  /** A pilot's one-click answer to a nudge. Returns a French confirmation. */
  answerNudge(milestoneId: string, answer: NudgeAnswer, by: ChannelUser): Promise<{ ok: boolean; message: string }>;
  recordFeedback(f: FeedbackInput): void;
  /** Remembers who a platform user is (names, email, Teams conversation reference) for nudges. */
  learnIdentity(user: ChannelUser): void;
  /** The yearly review (bilan annuel) of every fiche, read from the registry, milestones, nudge answers and decisions. */
  yearlyReview(year: number, audience?: Audience): Bilan;
  /** The yearly review as a file for the coordinator: DOCX report, CSV or XLSX. */
  exportYearlyReview(year: number, format: BilanFormat, audience?: Audience): Promise<ReviewFile>;
}

export interface ReviewFile {
  filename: string;
  mime: string;
  content: Buffer;
  /** One French line: what the file holds. */
  summary: string;
}

/** Where a message comes from, as a channel adapter knows it: what decides which territory's assistant answers. */
export interface ConversationRef {
  platform: 'slack' | 'teams' | 'web';
  /** Slack channel id, Teams conversation id. */
  conversation?: string | undefined;
  /** Slack team (workspace) id, Teams tenant id. */
  team?: string | undefined;
  /** The platform user (web console login). */
  user?: string | undefined;
  /** The territory an earlier message of the bot named (a reminder's buttons): that message came from this territory. */
  territory?: string | undefined;
}

/**
 * What a channel adapter is given instead of one Assistant: the assistant of
 * the territory a conversation belongs to, or null when it belongs to none
 * (the adapter then answers NO_TERRITORY_MESSAGE and shows no content).
 */
export type AssistantResolver = (ref: ConversationRef) => Assistant | null;

/** A single-PTSM deployment: every conversation gets the one assistant. */
export function singleAssistant(assistant: Assistant): AssistantResolver {
  return () => assistant;
}

export const NO_TERRITORY_MESSAGE = "Ce canal n'est rattaché à aucun territoire : demandez à la coordination de l'ajouter dans territories.json.";
