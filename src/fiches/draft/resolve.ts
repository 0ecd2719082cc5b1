/**
 * How a thread settles a field over time. Statements are read in order:
 * - a proposal ("on pourrait…") is held as pending until someone agrees
 *   ("ok pour moi", 👍, "c'est validé") or it is restated as a fact;
 * - a decision ("on retient…", "validé :") drops the pending proposals it
 *   does not repeat, unless it says it adds ("aussi", "en plus", "co-pilote");
 * - "finalement", "plutôt", "non pas X" replace or remove what came before;
 * - a rejection ("c'est trop", "irréaliste") adds nothing.
 */
import { rejects, type Rejection } from './conversation.js';
import type { Segment, StanceKind } from './segment.js';

export interface Item<T> {
  value: T;
  /** Comparison key: same key = same item restated. */
  key: string;
}

export interface Statement<T> {
  seg: Segment;
  items: Item<T>[];
  /** Keys this statement takes back ("non pas la MDA", "je ne pourrai pas piloter"). */
  removals: string[];
  /** Weak statements (carried-over topic, frequency) never prune nor replace. */
  weak?: boolean;
  /**
   * "Non pas la MDA, plutôt la Mission locale": where `from` is held, it is
   * replaced by `to`; where it is not, nothing happens (the swap was about another field).
   */
  swaps?: Array<{ from: string; to: Item<T>[] }>;
}

export interface Held<T> {
  value: T;
  key: string;
  stance: StanceKind;
  /** Message index of the latest statement that carried it. */
  at: number;
  sources: string[];
  /** True when it was only ever proposed and nobody agreed afterwards. */
  provisional: boolean;
}

export interface ResolveContext {
  /** nextAgreement[i] = index of the first agreeing message after message i (Infinity if none). */
  nextAgreement: number[];
  /** Rejections in the thread, by message order (see conversation.ts). */
  rejections?: Rejection[];
  /** latestProposal[j] = index of the last message before j that proposed something (-1 if none). */
  latestProposal?: number[];
}

export interface ResolveOptions<T> {
  /** A decision drops pending (unconfirmed) proposals. */
  pruneOnDecision: boolean;
  /** A statement listing 2+ items (and not additive) replaces the whole list (steps are restated whole). */
  replaceOnFullList?: boolean;
  /** An override ("finalement…") with items replaces the whole list (pilots). */
  replaceOnOverride?: boolean;
  /** How a restated item updates the held one (default: keep the longer wording). */
  merge?: (held: T, restated: T) => T;
}

export function nextAgreementIndex(agreement: boolean[]): number[] {
  const out = new Array<number>(agreement.length).fill(Infinity);
  let next = Infinity;
  for (let i = agreement.length - 1; i >= 0; i--) {
    out[i] = next;
    if (agreement[i]) next = i;
  }
  return out;
}

function rank(s: StanceKind): number {
  return s === 'decision' ? 2 : s === 'neutral' ? 1 : 0;
}

export function resolveStatements<T>(statements: Statement<T>[], ctx: ResolveContext, opts: ResolveOptions<T>): Held<T>[] {
  let held: Held<T>[] = [];
  const pendingAt = (h: Held<T>, t: number): boolean => h.stance === 'proposal' && !((ctx.nextAgreement[h.at] ?? Infinity) < t);

  const rejections = ctx.rejections ?? [];
  let nextRejection = 0;
  const applyRejections = (upTo: number): void => {
    for (; nextRejection < rejections.length && rejections[nextRejection]!.at <= upTo; nextRejection++) {
      const r = rejections[nextRejection]!;
      const answered = ctx.latestProposal?.[r.at] ?? -1;
      // Anything not decided yet can be turned down: a proposal, or an idea said in passing.
      const open = (h: Held<T>): boolean => h.stance !== 'decision' && !((ctx.nextAgreement[h.at] ?? Infinity) < r.at);
      held = held.filter((h) => !(open(h) && rejects(r, h.key, h.at, answered)));
    }
  };

  for (const st of statements) {
    applyRejections(st.seg.msg.index);
    if (st.seg.flags.rejection && st.removals.length === 0) continue;
    const t = st.seg.msg.index;
    const { override, additive } = st.seg.flags;
    if (st.removals.length > 0) {
      const gone = new Set(st.removals);
      held = held.filter((h) => !gone.has(h.key));
    }
    for (const sw of st.swaps ?? []) {
      const at = held.findIndex((h) => h.key === sw.from);
      if (at < 0) continue;
      const was = held[at]!;
      const fresh = sw.to.filter((it) => !held.some((h) => h.key === it.key));
      held.splice(at, 1, ...fresh.map((it) => ({
        value: it.value, key: it.key, stance: st.seg.stance === 'proposal' ? was.stance : st.seg.stance, at: t, sources: [st.seg.msg.id], provisional: false,
      })));
    }
    if (st.items.length === 0) continue;
    if (!st.weak && !additive) {
      if (opts.replaceOnOverride && override) {
        held = [];
      } else if (opts.replaceOnFullList && st.items.length >= 2) {
        held = [];
      } else if (opts.pruneOnDecision && st.seg.stance === 'decision') {
        const keep = new Set(st.items.map((i) => i.key));
        held = held.filter((h) => !pendingAt(h, t) || keep.has(h.key));
      }
    }
    for (const it of st.items) {
      const existing = held.find((h) => h.key === it.key);
      if (existing) {
        if (rank(st.seg.stance) >= rank(existing.stance)) {
          existing.stance = st.seg.stance;
          existing.at = t;
        }
        if (!existing.sources.includes(st.seg.msg.id)) existing.sources.push(st.seg.msg.id);
        existing.value = opts.merge ? opts.merge(existing.value, it.value) : longer(existing.value, it.value);
        continue;
      }
      held.push({ value: it.value, key: it.key, stance: st.seg.stance, at: t, sources: [st.seg.msg.id], provisional: false });
    }
  }
  applyRejections(Infinity);
  for (const h of held) h.provisional = pendingAt(h, Infinity);
  return held;
}

/** Keeps the richer wording ("CMP adultes" over "CMP"). */
function longer<T>(a: T, b: T): T {
  return String(b).length > String(a).length ? b : a;
}
