import { z } from 'zod';

/** Precision of a parsed French date expression. */
export const DatePrecision = z.enum(['day', 'week', 'month', 'quarter', 'semester', 'season', 'year', 'range', 'unresolved']);
export type DatePrecision = z.infer<typeof DatePrecision>;

/** `ptsm when --json`: a stable interface, keep these names. */
export const DateInterval = z.object({
  text: z.string(),
  /** YYYY-MM-DD or null when unreadable/unresolved. */
  start: z.string().nullable(),
  end: z.string().nullable(),
  precision: DatePrecision,
});
export type DateInterval = z.infer<typeof DateInterval>;

export const Pilot = z.object({
  name: z.string().min(1),
  organisation: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
  /** Chat identities when known (Slack user id, Teams user id). */
  chatIds: z.object({ slack: z.string().optional(), teams: z.string().optional() }).default({}),
});
export type Pilot = z.infer<typeof Pilot>;

export const FicheMilestone = z.object({
  label: z.string(),
  /** The deadline exactly as written ("T2 2025", "d'ici fin 2026"). */
  dueText: z.string(),
  /** End of the parsed interval (YYYY-MM-DD), null when unreadable. */
  due: z.string().nullable().default(null),
  start: z.string().nullable().default(null),
  precision: DatePrecision.default('unresolved'),
});
export type FicheMilestone = z.infer<typeof FicheMilestone>;

export const Indicator = z.object({
  label: z.string(),
  type: z.enum(['processus', 'resultat', 'autre']).default('autre'),
  target: z.string().nullable().default(null),
});
export type Indicator = z.infer<typeof Indicator>;

export const FicheStatus = z.enum(['brouillon', 'validée', 'en cours', 'réalisée', 'abandonnée']);
export type FicheStatus = z.infer<typeof FicheStatus>;

/**
 * A fiche action as PTSMs really write them. `extra` keeps sections the parser
 * does not know ("Points de vigilance", "Lien avec le PRS"…): never dropped.
 */
export const Fiche = z.object({
  id: z.string().min(1),
  number: z.number().int().nullable().default(null),
  title: z.string(),
  axis: z.string().nullable().default(null),
  context: z.string().nullable().default(null),
  objectives: z.object({
    general: z.array(z.string()).default([]),
    operational: z.array(z.string()).default([]),
  }).default({ general: [], operational: [] }),
  steps: z.array(z.string()).default([]),
  targetPublic: z.array(z.string()).default([]),
  pilots: z.array(Pilot).default([]),
  partners: z.array(z.string()).default([]),
  milestones: z.array(FicheMilestone).default([]),
  indicators: z.array(Indicator).default([]),
  funding: z.string().nullable().default(null),
  status: FicheStatus.default('brouillon'),
  updatedAt: z.string(),
  /** Where the fiche was read from, for citations. */
  source: z.object({ path: z.string(), title: z.string(), page: z.number().int().nullable() }).nullable().default(null),
  extra: z.record(z.string(), z.string()).default({}),
}).loose();
export type Fiche = z.infer<typeof Fiche>;

/** The fields of a fiche a draft reports on (missing / provenance keys). */
export const FICHE_FIELDS = [
  'title', 'axis', 'context', 'objectives', 'steps', 'targetPublic', 'pilots',
  'partners', 'milestones', 'indicators', 'funding',
] as const;
export type FicheField = (typeof FICHE_FIELDS)[number];

export const ThreadMessage = z.object({
  id: z.string().min(1),
  author: z.object({ id: z.string(), name: z.string() }),
  ts: z.string(),
  text: z.string(),
});
export type ThreadMessage = z.infer<typeof ThreadMessage>;

/** A chat thread, as the CLI reads it and as the Slack/Teams channels build it. */
export const Thread = z.object({
  channel: z.string().optional(),
  messages: z.array(ThreadMessage),
});
export type Thread = z.infer<typeof Thread>;

/** Output of drafting: the fiche, what the thread did not settle, where each field came from. */
export const FicheDraft = z.object({
  fiche: Fiche,
  missing: z.array(z.string()),
  provenance: z.record(z.string(), z.array(z.string())),
});
export type FicheDraft = z.infer<typeof FicheDraft>;
