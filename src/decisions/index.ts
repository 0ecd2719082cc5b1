/** Decisions register: public API. */
export { extractDecisions, isMinutes, meetingOf, fichesIn, ownersIn } from './extract.js';
export {
  syncDecisions, listDecisions, listMeetings, actionItemsAsFiches, ensureDecisionSchema, ACTION_ID_PREFIX,
  type DecisionFilter, type DecisionSyncReport,
} from './store.js';
export { trackedFiches } from './tracked.js';
export type { DecisionEntry } from './types.js';
