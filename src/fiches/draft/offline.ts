/**
 * Drafts a fiche action from a working-group thread without any model: cues
 * for how people write (see cues.ts), replayed in order so that later words
 * win (see resolve.ts).
 *
 * Decisions about unsettled fields, documented here because callers rely on them:
 * - `missing` lists the fields the thread says nothing usable about.
 * - A field filled only from proposals nobody agreed to ("on pourrait…",
 *   "je propose…" with no "ok", 👍, "validé" after it) is still filled, so the
 *   coordinator edits rather than types, but it is named in
 *   `fiche.extra['À confirmer']`, with the messages it came from. It is not in
 *   `missing`: the thread did say something, it just did not settle it.
 * - A title derived from the thread's main theme (nobody named the fiche) is
 *   also listed under 'À confirmer'.
 * - An empty thread gives a draft with every field missing and a note in
 *   `fiche.extra['Note']`; it never throws.
 */
import { createHash } from 'node:crypto';
import { maskThread } from '../../privacy/index.js';
import {
  FICHE_FIELDS, FicheDraft, type Fiche, type FicheField, type Indicator, type Thread,
} from '../../core/fiche.js';
import {
  dedupeAmounts, frequentOrganisations, fundingStatements, indicatorStatements, mergeTagged, partnerStatements,
  publicStatements, supersedeAmounts, type Tagged,
} from './fields-lists.js';
import {
  contextStatements, objectiveStatements, pickAxis, pickTitle, stepStatements, type ObjectiveValue, type Pick,
} from './fields-prose.js';
import { milestoneStatements, type DraftMilestone } from './milestones.js';
import { Directory } from './people.js';
import { pilotKey, pilotStatement, toPilots, type PilotValue } from './pilots.js';
import { nextAgreementIndex, resolveStatements, type Held, type Statement } from './resolve.js';
import { segmentThread, type MessageInfo, type Segment } from './segment.js';
import { contentWords, findRejections } from './conversation.js';
import { conversationFindings } from './conversation-fields.js';
import { keyOf } from './text.js';

export interface DraftOptions {
  /** ISO timestamp written to `updatedAt`. */
  now: string;
  /**
   * Reference day (YYYY-MM-DD) for the relative dates of a message without a
   * readable timestamp (plain-text threads); defaults to `now`'s day. A message
   * with a timestamp is always read against its own day.
   */
  ref?: string;
  /** Time zone of the messages' days (default Europe/Paris). */
  timeZone?: string;
}

/** French names of the fields, for the notes a coordinator reads. */
export const FIELD_LABELS: Record<FicheField, string> = {
  title: 'titre', axis: 'axe', context: 'contexte', objectives: 'objectifs', steps: 'étapes',
  targetPublic: 'public cible', pilots: 'pilotes', partners: 'partenaires', milestones: 'échéances',
  indicators: 'indicateurs', funding: 'financement',
};

