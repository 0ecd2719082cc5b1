/**
 * Title, axis, context, objectives and steps: the fields people write as
 * prose or short lists. Each function reads segments and returns statements
 * (or a single pick) for `resolveStatements`.
 */
import {
  ACTION_PROPOSAL_RE, AXIS_NAMED_RE, AXIS_RE, CONTEXT_STRONG_RE, CONTEXT_WEAK_RE, FICHE_NAME_RE, INDICATOR_CUE_RE, OBJECTIVE_CUE_RE, SEQUENCE_RE, STEP_CUE_RE, THEMES, TITLE_CUE_RE,
  VERB_SPLIT_RE, hasPilotCue, AMOUNT_RE,
} from './cues.js';
import type { Statement } from './resolve.js';
import type { Segment } from './segment.js';
import { balanceParens, capitalize, foldSameLength, keyOf, tidy, unquote } from './text.js';

export interface Pick {
  value: string;
  sources: string[];
  /** Derived rather than said (title from the main theme). */
  derived: boolean;
  provisional: boolean;
  number?: number | null;
}

const usable = (s: Segment): boolean => !s.noise && !s.flags.rejection;

/** Text after the header's ":" (or the whole sentence), with its folded twin. */
export function bodyOf(seg: Segment): { raw: string; norm: string; offset: number } {
  return { raw: seg.raw.slice(seg.bodyStart), norm: seg.norm.slice(seg.bodyStart), offset: seg.bodyStart };
}

/** Opinions tacked on a step or objective: ", c'est le plus simple". */
const TRAILING_OPINION_RE = /,\s*(?:c'est|ce serait|ça serait|ca serait)\s+(?:le plus|plus|mieux|faisable|simple|bien|top|possible|prioritaire)[^,]*$/i;

function cleanItem(s: string): string {
  s = s.replace(TRAILING_OPINION_RE, '');
  return capitalize(balanceParens(tidy(unquote(tidy(s.replace(/^\s*(?:\d{1,2}\s*[).]|[-*•–])\s*/, ''))))));
}

// ---------------------------------------------------------------------------
// Title

