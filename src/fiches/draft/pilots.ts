/**
 * Pilots: who leads the action. People write "je veux bien piloter",
 * "porté par le CCAS, référente Céline Aubry", "co-pilotage Julien pour la
 * CPTS", "<@U04DDD>", "finalement je ne pourrai pas piloter". We read each
 * sentence about leading, find the people and organisations in the clause
 * that carries the cue, pair a person with their organisation when the
 * sentence says so, and let `resolveStatements` replay the changes of mind.
 */
import type { Pilot } from '../../core/fiche.js';
import {
  PARTNER_BOUNDARY_RE, SELF_PILOT_RE, SELF_WITHDRAW_RE, findOrganisations, hasPilotCue, isNegatedAt,
  type Found,
} from './cues.js';
import type { Directory } from './people.js';
import type { Item, Statement } from './resolve.js';
import type { MessageInfo, Segment } from './segment.js';
import { capitalize, foldLoose, keyOf, tidy } from './text.js';

export interface PilotValue {
  name: string;
  organisation: string | null;
  kind: 'person' | 'org';
  chatId: string | null;
}

const CLAUSE_CUT_RE = /;|,\s+(?=(?:on|car|mais|puisque|puisqu'|parce|sinon|c'est|ce|ca|il|elle|nous|vous|si|j'en|j'ai|des que|quand)\b)|\s(?=(?:car|puisque|puisqu'|parce que|mais)\b)|[.!?]\s/g;
const TITLED_RE = /\b(?:dr|docteure?|pr|professeure?|mme|madame|monsieur|m\.)\s+((?:[A-ZÀ-Ý][\p{L}'’-]+)(?:\s+[A-ZÀ-Ý][\p{L}'’-]+)?)/gu;
const NAMED_ROLE_RE = /(?:c'est|ce sera|ce serait)\s+([A-ZÀ-Ý][\p{L}'’-]+(?:\s+[A-ZÀ-Ý][\p{L}'’-]+)?)\s+qui\s+(?:co-?)?(?:pilote|porte|coordonne|s'en charge)|([A-ZÀ-Ý][\p{L}'’-]+(?:\s+[A-ZÀ-Ý][\p{L}'’-]+)?)\s+(?:sera|serait|est|devient)\s+(?:le |la |l')?(?:co-?)?(?:pilote|porteu\w+|référent\w*|referent\w*)|([A-ZÀ-Ý][\p{L}'’-]+(?:\s+[A-ZÀ-Ý][\p{L}'’-]+){0,2})\s+(?:co-?)?(?:pilote|pilotent|pilotera|piloteront|porte|portent|portera|porteront)\b(?!\s+(?:d'entrée|d'entree|à porte))/gu;
const SELF_ORG_RE = /^\W*(?:\S+\s+){0,3}?(?:cote|pour|au nom d[eu]|du|de la|de l')\s*(?:la |le |l'|les )?$/;

interface Span extends Found {
  value: PilotValue;
}

export function pilotKey(name: string): string {
  return keyOf(name.replace(/^(?:dr|docteure?|pr|mme|m\.)\s+/i, ''));
}

function personValue(name: string, chatId: string | null): PilotValue {
  return { name, organisation: null, kind: 'person', chatId };
}

/** People named in a span of text: authors (full or unique first/last name), "Dr X", mentions. */
function findPeople(seg: Segment, from: number, to: number, dir: Directory): Span[] {
  const out: Span[] = [];
  const { raw, norm } = seg;
  const mentionIds = new Map(seg.msg.mentions.map((m) => [foldLoose(m.name), m.chatId] as const));
  for (const { form, person } of dir.nameForms()) {
    let at = norm.indexOf(form, from);
    while (at >= 0 && at < to) {
      const end = at + form.length;
      const boundary = (at === 0 || /[^a-z0-9]/.test(norm[at - 1]!)) && (end >= norm.length || /[^a-z0-9]/.test(norm[end]!));
      if (boundary && /\p{Lu}/u.test(raw[at]!) && !out.some((o) => at < o.end && end > o.start)) {
        out.push({ text: raw.slice(at, end), start: at, end, value: personValue(person.name, mentionIds.get(foldLoose(person.name)) ?? person.id) });
      }
      at = norm.indexOf(form, end);
    }
  }
  for (const m of raw.slice(from, to).matchAll(TITLED_RE)) {
    const start = from + (m.index ?? 0);
    const end = start + m[0].length;
    if (out.some((o) => start < o.end && end > o.start)) continue;
    const person = dir.resolve(m[1]!);
    out.push({ text: m[0], start, end, value: personValue(person?.name ?? m[0], person?.id ?? null) });
  }
  for (const m of raw.slice(from, to).matchAll(NAMED_ROLE_RE)) {
    const name = (m[1] ?? m[2] ?? m[3]!).trim();
    if (/^(?:Je|Il|Elle|On|Nous|Vous|Ils|Elles|Qui|Ça|Ca|Cela|Ce|Oui|Non|Ok|Et)$/.test(name.split(/\s+/)[0]!)) continue;
    const start = from + (m.index ?? 0) + m[0].indexOf(name);
    const end = start + name.length;
    if (out.some((o) => start < o.end && end > o.start)) continue;
    if (findOrganisations(name, foldLoose(name)).length > 0) continue;
    const person = dir.resolve(name);
    out.push({ text: name, start, end, value: personValue(person?.name ?? name, person?.id ?? null) });
  }
  // Mentions of people who did not write in the thread ("@Marie Dupont").
  for (const m of seg.msg.mentions) {
    const at = raw.indexOf(m.name, from);
    if (at < 0 || at >= to || out.some((o) => at < o.end && at + m.name.length > o.start)) continue;
    out.push({ text: m.name, start: at, end: at + m.name.length, value: personValue(m.name, m.chatId) });
  }
  return out;
}

/** Clauses of the sentence that speak about leading (plus the one right after a bare "Pour le pilotage,"). */
function pilotClauses(seg: Segment, start: number, end: number): Array<[number, number]> {
  const cuts: number[] = [start];
  CLAUSE_CUT_RE.lastIndex = 0;
  for (const m of seg.norm.slice(start, end).matchAll(CLAUSE_CUT_RE)) cuts.push(start + (m.index ?? 0));
  cuts.push(end);
  const clauses: Array<[number, number]> = [];
  for (let i = 0; i + 1 < cuts.length; i++) clauses.push([cuts[i]!, cuts[i + 1]!]);
  if (seg.section === 'pilots') return clauses;
  const keep: Array<[number, number]> = [];
  clauses.forEach(([a, b], i) => {
    const text = seg.norm.slice(a, b);
    if (hasPilotCue(text) || SELF_PILOT_RE.test(text)) {
      keep.push([a, b]);
      // "Pour le pilotage, c'est X": the cue clause is bare, the name is in the next one.
      const next = clauses[i + 1];
      if (next && text.replace(/[^a-z]/g, '').length < 25) keep.push(next);
    }
  });
  return keep;
}

export interface PilotContext {
  dir: Directory;
  /** Message before this one asked "qui pilote ?" / was about pilots. */
  previousTopicIsPilots: (msg: MessageInfo) => boolean;
}

/** One statement per sentence that speaks about leading. */
export function pilotStatement(seg: Segment, ctx: PilotContext): Statement<PilotValue> | null {
  if (seg.noise) return null;
  const { norm, raw, msg } = seg;
  const author = ctx.dir.byChatId(msg.authorId);
  const selfKey = pilotKey(msg.authorName);
  const removals: string[] = [];
  if (SELF_WITHDRAW_RE.test(norm)) removals.push(selfKey);

  const onlyChargeCue = !hasPilotCue(norm.replace(/je m'en charge/g, '')) && /je m'en charge/.test(norm);
  const inTopic = msg.topic === 'pilots' && msg.topicInherited;
  const isPilotSentence =
    seg.section === 'pilots' ||
    (hasPilotCue(norm) && (!onlyChargeCue || msg.topic === 'pilots' || ctx.previousTopicIsPilots(msg))) ||
    (inTopic && seg.flags.override);
  if (!isPilotSentence) {
    // "Non pas Marie, plutôt Paul": swap people if Marie was a pilot (nothing otherwise).
    if (seg.flags.override && /\b(?:non|pas)\b/.test(norm)) {
      const people = findPeople(seg, 0, norm.length, ctx.dir);
      const gone = people.filter((p) => isNegatedAt(norm, p.start, p.end));
      const kept = people.filter((p) => !isNegatedAt(norm, p.start, p.end));
      if (gone.length && kept.length) {
        const to = kept.map((p) => ({ value: p.value, key: pilotKey(p.value.name) }));
        return { seg, items: [], removals, swaps: gone.map((g) => ({ from: pilotKey(g.value.name), to })) };
      }
    }
    return removals.length ? { seg, items: [], removals } : null;
  }

  // Where the pilots are named: after a header's ":", before "en lien avec …" / "partenaires …".
  const start = seg.bodyStart;
  const boundary = PARTNER_BOUNDARY_RE.exec(norm.slice(start));
  const end = boundary ? start + boundary.index : norm.length;
  const clauses = inTopic && !hasPilotCue(norm) ? [[start, end] as [number, number]] : pilotClauses(seg, start, end);

  const spans: Span[] = [];
  const negated: string[] = [];
  for (const [a, b] of clauses) {
    const people = findPeople(seg, a, b, ctx.dir);
    const orgs = findOrganisations(raw.slice(a, b), norm.slice(a, b)).map((o) => ({ ...o, start: o.start + a, end: o.end + a }));
    for (const o of orgs) {
      if (people.some((p) => o.start < p.end && o.end > p.start)) continue;
      const name = capitalize(tidy(o.text));
      people.push({ ...o, value: { name, organisation: name, kind: 'org', chatId: null } });
    }
    const selfMatch = SELF_PILOT_RE.exec(norm.slice(a, b));
    if (selfMatch && !SELF_WITHDRAW_RE.test(norm) && author) {
      const at = a + selfMatch.index;
      people.push({ text: 'je', start: at, end: at + selfMatch[0].length, value: personValue(author.name, author.id) });
    }
    for (const p of people) {
      if (p.text !== 'je' && isNegatedAt(norm, p.start, p.end)) negated.push(pilotKey(p.value.name));
      else spans.push(p);
    }
  }
  spans.sort((x, y) => x.start - y.start);
  attachOrganisations(spans, norm);

  const items: Item<PilotValue>[] = [];
  for (const s of spans) {
    if (s.value.kind === 'org' && spans.some((p) => p.value.kind === 'person' && p.value.organisation === s.value.name)) continue;
    const key = pilotKey(s.value.name);
    if (!items.some((i) => i.key === key)) items.push({ value: s.value, key });
  }
  // "non pas X": X goes; a bare mention of X in a negated clause just isn't added.
  if (seg.flags.override || /\bnon\b/.test(norm)) removals.push(...negated);
  return { seg, items, removals };
}

/**
 * Pairs people with organisations: "Dr Vasseur (CH de Lanvallec)", "USMP (Dr Leroy)",
 * "Sarah pour la PMI", "je … côté EPSM", or one person + one organisation in the sentence.
 */
function attachOrganisations(spans: Span[], norm: string): void {
  const people = spans.filter((s) => s.value.kind === 'person');
  const orgs = spans.filter((s) => s.value.kind === 'org');
  let attached = 0;
  for (const o of orgs) {
    let prev: Span | undefined;
    let next: Span | undefined;
    for (const p of people) {
      if (p.end <= o.start && (!prev || p.end > prev.end)) prev = p;
      if (p.start >= o.end && (!next || p.start < next.start)) next = p;
    }
    if (prev && !prev.value.organisation) {
      const between = norm.slice(prev.end, o.start);
      if (/^\s*\(\s*(?:(?:dr|docteure?|pr|mme|m)\.?\s+)?$/.test(between) || SELF_ORG_RE.test(between)) {
        prev.value = { ...prev.value, organisation: o.value.name };
        attached++;
        continue;
      }
    }
    if (next && !next.value.organisation && /^\s*\(\s*(?:(?:dr|docteure?|pr|mme|m)\.?\s+)?$/.test(norm.slice(o.end, next.start))) {
      next.value = { ...next.value, organisation: o.value.name };
      attached++;
    }
  }
  // One person and one organisation, nothing else: they go together.
  if (attached === 0 && people.length === 1 && orgs.length === 1) {
    people[0]!.value = { ...people[0]!.value, organisation: orgs[0]!.value.name };
  }
}

/** Final shape: persons with their organisation; organisations alone only when no pilot represents them. */
export function toPilots(values: PilotValue[], platform: 'slack' | 'teams' | null): Pilot[] {
  const out: Pilot[] = [];
  const orgOfPeople = new Set(values.filter((v) => v.kind === 'person' && v.organisation).map((v) => keyOf(v.organisation!)));
  for (const v of values) {
    if (v.kind === 'org' && orgOfPeople.has(keyOf(v.name))) continue;
    const chatIds: Pilot['chatIds'] = {};
    if (v.kind === 'person' && v.chatId) {
      if (/^[UW][A-Z0-9]{5,}$/.test(v.chatId)) chatIds.slack = v.chatId;
      else if (platform === 'teams') chatIds.teams = v.chatId;
    }
    out.push({ name: v.name, organisation: v.kind === 'org' ? null : v.organisation, email: null, chatIds });
  }
  return out;
}
