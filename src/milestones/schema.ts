import { ensureSchema, type SqliteDb } from '../storage/sqlite.js';

/**
 * Tables of the milestone/reminder feature. Prefixed (milestone_, nudge_,
 * pilot_) because the fiche registry lives in the same file. Rows are never
 * deleted: a cancelled milestone is `abandonné`, a sent nudge stays as proof.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS milestone_items (
  id            TEXT PRIMARY KEY,
  fiche_id      TEXT NOT NULL,
  key           TEXT NOT NULL,
  position      INTEGER NOT NULL DEFAULT 0,
  fiche_number  INTEGER,
  fiche_title   TEXT NOT NULL DEFAULT '',
  label         TEXT NOT NULL,
  due_text      TEXT NOT NULL,
  due           TEXT,
  start         TEXT,
  precision     TEXT NOT NULL,
  -- The due date as last read from the fiche: tells a coordinator's edit of
  -- the fiche (wins) from a pilot's "Reporter" (kept while the fiche is unchanged).
  fiche_due     TEXT,
  -- Nudges dated before this local day are never sent: they were already past
  -- when the date was set (new milestone, moved date, postponement).
  remind_from   TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('à venir', 'fait', 'reporté', 'abandonné')),
  status_reason TEXT,
  -- Why no nudge can be planned (no date, impossible date): shown to the coordinator.
  flag          TEXT,
  pilots_json   TEXT NOT NULL DEFAULT '[]',
  done_at       TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (fiche_id, key)
);
CREATE INDEX IF NOT EXISTS milestone_items_status_due ON milestone_items (status, due);

CREATE TABLE IF NOT EXISTS milestone_history (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  milestone_id TEXT NOT NULL REFERENCES milestone_items (id),
  at           TEXT NOT NULL,
  event        TEXT NOT NULL,
  by           TEXT NOT NULL,
  detail_json  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS milestone_history_milestone ON milestone_history (milestone_id, id);

-- The delivery ledger: one row per (nudge key, recipient), inserted as a claim
-- BEFORE sending. The primary key is what makes a nudge unique across
-- restarts and concurrent instances.
CREATE TABLE IF NOT EXISTS nudge_sent (
  key           TEXT NOT NULL,
  recipient     TEXT NOT NULL,
  -- Display name of the recipient (the ledger key uses the normalised id).
  recipient_name TEXT NOT NULL DEFAULT '',
  milestone_id  TEXT NOT NULL,
  kind          TEXT NOT NULL,
  key_date      TEXT NOT NULL,
  milestone_due TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
  claim_token   TEXT NOT NULL,
  claimed_at    TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  sent_at       TEXT,
  error         TEXT,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (key, recipient)
);
CREATE INDEX IF NOT EXISTS nudge_sent_milestone ON nudge_sent (milestone_id);
CREATE INDEX IF NOT EXISTS nudge_sent_status ON nudge_sent (status);
CREATE INDEX IF NOT EXISTS nudge_sent_key_date ON nudge_sent (key_date);

-- Outbox of messages to the coordinator (unlinked pilot, "besoin d'aide",
-- failed nudge, weekly digest): enqueued once by key, then claimed and sent
-- with the same protocol as nudges.
CREATE TABLE IF NOT EXISTS nudge_alert (
  key           TEXT PRIMARY KEY,
  kind          TEXT NOT NULL,
  milestone_id  TEXT,
  payload_json  TEXT NOT NULL DEFAULT '{}',
  status        TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'sent', 'failed')),
  claim_token   TEXT,
  claimed_at    TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  sent_at       TEXT,
  error         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nudge_alert_status ON nudge_alert (status);

-- Identities learned when people talk to the bot (Slack/Teams ids, Teams
-- conversation reference needed for proactive messages).
CREATE TABLE IF NOT EXISTS pilot_identity (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT NOT NULL,
  name_norm      TEXT NOT NULL,
  email          TEXT,
  slack          TEXT UNIQUE,
  teams          TEXT UNIQUE,
  teams_ref_json TEXT,
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pilot_identity_email ON pilot_identity (email);
`;

/** Creates the tables once per connection (idempotent, safe with concurrent processes). */
export function ensureMilestoneSchema(db: SqliteDb): void {
  ensureSchema(db, 'milestones', DDL);
}
