/**
 * Partners, target publics, indicators and funding: the fields people give as
 * lists ("Partenaires : CPTS, SAMU et l'UNAFAM"), or in passing ("le CSAPA
 * veut bien être dans la boucle", "Et côté soins : nombre d'interventions…").
 */
import type { Indicator } from '../../core/fiche.js';
import {
  AMOUNT_RE, CONTEXT_STRONG_RE, INDICATOR_CUE_RE, PARTNER_LIST_RE, PARTNER_WEAK_RE, PUBLIC_CUE_RE, OBJECTIVE_CUE_RE,
  TARGET_RE, findIndicatorHeads, findOrganisations, findPublics, hasPilotCue, isNegatedAt,
} from './cues.js';
import { bodyOf } from './fields-prose.js';
import type { Item, Statement } from './resolve.js';
import type { Segment } from './segment.js';
import { balanceParens, capitalize, foldSameLength, formatEuros, keyOf, parseAmount, tidy } from './text.js';

const usable = (s: Segment): boolean => !s.noise && !s.flags.rejection;

export interface Tagged {
  text: string;
  /** Said as a list of partners/publics (strong) or inferred (weak: frequency, passing mention). */
  strong: boolean;
}

export function mergeTagged(a: Tagged, b: Tagged): Tagged {
  return { text: b.text.length > a.text.length ? b.text : a.text, strong: a.strong || b.strong };
}

export interface Piece {
  text: string;
  start: number;
  end: number;
}

/** Splits "CPTS, association des maires et le SAMU (centre 15)" into its items, parentheses kept whole. */
export function splitPieces(raw: string): Piece[] {
  const out: Piece[] = [];
  let depth = 0;
  let start = 0;
  const norm = foldSameLength(raw);
  const cut = (end: number, next: number): void => {
    const text = raw.slice(start, end);
    const lead = text.length - text.trimStart().length;
    if (text.trim()) out.push({ text: text.trim(), start: start + lead, end: start + lead + text.trim().length });
    start = next;
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth > 0) continue;
    if (ch === ',' || ch === ';' || ch === '\n') {
      cut(i, i + 1);
      continue;
    }
    const et = /^\s(?:et|ou|ainsi que|\/|\+)\s/.exec(norm.slice(i, i + 12));
    if (et) {
      cut(i, i + et[0].length);
      i += et[0].length - 1;
    }
  }
  cut(raw.length, raw.length);
  return out;
}

export function splitList(raw: string): string[] {
  return splitPieces(raw).map((p) => p.text);
}

