/** Milestones and reminders: public API. */
export {
  syncMilestones, recordAnswer, listMilestones, getMilestone, milestoneHistory, milestoneId, milestoneKeys, deriveStatus,
  MILESTONE_STATUSES, DEFAULT_TIMEZONE,
  type MilestoneView, type MilestoneStatus, type StoredStatus, type MilestoneFilter, type SyncReport, type SyncOptions,
  type PilotAnswer, type AnswerKind, type AnswerOptions, type AnswerResult, type HistoryEntry, type RemindableMilestone,
  listRemindable,
} from './store.js';
export {
  createDirectory, loadDirectory, loadDirectoryFile, learnIdentity, directoryPath, recipientId, DIRECTORY_FILE, DirectoryEntrySchema,
  type PilotDirectory, type PilotResolution, type DirectoryEntry, type LearnedIdentityInput,
} from './directory.js';
export {
  DEFAULT_PLAN, ReminderPlanSchema, parsePlan, dueNudges, latestNudgeOn, scheduleNudges, isWorkingSlot, isWorkingDay,
  nextWorkingDay, nudgeKey,
  type ReminderPlan, type ReminderPlanInput, type NudgeKind, type PlannedNudge, type PlanMilestone,
} from './plan.js';
export {
  ConsoleNotifier, FileNotifier, COORDINATOR, nudgeActions, type MilestoneRef,
  type Notifier, type Recipient, type NudgeMessage, type NudgeAction, type CoordinatorAlert, type AlertKind, type AnswerAction,
} from './notifier.js';
export {
  tick, planDeliveries, pendingDeliveries, pendingDeliveriesIn, ledgerOf, DEFAULT_LEASE_MS,
  type SchedulerDeps, type TickResult, type PlannedDelivery, type UnlinkedNotice, type DuePlan,
} from './scheduler.js';
export { startScheduler, type RunningScheduler } from './runner.js';
export { SqliteDeliveryLedger, type DeliveryLedger, type AlertInput, type NudgeStates } from './ledger-port.js';
export { listNudges, listAlerts, type NudgeRecord, type NudgeStatus, type AlertRecord } from './ledger.js';
export { buildDigest, renderDigestText, type Digest, type DigestItem, type DigestUnlinkedPilot, type DigestFailedNudge } from './digest.js';
export { renderIcs, escapeText, foldLine, eventUid, type IcsOptions } from './ics.js';
export { renderNudgeText, ACTION_LABELS } from './messages.js';
export { toReminderJson, type ReminderJson } from './reminder-json.js';
export { ensureMilestoneSchema } from './schema.js';