const TITLE_GENERIC = /^(?:du |de la |de l'|des |d'|sur le ptsm|action|actions|suivante|precedente|commune|correspondante|en question|ptsm|projet|la|le|les)\b/;
const TITLE_STOP_RE = /[.,;:!?(«»"\n]|(?:^|\s)(?:de l'axe|pour l'axe|dans l'axe|de la priorite|a ecrire|a rediger|a faire|a boucler|a finaliser|a completer|qu'|que|qui|c'est|on|est|sera|avec|je|il|elle|nous)(?![a-z])/;

interface TitleCand {
  value: string;
  priority: number;
  seg: Segment;
  number: number | null;
}

function titleCandidates(seg: Segment): TitleCand[] {
  const out: TitleCand[] = [];
  const { raw, norm } = seg;
  if (seg.section === 'title' && seg.ownHeader) {
    const b = bodyOf(seg);
    const v = cleanItem(b.raw);
    if (v) out.push({ value: v, priority: 3, seg, number: null });
    return out;
  }
  const cue = TITLE_CUE_RE.exec(norm);
  if (cue && !/\bfiche\b/.test(norm.slice(0, cue.index))) {
    const v = cleanItem(raw.slice(cue.index + cue[0].length));
    if (v) out.push({ value: v, priority: 3, seg, number: null });
  }
  FICHE_NAME_RE.lastIndex = 0;
  for (const m of norm.matchAll(FICHE_NAME_RE)) {
    const after = (m.index ?? 0) + m[0].length;
    const number = m[1] ? Number(m[1]) : null;
    const restNorm = norm.slice(after);
    const restRaw = raw.slice(after);
    // «…», "…", “…”, or '…' (whose inner apostrophes, as in "d'un", do not close it).
    const q = /^\s*(?:«\s*([^»]{3,160})»|"([^"]{3,160})"|“([^”]{3,160})”|'(.{3,160}?)'(?![\p{L}]))/u.exec(restRaw);
    if (q) {
      out.push({ value: cleanItem(q[1] ?? q[2] ?? q[3] ?? q[4]!), priority: 2, seg, number });
      continue;
    }
    // "la fiche de l'axe 2 : la continuité des soins …"
    const colon = /^\s*(?:(?:de|pour|dans) l'axe \d+\s*|n\s*°?\s*\d+\s*|a (?:ecrire|rediger|faire|finaliser|completer|boucler)\s*|suivante\s*|du jour\s*)?:\s*/.exec(restNorm);
    if (colon) {
      const text = restRaw.slice(colon[0].length);
      const stop = /[.;!?\n]/.exec(text);
      const v = cleanItem((stop ? text.slice(0, stop.index) : text).replace(/^(?:la|le|les|l')\s+|^l'/i, ''));
      if (v && !/^(?:on|je|il|nous)\b/i.test(v)) out.push({ value: v, priority: 1, seg, number });
      continue;
    }
    const sur = /^\s*(?:sur|concernant|relative a|dediee a)\s+(?:la |le |les |l')?/.exec(restNorm);
    const start = sur ? sur[0].length : 0;
    const tailNorm = restNorm.slice(start);
    if (TITLE_GENERIC.test(tailNorm.trim()) || !/^\s*[a-z0-9]/.test(tailNorm)) continue;
    const stop = TITLE_STOP_RE.exec(tailNorm);
    let v = restRaw.slice(start, start + (stop ? stop.index : tailNorm.length));
    v = v.split(/\s+/).slice(0, 12).join(' ');
    v = cleanItem(v);
    if (v.length >= 3) out.push({ value: v, priority: 1, seg, number });
  }
  return out;
}

/** `pending(seg)`: the segment is a proposal nobody agreed to afterwards. */
export function pickTitle(segments: Segment[], pending: (s: Segment) => boolean = (s) => s.stance === 'proposal'): Pick | null {
  let best: TitleCand | null = null;
  let number: number | null = null;
  for (const seg of segments) {
    if (!usable(seg)) continue;
    for (const c of titleCandidates(seg)) {
      if (c.number !== null && number === null) number = c.number;
      // Higher priority wins; at equal priority the first naming stands unless a decision restates it.
      if (!best || c.priority > best.priority || (c.priority === best.priority && c.seg.stance === 'decision' && best.seg.stance !== 'decision')) best = c;
    }
  }
  if (best) return { value: best.value, sources: [best.seg.msg.id], derived: false, provisional: pending(best.seg), number };
  // Fallback: the theme the thread talks about most.
  const counts = new Map<string, { n: number; ids: string[] }>();
  for (const seg of segments) {
    if (!usable(seg)) continue;
    for (const [re, label] of THEMES) {
      if (!re.test(seg.norm)) continue;
      const c = counts.get(label) ?? { n: 0, ids: [] };
      c.n++;
      if (!c.ids.includes(seg.msg.id)) c.ids.push(seg.msg.id);
      counts.set(label, c);
    }
  }
  let top: [string, { n: number; ids: string[] }] | null = null;
  for (const e of counts) if (!top || e[1].n > top[1].n) top = e;
  if (!top) return null;
  return { value: top[0], sources: top[1].ids.slice(0, 5), derived: true, provisional: false, number };
}

// ---------------------------------------------------------------------------
// Axis

export function pickAxis(segments: Segment[], pending: (s: Segment) => boolean = (s) => s.stance === 'proposal'): Pick | null {
  let best: { value: string; seg: Segment } | null = null;
  for (const seg of segments) {
    if (!usable(seg)) continue;
    let value: string | null = null;
    if (seg.section === 'axis' && seg.ownHeader) {
      const b = bodyOf(seg);
      const lead = /^(axe|priorite)s?/.exec(seg.norm.slice(seg.raw.length - seg.raw.trimStart().length)) ?? null;
      value = cleanItem(`${lead ? seg.raw.slice(0, lead[0].length) : 'Axe'} ${b.raw}`);
    } else {
      const m = AXIS_RE.exec(seg.norm) ?? AXIS_NAMED_RE.exec(seg.norm);
      if (m && !/é/.test(seg.raw.slice(m.index, m.index + 4))) value = cleanItem(seg.raw.slice(m.index, m.index + m[0].length));
    }
    if (!value) continue;
    if (!best || (seg.stance === 'decision' && best.seg.stance !== 'decision')) best = { value, seg };
  }
  return best ? { value: best.value, sources: [best.seg.msg.id], derived: false, provisional: pending(best.seg) } : null;
}

// ---------------------------------------------------------------------------
// Context

const OTHER_FIELD_SECTIONS = new Set(['objectives', 'steps', 'pilots', 'partners', 'milestones', 'indicators', 'funding', 'targetPublic', 'title', 'axis']);

const GREETING_RE = /^(?:bonjour|bonsoir|hello|salut|coucou|merci|bien vu|note|ok|oui|top|super)\b/;
/** Plans and offers ("on peut assurer…", "il faudra…") are not a constat. */
const PLAN_RE = /\b(?:on peut|on pourra|il faudra|il faut|on va|je peux|nous pouvons|on mettra|on proposera)\b/;

function contextLike(seg: Segment, strong: boolean): boolean {
  if (!usable(seg) || seg.flags.question || (seg.stance === 'proposal' && !seg.section)) return false;
  if (GREETING_RE.test(seg.norm) && seg.norm.split(/\s+/).length < 6) return false;
  if (FICHE_NAME_RE.test(seg.norm) || AXIS_RE.test(seg.norm)) {
    FICHE_NAME_RE.lastIndex = 0;
    return false;
  }
  FICHE_NAME_RE.lastIndex = 0;
  if (!strong && seg.section !== 'context' && PLAN_RE.test(seg.norm)) return false;
  if (seg.section && OTHER_FIELD_SECTIONS.has(seg.section)) return false;
  if (OBJECTIVE_CUE_RE.test(seg.norm) || hasPilotCue(seg.norm) || INDICATOR_CUE_RE.test(seg.norm)) return false;
  AMOUNT_RE.lastIndex = 0;
  if (AMOUNT_RE.test(seg.raw) || /\b(?:budget|financement|fiop|etp)\b/.test(seg.norm)) return false;
  if (seg.section === 'context') return true;
  return strong ? CONTEXT_STRONG_RE.test(seg.norm) : CONTEXT_WEAK_RE.test(seg.norm);
}

export function contextStatements(segments: Segment[], max = 6): Statement<string>[] {
  const picked = new Set<Segment>();
  const strongMsgs = new Set<string>();
  for (const seg of segments) {
    if (contextLike(seg, true)) {
      picked.add(seg);
      strongMsgs.add(seg.msg.id);
    }
  }
  for (const seg of segments) {
    if (picked.has(seg)) continue;
    // Sentences next to a stated constat elaborate it; weak cues alone need no company.
    const sibling = strongMsgs.has(seg.msg.id) && seg.norm.split(/\s+/).length >= 6 && !PLAN_RE.test(seg.norm) && contextLike({ ...seg, norm: `${seg.norm} aucun ` }, true);
    if (contextLike(seg, false) || sibling) picked.add(seg);
  }
  const ordered = segments.filter((s) => picked.has(s)).slice(0, max);
  return ordered.map((seg) => {
    const b = bodyOf(seg);
    // "Rappel du constat du diagnostic : le taux…" → "Le taux…"
    const lead = /^[^:]{0,50}\b(?:constats?|diagnostic|contexte)\b[^:]{0,30}:\s*/.exec(foldSameLength(b.raw));
    const text = cleanItem(lead ? b.raw.slice(lead[0].length) : b.raw);
    return { seg, items: text ? [{ value: text, key: keyOf(text) }] : [], removals: [] };
  });
}

// ---------------------------------------------------------------------------
// Objectives

export interface ObjectiveValue {
  text: string;
  level: 'general' | 'operational' | null;
}

/** "L'objectif serait d'étendre…" → "étendre…"; "… comme ça : développer…" → "développer…". */
function objectiveTail(seg: Segment): { raw: string; norm: string } | null {
  if (seg.section === 'objectives') return bodyOf(seg);
  const m = OBJECTIVE_CUE_RE.exec(seg.norm);
  if (!m) return null;
  let at = (m.index ?? 0) + m[0].length;
  const colon = seg.norm.indexOf(':', at);
  if (colon >= 0 && colon - at < 70) at = colon + 1;
  else {
    const filler = /^\s*(?:generaux|general|operationnels?|principal|principaux|specifiques?|de la fiche|pour moi|du projet)?\s*(?:,\s*)?(?:serait|sera|est|c'est|ce serait|ce sera|donc|ainsi|reste|consiste a)*\s*(?:donc\s+)?(?:de |d'|que |qu'|a )?/.exec(seg.norm.slice(at));
    at += filler ? filler[0].length : 0;
  }
  return { raw: seg.raw.slice(at), norm: seg.norm.slice(at) };
}

function splitByVerbs(raw: string, norm: string): string[] {
  const cuts = [0];
  VERB_SPLIT_RE.lastIndex = 0;
  for (const m of norm.matchAll(VERB_SPLIT_RE)) cuts.push((m.index ?? 0), (m.index ?? 0) + m[0].length);
  cuts.push(raw.length);
  const out: string[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 2) out.push(raw.slice(cuts[i]!, cuts[i + 1]!));
  return out;
}

export function objectiveStatements(segments: Segment[]): Statement<ObjectiveValue>[] {
  const out: Statement<ObjectiveValue>[] = [];
  for (const seg of segments) {
    if (!usable(seg)) continue;
    if (seg.section && seg.section !== 'objectives') continue;
    const tail = objectiveTail(seg);
    if (!tail) continue;
    const level = seg.sub ?? (/objectifs? (?:generaux|general)|objectif principal/.test(seg.norm) ? 'general' : /operationnel|specifique/.test(seg.norm) ? 'operational' : null);
    const items = splitByVerbs(tail.raw, tail.norm)
      .map((s) => cleanItem(s.replace(/^\s*(?:de |d'|et |et de |et d')/i, '')))
      .filter((s) => s.split(/\s+/).length >= 2 && s.length <= 300)
      .map((text) => ({ value: { text, level }, key: keyOf(text) }));
    if (items.length) out.push({ seg, items, removals: [] });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Steps

function splitSequence(raw: string, norm: string, min = 2): string[] {
  const marks: Array<[number, number]> = [];
  SEQUENCE_RE.lastIndex = 0;
  for (const m of norm.matchAll(SEQUENCE_RE)) {
    const at = (m.index ?? 0) + m[0].indexOf(m[1]!);
    marks.push([at, at + m[1]!.length]);
  }
  if (marks.length < min || marks.length === 0) return [];
  const pieces: string[] = [];
  let from = 0;
  for (const [a, b] of marks) {
    pieces.push(raw.slice(from, a));
    from = b;
  }
  pieces.push(raw.slice(from));
  return pieces
    .map((p) => p.replace(/^\s*[,:;]?\s*(?:et\s+)?/, '').replace(/\s*(?:,\s*)?(?:et|,)?\s*$/, ''))
    .map((p) => cleanItem(p))
    .filter((p) => p.split(/\s+/).length >= 2 && !/^(?:ok|oui|on part sur|si on)\b/i.test(p));
}

/** `sequenced`: the message orders its sentences ("premiere etape : … ensuite … puis …"). */
function stepItems(seg: Segment, sequenced = false): string[] {
  const b = bodyOf(seg);
  if (seg.section === 'steps') {
    if (seg.listItem) return [cleanItem(b.raw)].filter(Boolean);
    const seq = splitSequence(b.raw, b.norm);
    if (seq.length) return seq;
    const parts = b.raw.split(/\s*;\s*|,\s+(?=\p{Ll})/u)
      .map((p) => cleanItem(p.replace(/^\s*(?:puis|ensuite|enfin|et|d'abord)\s+/i, '')))
      .filter((p) => p.split(/\s+/).length >= 2);
    return parts;
  }
  const seq = splitSequence(seg.raw, seg.norm, sequenced ? 1 : 2);
  if ((seq.length >= 2 || (sequenced && seq.length >= 1)) && !seg.flags.question) return seq;
  if (STEP_CUE_RE.test(seg.norm)) {
    const quoted = [...seg.raw.matchAll(/[«"“]\s*([^»"”]{4,160})\s*[»"”]/g)].map((m) => cleanItem(m[1]!));
    if (quoted.length) return quoted;
  }
  const action = seg.msg.topic === 'milestones' ? null : ACTION_PROPOSAL_RE.exec(seg.norm);
  if (action) {
    // Keep what is proposed: "je propose un infirmier…" → "Un infirmier…", "on mettra en place une réunion…" → "Mettre en place une réunion…".
    const m = /(?:je propose (?:de |d')?|on mettra en place |on va mettre en place |il faudra mettre en place |on met en place |il faudrait |on (?:pourrait|devrait) (?:faire |monter )?|^et )/.exec(seg.norm.slice(action.index));
    const from = action.index + (m ? m.index + m[0].length : 0);
    const prefix = m && /mettra|va mettre|faudra mettre|met en place/.test(m[0]) ? 'Mettre en place ' : '';
    const item = cleanItem(prefix + seg.raw.slice(from));
    return item ? [item] : [];
  }
  // "et des staffs communs mensuels…" right after an action proposal: one more action.
  if (seg.msg.topic === 'steps' && seg.msg.topicInherited && /^(?:et|aussi|plus)\s+(?:des|un|une|le|la|les)\s/.test(seg.norm)) {
    const item = cleanItem(seg.raw.replace(/^\s*(?:et|aussi|plus)\s+/i, ''));
    return item ? [item] : [];
  }
  return [];
}

/** One statement per message: a list restated in a later message replaces the earlier list. */
export function stepStatements(segments: Segment[]): Statement<string>[] {
  const out: Statement<string>[] = [];
  let current: Statement<string> | null = null;
  // Sequence words counted per message: one per sentence still makes an ordered list.
  const marks = new Map<string, number>();
  for (const seg of segments) {
    SEQUENCE_RE.lastIndex = 0;
    marks.set(seg.msg.id, (marks.get(seg.msg.id) ?? 0) + [...seg.norm.matchAll(SEQUENCE_RE)].length);
  }
  for (const seg of segments) {
    if (!usable(seg)) continue;
    if (seg.section && seg.section !== 'steps') continue;
    const sequenced = (marks.get(seg.msg.id) ?? 0) >= 2;
    const items = stepItems(seg, sequenced);
    if (!items.length) continue;
    const weakOnly = seg.section !== 'steps' && !STEP_CUE_RE.test(seg.norm) && !sequenced;
    if (current && current.seg.msg.id === seg.msg.id && !weakOnly && !current.weak) {
      for (const v of items) current.items.push({ value: v, key: keyOf(v) });
      continue;
    }
    current = { seg, items: items.map((v) => ({ value: v, key: keyOf(v) })), removals: [], weak: weakOnly };
    out.push(current);
  }
  return out;
}