const LEAD_RE = /^(?:pourquoi pas|et|ou|avec|aussi|puis|plus|alors|donc|notamment|surtout|enfin|d'abord|les|le|la|l'|des|du|de|d'|nos|leurs?|un|une)\s+|^l['’]|^d['’]/i;

function cleanPiece(s: string): string {
  let t = tidy(s);
  for (let i = 0; i < 3; i++) t = t.replace(LEAD_RE, '');
  return capitalizeIfAcronymLess(balanceParens(tidy(t)));
}

function capitalizeIfAcronymLess(s: string): string {
  return /^\p{Lu}/u.test(s) ? s : capitalize(s);
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

// ---------------------------------------------------------------------------
// Partners

function partnerItem(text: string, strong: boolean): Item<Tagged> | null {
  const t = cleanPiece(text);
  if (!t || wordCount(t) > 9 || t.length < 2) return null;
  return { value: { text: t, strong }, key: keyOf(t) };
}

export function partnerStatements(segments: Segment[]): Statement<Tagged>[] {
  const out: Statement<Tagged>[] = [];
  for (const seg of segments) {
    if (!usable(seg) || seg.flags.question && seg.section !== 'partners' && !PARTNER_WEAK_RE.test(seg.norm)) continue;
    const items: Item<Tagged>[] = [];
    const removals: string[] = [];
    const orgs = findOrganisations(seg.raw, seg.norm);
    for (const o of orgs) if (isNegatedAt(seg.norm, o.start, o.end)) removals.push(keyOf(cleanPiece(o.text)));
    const negatedKeys = new Set(removals);
    const push = (it: Item<Tagged> | null): void => {
      if (it && !negatedKeys.has(it.key) && !items.some((i) => i.key === it.key)) items.push(it);
    };

    if (seg.section === 'partners') {
      for (const piece of splitList(bodyOf(seg).raw)) push(partnerItem(piece, true));
    } else if (!seg.section || seg.section === 'pilots') {
      PARTNER_LIST_RE.lastIndex = 0;
      const m = PARTNER_LIST_RE.exec(seg.norm);
      if (m) {
        const tail = seg.raw.slice(m.index + m[0].length).replace(/[.!?].*$/, '');
        for (const piece of splitList(tail)) {
          const hasOrg = findOrganisations(piece, foldSameLength(piece)).length > 0;
          // After "en lien avec", "avec l'appui de": short noun phrases are partners ("la filière gériatrique").
          const nounPhrase = wordCount(piece) <= 6 && !/^\s*(?:je|j'|on|il|elle|nous|vous|ils|qui|que|qu'|pour|si|mais|car|afin|dans|sur|avant|apres|quand)\b/i.test(piece);
          if (hasOrg || nounPhrase) push(partnerItem(piece, true));
        }
      } else if (seg.section !== 'pilots' && !hasPilotCue(seg.norm) && (PARTNER_WEAK_RE.test(seg.norm) || (seg.msg.topic === 'partners' && seg.msg.topicInherited))) {
        for (const o of orgs) push(partnerItem(o.text, false));
      }
    }
    const retracts = seg.flags.override || /\bnon\b|\b(?:on |je )?(?:enleve|retire|supprime|oublie)[rz]?\b/.test(seg.norm);
    // "Non pas la MDA, plutôt la Mission locale": a swap, applied only if the MDA was a partner.
    const swaps = retracts && removals.length && items.length === 0
      ? removals.map((from) => ({
        from,
        to: orgs.filter((o) => !isNegatedAt(seg.norm, o.start, o.end)).map((o) => partnerItem(o.text, true)).filter((i): i is Item<Tagged> => i !== null),
      }))
      : [];
    if (items.length || swaps.length || (removals.length && retracts)) {
      out.push({ seg, items, removals: retracts && !swaps.length ? removals : [], swaps });
    }
  }
  return out;
}

/** Organisations named in two messages or more are actors of the fiche, even unlisted. */
export function frequentOrganisations(segments: Segment[], exclude: RegExp = /^(?:ars|departement|ptsm)$/): Statement<Tagged>[] {
  const seen = new Map<string, { first: Segment; msgs: Set<string>; text: string }>();
  for (const seg of segments) {
    // A constat names services to describe the problem ("les délais en CMP"), not to enlist them.
    if (!usable(seg) || seg.section === 'context' || CONTEXT_STRONG_RE.test(seg.norm)) continue;
    for (const o of findOrganisations(seg.raw, seg.norm)) {
      const text = cleanPiece(o.text);
      const key = keyOf(text);
      if (exclude.test(key) || isNegatedAt(seg.norm, o.start, o.end)) continue;
      const e = seen.get(key) ?? { first: seg, msgs: new Set<string>(), text };
      e.msgs.add(seg.msg.id);
      seen.set(key, e);
    }
  }
  const out: Statement<Tagged>[] = [];
  for (const [key, e] of seen) {
    if (e.msgs.size < 2) continue;
    out.push({ seg: e.first, items: [{ value: { text: e.text, strong: false }, key }], removals: [], weak: true });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Target publics

const GENERIC_PUBLIC_RE = /^(?:patients?|usagers|habitants|familles|proches|entourage|elus|parents|jeunes|enfants|professionnels?|personnes? (?:suivies?|concernees?|accompagnees?|qui|avec))\b/;

function publicItem(text: string, strong: boolean): Item<Tagged> | null {
  let t = text.replace(/^\s*(?:c'est|ce sont|sera|seront|:)\s*/i, '');
  // "pour le volet sentinelles les habitants des communes rurales" → from the public's head on.
  const heads = findPublics(t, foldSameLength(t));
  if (heads[0] && heads[0].start > 0) t = t.slice(heads[0].start);
  t = cleanPiece(t.replace(/\s+(?:aussi|également|egalement|surtout)\s*$/i, ''));
  if (!t || wordCount(t) > 16 || t.length < 3) return null;
  return { value: { text: t, strong }, key: keyOf(t) };
}

/**
 * A said list of publics: "jeunes de 16 à 25 ans, en insertion ou étudiants". A piece
 * with no public of its own ("en insertion") qualifies the one before it and stays with it.
 */
function publicList(raw: string): string[] {
  const pieces = splitPieces(raw);
  const groups: Array<{ start: number; end: number }> = [];
  for (const p of pieces) {
    const has = findPublics(p.text, foldSameLength(p.text)).length > 0;
    const last = groups[groups.length - 1];
    if (!has && last) last.end = p.end;
    else groups.push({ start: p.start, end: p.end });
  }
  return groups.map((g) => raw.slice(g.start, g.end));
}

export function publicStatements(segments: Segment[], title: string | null): Statement<Tagged>[] {
  const out: Statement<Tagged>[] = [];
  const titleNorm = title ? foldSameLength(title) : '';
  for (const seg of segments) {
    if (!usable(seg)) continue;
    const items: Item<Tagged>[] = [];
    const push = (it: Item<Tagged> | null): void => {
      if (it && !items.some((i) => i.key === it.key)) items.push(it);
    };
    const orgs = findOrganisations(seg.raw, seg.norm);
    // "Maison des adolescents" is an organisation, not a public: the public's head must not sit inside one.
    const inOrg = (a: number): boolean => orgs.some((o) => a >= o.start && a < o.end);
    if (seg.section === 'targetPublic') {
      for (const piece of publicList(bodyOf(seg).raw)) push(publicItem(piece, true));
    } else if (!seg.section || seg.section === 'objectives') {
      const said = /\b(?:le |notre |comme )?public(?: cible)?\s*(?:c'est|ce sont|sera|:|=)\s*/.exec(seg.norm);
      const constat = CONTEXT_STRONG_RE.test(seg.norm) && !/\bpublics?\b/.test(seg.norm) && seg.section !== 'objectives' && !OBJECTIVE_CUE_RE.test(seg.norm);
      if (said) {
        for (const piece of publicList(seg.raw.slice(said.index + said[0].length).replace(/[.!?].*$/, ''))) push(publicItem(piece, true));
      } else if (constat) {
        // A constat names who is concerned; generic words there ("patients", "familles") say little.
        for (const p of findPublics(seg.raw, seg.norm)) if (!inOrg(p.start) && !GENERIC_PUBLIC_RE.test(foldSameLength(p.text))) push(publicItem(p.text, false));
      } else if (PUBLIC_CUE_RE.test(seg.norm) || OBJECTIVE_CUE_RE.test(seg.norm) || seg.section === 'objectives' || (seg.msg.topic === 'targetPublic' && seg.msg.topicInherited)) {
        for (const p of findPublics(seg.raw, seg.norm)) if (!inOrg(p.start)) push(publicItem(p.text, false));
      }
    }
    if (items.length) out.push({ seg, items, removals: [] });
  }
  // Nothing said about publics: the ones named in the title, else in two messages or more.
  if (out.length === 0) {
    const first = segments.find(usable);
    if (first && titleNorm) {
      const items = findPublics(title!, titleNorm).map((p) => publicItem(p.text, false)).filter((i): i is Item<Tagged> => i !== null);
      if (items.length) out.push({ seg: first, items, removals: [], weak: true });
    }
    const seen = new Map<string, { seg: Segment; msgs: Set<string>; text: string }>();
    for (const seg of segments) {
      if (!usable(seg)) continue;
      const orgs = findOrganisations(seg.raw, seg.norm);
      for (const p of findPublics(seg.raw, seg.norm)) {
        if (orgs.some((o) => p.start >= o.start && p.start < o.end)) continue;
        const head = keyOf(p.text).split(' ').slice(0, 2).join(' ');
        const e = seen.get(head) ?? { seg, msgs: new Set<string>(), text: p.text };
        e.msgs.add(seg.msg.id);
        seen.set(head, e);
      }
    }
    for (const e of seen.values()) {
      if (e.msgs.size < 2) continue;
      const it = publicItem(e.text, false);
      if (it) out.push({ seg: e.seg, items: [it], removals: [], weak: true });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Indicators

function indicatorsIn(raw: string, norm: string): Indicator[] {
  const heads = findIndicatorHeads(norm);
  const pieces: string[] = [];
  if (heads.length === 0) {
    if (raw.trim()) pieces.push(raw);
  } else {
    heads.forEach((h, i) => pieces.push(raw.slice(h, heads[i + 1] ?? raw.length)));
  }
  const out: Indicator[] = [];
  for (const p of pieces) {
    let text = p.replace(/[.!?]\s.*$/, '').replace(/[\s.!?…]+$/, '');
    text = text.replace(/,?\s*(?:ce serait|ça serait|ca serait|c'est) (?:bien|top|utile|important|indispensable)\s*$/i, '');
    text = text.replace(/\s*(?:,|;|\bet\b|\bainsi que\b)\s*$/i, '');
    const t = TARGET_RE.exec(text);
    let target: string | null = null;
    if (t && /\d|moins|plus|tous|toutes|100/.test(t[1]!)) {
      target = tidy(t[1]!);
      text = text.slice(0, t.index) + text.slice(t.index + t[0].length);
    }
    const label = capitalize(balanceParens(tidy(text.replace(/^(?:la|le|les|l')\s+/i, ''))));
    if (wordCount(label) < 2 || label.length > 200) continue;
    const type = /^(?:taux|part|proportion|pourcentage|d[ée]lai|dur[ée]e|satisfaction|[ée]volution|score|niveau|\d+\s*%)/i.test(label) ? 'resultat' : 'processus';
    out.push({ label, type, target });
  }
  return out;
}

export function indicatorStatements(segments: Segment[]): Statement<Indicator>[] {
  const out: Statement<Indicator>[] = [];
  for (const seg of segments) {
    if (!usable(seg)) continue;
    let raw: string | null = null;
    let norm = '';
    if (seg.section === 'indicators') {
      ({ raw, norm } = bodyOf(seg));
    } else if (!seg.section || seg.section === 'milestones') {
      const cue = INDICATOR_CUE_RE.exec(seg.norm);
      if (cue) {
        const colon = seg.norm.indexOf(':', cue.index);
        const at = colon >= 0 && colon - cue.index < 40 ? colon + 1 : cue.index + cue[0].length;
        raw = seg.raw.slice(at);
        norm = seg.norm.slice(at);
        if (findIndicatorHeads(norm).length === 0 && !/:/.test(seg.norm.slice(cue.index, at))) raw = null;
      } else if (seg.msg.topic === 'indicators' && seg.msg.topicInherited && findIndicatorHeads(seg.norm).length > 0) {
        const colon = seg.norm.indexOf(':');
        const at = colon >= 0 && colon < 40 ? colon + 1 : 0;
        raw = seg.raw.slice(at);
        norm = seg.norm.slice(at);
      }
    }
    if (raw === null) continue;
    const items = indicatorsIn(raw, norm).map((ind) => ({ value: ind, key: keyOf(ind.label) }));
    if (items.length) out.push({ seg, items, removals: [] });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Funding

export interface FundingValue {
  text: string;
  amounts: number[];
}

/** "45k€" → "45 000 €", so a reader (and a search) sees one way of writing money. */
export function normaliseAmounts(text: string): { text: string; amounts: number[] } {
  const amounts: number[] = [];
  AMOUNT_RE.lastIndex = 0;
  const out = text.replace(AMOUNT_RE, (all, num: string, unit: string) => {
    const n = parseAmount(num, unit);
    if (n === null) return all;
    amounts.push(n);
    return formatEuros(n);
  });
  return { text: out, amounts };
}

const FUNDING_LEAD_RE = /^(?:(?:ok|d'accord|parfait|oui|bon)\W+)?(?:c'est valide pour le budget|valide pour le budget|d'accord pour|ok pour|pour le budget|cote budget|cote financement|budget|financement|financements)\s*[,:]?\s*/i;
/** Without an amount, only words that really speak of money count ("partie RH et budget" does not). */
const FUNDING_STRONG_RE = /(?:\b(?:le|notre|un|du|au|leur|son|sur|mon) budget\b|^budget\b|\bbudget (?:de|:|total|previsionnel|annuel|formation)|\bfinancements? (?:par|sur|de l|du|des|via|:|ars|fiop)|\bfinancee?s? (?:par|sur|via|a)\b|\bfiop\b|\bcredits?\b|\betp\b|appel a projets|\baap\b|subvention|moyens constants|\benveloppe\b|cofinanc|\bgratuite?s?\b|\bfir\b|\bcnr\b)/;
const CONDITIONAL_RE = /\bsi (?:on|nous) (?:a|avons|obtient|obtenons|trouve|trouvons)\b/;

export function fundingStatements(segments: Segment[]): Statement<FundingValue>[] {
  const out: Statement<FundingValue>[] = [];
  for (const seg of segments) {
    if (!usable(seg)) continue;
    let raw: string | null = null;
    if (seg.section === 'funding') raw = bodyOf(seg).raw;
    else if (!seg.section || seg.section === 'milestones') {
      AMOUNT_RE.lastIndex = 0;
      const hasAmount = AMOUNT_RE.test(seg.raw);
      const cue = FUNDING_STRONG_RE.test(seg.norm);
      if ((hasAmount || cue) && !CONDITIONAL_RE.test(seg.norm) && !INDICATOR_CUE_RE.test(seg.norm)) raw = seg.raw;
    }
    if (raw === null) continue;
    const lead = FUNDING_LEAD_RE.exec(foldSameLength(raw));
    const cleaned = capitalize(balanceParens(tidy(lead ? raw.slice(lead[0].length) : raw)));
    if (wordCount(cleaned) < 2) continue;
    const { text, amounts } = normaliseAmounts(cleaned);
    out.push({ seg, items: [{ value: { text, amounts }, key: keyOf(text) }], removals: [] });
  }
  return out;
}

/**
 * Money is settled, not accumulated: a decision naming a new amount ("finalement
 * 45 000 €" after "60 k€") retires the earlier amounts; the same amount restated
 * keeps only its latest wording.
 */
export function supersedeAmounts(statements: Statement<FundingValue>[]): Statement<FundingValue>[] {
  const out: Statement<FundingValue>[] = [];
  for (const st of statements) {
    const amounts = st.items.flatMap((i) => i.value.amounts);
    const settles = (st.seg.stance === 'decision' || st.seg.flags.override) && !st.seg.flags.additive && amounts.length > 0;
    const earlier = out.filter((o) => o.items.some((i) => i.value.amounts.length > 0));
    const overlap = earlier.some((o) => o.items.some((i) => i.value.amounts.some((a) => amounts.includes(a))));
    const removals = settles && !overlap ? earlier.flatMap((o) => o.items.map((i) => i.key)) : [];
    out.push({ ...st, removals: [...st.removals, ...removals] });
  }
  return out;
}

/** Drops an earlier funding line whose amounts a later line repeats. */
export function dedupeAmounts<T extends { value: FundingValue }>(held: T[]): T[] {
  return held.filter((h, i) => {
    const a = [...h.value.amounts].sort().join(',');
    return !a || !held.slice(i + 1).some((l) => [...l.value.amounts].sort().join(',') === a);
  });
}
