import type { Assistant } from '../../app/assistant.js';
import type { Logger } from '../../core/logger.js';
import type { TeamsAdapter } from './adapter.js';
import type { TeamsStore } from './store.js';
import type { ReplySource, ThreadLimits } from './thread.js';

/** What every part of the Teams app works with. */
export interface TeamsDeps {
  ta: TeamsAdapter;
  /** The assistant of this bot's territory (serve builds one bot per territory; see index.ts). */
  assistant: Assistant;
  /** Several territories: which one, named in the cards whose answer comes back from a 1:1 chat. */
  territory?: string | undefined;
  store: TeamsStore;
  logger: Logger;
  now: () => Date;
  threadLimits: ThreadLimits;
  /** Microsoft Graph reader of replies, when the operator configured one. */
  replySource?: ReplySource;
  /** Uploads of exported files (file consent): the global fetch unless a test or a proxy needs another. */
  fetch: typeof fetch;
  /** Pause between two updates of a streamed answer (Teams' own pace is one a second). */
  streamDelayMs: number;
}

/** Follow-up questions see this many previous exchanges of the conversation… */
export const HISTORY_EXCHANGES = 3;
/** …asked within this window (an old exchange is not what "et pour la fiche 7 ?" refers to). */
export const HISTORY_WINDOW_MS = 6 * 3600_000;