export function threadHash(thread: Thread): string {
  const h = createHash('sha256');
  h.update(thread.channel ?? '');
  for (const m of thread.messages) h.update(`\u0000${m.id}\u0001${m.author.id}\u0001${m.ts}\u0001${m.text}`);
  return h.digest('hex').slice(0, 12);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** "CMP" and "CMP adultes" are one partner: keep the longer wording. */
function dropPrefixDuplicates<T>(held: Held<T>[], text: (v: T) => string): Held<T>[] {
  return held.filter((h) => {
    const k = keyOf(text(h.value));
    return !held.some((o) => o !== h && keyOf(text(o.value)).startsWith(k + ' '));
  });
}

/** For each message, the last earlier message that proposed something: what a bare « Non, … » answers. */
function latestProposalIndex(segments: Segment[], count: number): number[] {
  const proposing = new Set(segments.filter((s) => s.stance === 'proposal' && !s.noise).map((s) => s.msg.index));
  const out: number[] = [];
  let last = -1;
  for (let i = 0; i < count; i++) {
    out.push(last);
    if (proposing.has(i)) last = i;
  }
  return out;
}

export function draftFicheOffline(thread: Thread, opts: DraftOptions): FicheDraft {
  const ref = opts.ref ?? opts.now.slice(0, 10);
  const today = opts.now.slice(0, 10);
  const id = `draft-${threadHash(thread)}`;
  const base: Fiche = {
    id, number: null, title: '', axis: null, context: null, objectives: { general: [], operational: [] }, steps: [],
    targetPublic: [], pilots: [], partners: [], milestones: [], indicators: [], funding: null, status: 'brouillon',
    updatedAt: opts.now, source: null, extra: {},
  };
  if (thread.messages.length === 0) {
    base.title = 'Brouillon de fiche action';
    base.extra['Note'] = "Le fil de discussion est vide : aucun élément de fiche n'a pu être repéré.";
    return FicheDraft.parse({ fiche: base, missing: [...FICHE_FIELDS], provenance: {} });
  }

  // A draft never quotes what looks like patient data (the id above still names the thread as written).
  thread = maskThread(thread);
  const dir = Directory.fromThread(thread);
  const { messages, segments } = segmentThread(thread, dir, { timeZone: opts.timeZone ?? 'Europe/Paris', fallbackDay: ref, latestDay: today });
  const rejections = findRejections(segments);
  const ctx = { nextAgreement: nextAgreementIndex(messages.map((m) => m.agreement)), rejections, latestProposal: latestProposalIndex(segments, messages.length) };
  // Field names, plus one `milestones.<i>@<YYYY-MM-DD>` key per date: the message it was read in,
  // and in the key the day it was read against (values stay message ids for every consumer).
  const provenance: Partial<Record<FicheField | `milestones.${number}@${string}`, string[]>> = {};
  const provisional: Partial<Record<FicheField, string[]>> = {};
  const note = (field: FicheField, held: Array<{ sources: string[]; provisional: boolean }>): void => {
    if (held.length === 0) return;
    provenance[field] = unique(held.flatMap((h) => h.sources));
    if (held.every((h) => h.provisional)) provisional[field] = provenance[field];
  };
  const notePick = (field: FicheField, p: Pick): void => {
    provenance[field] = unique(p.sources);
    if (p.provisional || p.derived) provisional[field] = provenance[field];
  };
  const fiche = base;
  // What people say in conversation (cue tables), merged in thread order with the structured readings.
  const said = conversationFindings(segments, dir);
  const order = new Map(segments.map((s, i) => [s, i] as const));
  const inOrder = <T>(...lists: Statement<T>[][]): Statement<T>[] => lists.flat().sort((a, b) => order.get(a.seg)! - order.get(b.seg)!);
  const platform = messages.find((m) => m.platform)?.platform ?? null;

  // Title and axis: one value each.
  const pending = (s: { stance: string; msg: MessageInfo }): boolean => s.stance === 'proposal' && !Number.isFinite(ctx.nextAgreement[s.msg.index] ?? Infinity);
  const title = pickTitle(segments, pending);
  if (title) {
    fiche.title = title.value;
    fiche.number = title.number ?? null;
    notePick('title', title);
  }
  const axis = pickAxis(segments, pending);
  if (axis) {
    fiche.axis = axis.value;
    notePick('axis', axis);
  }

  // Context: the constat, in the order it was told.
  const context = resolveStatements(contextStatements(segments), ctx, { pruneOnDecision: false });
  if (context.length) {
    fiche.context = context.map((c) => (/[.!?…]$/.test(c.value) ? c.value : `${c.value}.`)).join(' ');
    note('context', context.map((c) => ({ ...c, provisional: false })));
  }

  // Objectives: the first stated is the general one unless someone said which is which.
  const objectives = resolveStatements<ObjectiveValue>(inOrder(objectiveStatements(segments), said.objectives), ctx, {
    pruneOnDecision: true,
    merge: (a, b) => ({ text: b.text.length > a.text.length ? b.text : a.text, level: a.level ?? b.level }),
  });
  if (objectives.length) {
    const explicitGeneral = objectives.some((o) => o.value.level === 'general');
    objectives.forEach((o, i) => {
      const level = o.value.level ?? (!explicitGeneral && i === 0 ? 'general' : 'operational');
      (level === 'general' ? fiche.objectives.general : fiche.objectives.operational).push(o.value.text);
    });
    note('objectives', objectives);
  }

  // Steps: a list restated whole replaces the earlier one.
  const steps = resolveStatements(inOrder(stepStatements(segments), said.steps), ctx, { pruneOnDecision: true, replaceOnFullList: true });
  if (steps.length) {
    fiche.steps = steps.map((s) => s.value);
    note('steps', steps);
  }

  // Pilots: replayed with withdrawals, "finalement", co-pilots.
  const pilotStmts: Statement<PilotValue>[] = [];
  const byIndex = new Map<number, MessageInfo>(messages.map((m) => [m.index, m]));
  const pilotCtx = {
    dir,
    previousTopicIsPilots: (m: MessageInfo): boolean => {
      for (let i = m.index - 1; i >= Math.max(0, m.index - 2); i--) if (byIndex.get(i)?.topic === 'pilots') return true;
      return false;
    },
  };
  for (const seg of segments) {
    const st = pilotStatement(seg, pilotCtx);
    if (st) pilotStmts.push(st);
  }
  const pilots = resolveStatements(inOrder(pilotStmts, said.pilots), ctx, {
    pruneOnDecision: true,
    replaceOnOverride: true,
    merge: (a, b) => ({ ...a, organisation: b.organisation ?? a.organisation, chatId: a.chatId ?? b.chatId }),
  });
  if (pilots.length) {
    fiche.pilots = toPilots(pilots.map((p) => p.value), platform);
    note('pilots', pilots);
  }
  const pilotKeys = new Set<string>();
  for (const p of fiche.pilots) {
    pilotKeys.add(pilotKey(p.name));
    if (p.organisation) pilotKeys.add(keyOf(p.organisation));
  }

  // Partners: said as a list, in passing, or named again and again; pilots are not their own partners.
  const partnerHeld = resolveStatements<Tagged>(inOrder([...partnerStatements(segments)], said.partners), ctx, { pruneOnDecision: true, merge: mergeTagged });
  const strongKeys = new Set(partnerHeld.map((h) => h.key));
  // Frequently named organisations, but not the fiche's own subject ("CLSM" in "Création du CLSM").
  const titleKey = keyOf(fiche.title);
  const frequent = frequentOrganisations(segments).filter((s) => !s.items.some((i) => strongKeys.has(i.key) || ` ${titleKey} `.includes(` ${i.key} `)));
  let partners = [...partnerHeld, ...resolveStatements(frequent, ctx, { pruneOnDecision: false })];
  const isPilot = (k: string): boolean => [...pilotKeys].some((p) => p === k || p.startsWith(`${k} `) || k.startsWith(`${p} `));
  partners = partners.filter((p) => p.value.strong || !isPilot(p.key));
  partners = dropPrefixDuplicates(partners, (v) => v.text);
  if (partners.length) {
    fiche.partners = partners.map((p) => p.value.text);
    note('partners', partners);
  }

  // Target publics.
  const publics = dropPrefixDuplicates(
    resolveStatements<Tagged>(inOrder(publicStatements(segments, title && !title.derived ? title.value : null), said.targetPublic), ctx, { pruneOnDecision: true, merge: mergeTagged }),
    (v) => v.text,
  );
  if (publics.length) {
    fiche.targetPublic = publics.map((p) => p.value.text);
    note('targetPublic', publics);
  }

  // Indicators.
  const indicators = resolveStatements<Indicator>(inOrder(indicatorStatements(segments), said.indicators), ctx, {
    pruneOnDecision: true,
    merge: (a, b) => ({ ...a, target: b.target ?? a.target }),
  });
  if (indicators.length) {
    fiche.indicators = indicators.map((i) => i.value);
    note('indicators', indicators);
  }

  // Funding: a new amount decided retires the old ones.
  const fundingSaid = fundingStatements(segments);
  const fundingSegs = new Set(fundingSaid.map((f) => f.seg));
  const funding = dedupeAmounts(resolveStatements(supersedeAmounts(inOrder(fundingSaid, said.funding.filter((f) => !fundingSegs.has(f.seg)))), ctx, { pruneOnDecision: true }));
  if (funding.length) {
    fiche.funding = funding.map((f) => f.value.text).join(' ; ');
    note('funding', funding);
  }

  // Milestones: the latest date given for a milestone stands.
  const milestones = resolveStatements<DraftMilestone>(milestoneStatements(segments), ctx, {
    pruneOnDecision: false,
    // The latest date stands; for the same date keep the more telling label.
    merge: (a, b) => (a.due === b.due && a.label.length > b.label.length ? { ...b, label: a.label } : b),
  });
  if (milestones.length) {
    const kept: DraftMilestone[] = [];
    // The same date for the same thing said twice (« la première session fin février » then
    // « formation des gardiens fin février »): one milestone, the later wording.
    const same = (a: DraftMilestone, b: DraftMilestone): boolean => {
      if (a.due !== b.due) return false;
      if (keyOf(a.label).split(' ')[0] === keyOf(b.label).split(' ')[0]) return true;
      const wa = contentWords(a.label);
      return [...contentWords(b.label)].some((w) => wa.has(w));
    };
    for (const m of milestones.map((h) => h.value)) {
      const at = kept.findIndex((k) => same(k, m));
      if (at < 0) kept.push(m);
      else if (m.label.length > kept[at]!.label.length) kept[at] = { ...m, source: kept[at]!.source, ref: kept[at]!.ref };
    }
    fiche.milestones = kept
      .sort((a, b) => String(a.due).localeCompare(String(b.due)));
    note('milestones', milestones);
    // Each date names the message it was read in and the day it was read against.
    fiche.milestones = fiche.milestones.map((m, i) => {
      const { source, ref: day, ...milestone } = m as DraftMilestone;
      provenance[`milestones.${i}@${day}`] = [source];
      return milestone;
    });
  }

  // Notes for the coordinator.
  const toConfirm = FICHE_FIELDS.filter((f) => provisional[f]);
  if (toConfirm.length) {
    fiche.extra['À confirmer'] = toConfirm
      .map((f) => `${FIELD_LABELS[f]}${f === 'title' && title?.derived ? ' (déduit du sujet principal)' : ' (proposition non validée)'} : messages ${provisional[f]!.join(', ')}`)
      .join(' ; ');
  }
  if (!fiche.title) fiche.title = 'Brouillon de fiche action';
  fiche.extra['Fil de discussion'] = `${thread.channel ? `${thread.channel}, ` : ''}${thread.messages.length} message${thread.messages.length > 1 ? 's' : ''}`;

  const missing = FICHE_FIELDS.filter((f) => !provenance[f]);
  return FicheDraft.parse({ fiche, missing, provenance });
}
