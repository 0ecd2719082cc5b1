import type { NudgeKind } from './plan.js';
import type { PlannedDelivery } from './scheduler.js';

/** `ptsm reminders --json`: a stable interface, keep these names. */
export interface ReminderJson {
  key: string;
  pilot: string;
  ficheId: string;
  milestone: string;
  /** Due date of the milestone, YYYY-MM-DD. */
  due: string;
  kind: NudgeKind;
}

export function toReminderJson(deliveries: readonly PlannedDelivery[]): ReminderJson[] {
  return deliveries.map((d) => ({
    key: d.key, pilot: d.recipient.name, ficheId: d.ficheId, milestone: d.milestone, due: d.due, kind: d.kind,
  }));
}
