/**
 * The calendar day a chat message was written, in the PTSM's time zone: the
 * reference for the relative dates it contains (« fin février » written on
 * 13 January 2026 is February 2026, whatever day the draft is made).
 */
import { localDate } from '../../milestones/local-time.js';

/** Slack timestamps are epoch seconds ("1712345678.000100"); Teams and the CLI give ISO strings. */
const EPOCH_SECONDS_RE = /^\d{9,11}(?:\.\d+)?$/;

/** Local day (YYYY-MM-DD) of a message timestamp, or null when it is not a readable instant ("1", ""). */
export function messageDay(ts: string, timeZone: string): string | null {
  const t = ts.trim();
  let instant: Date;
  if (EPOCH_SECONDS_RE.test(t)) instant = new Date(Number(t) * 1000);
  else if (/^\d{4}-\d{2}-\d{2}/.test(t)) instant = new Date(t);
  else return null;
  if (Number.isNaN(instant.getTime())) return null;
  try {
    return localDate(instant, timeZone);
  } catch {
    return null; // unknown time zone: config validation reports it, the draft falls back
  }
}
