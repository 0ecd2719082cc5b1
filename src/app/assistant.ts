import type { Fiche, FicheDraft, Thread } from '../core/fiche.js';
import type { Answer, ConversationTurn } from '../core/types.js';
import type { MilestoneView } from '../milestones/index.js';
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
  /** Where the question was asked: the channel's document scope applies. */
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

export interface Assistant {
  ask(req: AskRequest): Promise<Answer>;
  /** Offline drafter, or the LLM drafter when configured (with offline fallback). */
  draftFromThread(thread: Thread): Promise<FicheDraft>;
  /** Stores the fiche as `validée` in the registry and hands its milestones to the reminders. */
  validateFiche(fiche: Fiche, by: ChannelUser): Promise<Fiche>;
  exportDocx(fiche: Fiche): Promise<Buffer>;
  listFiches(): Fiche[];
  getFiche(idOrNumber: string): Fiche | null;
  /** Milestones and fiches a user pilots (through the pilot directory). */
  milestonesOf(user: ChannelUser): MilestoneView[];
  fichesOf(user: ChannelUser): Fiche[];
  /** A pilot's one-click answer to a nudge. Returns a French confirmation. */
  answerNudge(milestoneId: string, answer: NudgeAnswer, by: ChannelUser): Promise<{ ok: boolean; message: string }>;
  recordFeedback(f: FeedbackInput): void;
  /** Remembers who a platform user is (names, email, Teams conversation reference) for nudges. */
  learnIdentity(user: ChannelUser): void;
  /** The yearly review (bilan annuel) of every fiche, read from the registry, milestones, nudge answers and decisions. */
  yearlyReview(year: number): Bilan;
  /** The yearly review as a file for the coordinator: DOCX report, CSV or XLSX. */
  exportYearlyReview(year: number, format: BilanFormat): Promise<ReviewFile>;
}

export interface ReviewFile {
  filename: string;
  mime: string;
  content: Buffer;
  /** One French line: what the file holds. */
  summary: string;
}
