/**
 * Fields as people state them in conversation, read with the cue tables
 * (cues/tables.ts): « l'idée est de … » (objective), « on part sur X avec
 * les bailleurs » (step, partners), « pour les locataires en fragilité »
 * (public), « la CPTS X est partante » (partner), « je veux bien piloter avec
 * Karim » (the author and Karim), « nombre de … » after « des indicateurs ? ».
 * Each finding is a Statement with its sentence's stance, so decisions,
 * agreements and rejections settle them like everything else (resolve.ts).
 */
import type { Indicator } from '../../core/fiche.js';
import { CUES, NOT_TOPIC_WORDS, type PhraseMatcher } from './cues/engine.js';
import { findOrganisations } from './cues.js';
import type { FundingValue, Tagged } from './fields-lists.js';
import type { ObjectiveValue } from './fields-prose.js';
import type { Directory } from './people.js';
import { pilotKey, type PilotValue } from './pilots.js';
import type { Item, Statement } from './resolve.js';
import type { Segment } from './segment.js';
import { capitalize, keyOf, tidy } from './text.js';

export interface ConversationFindings {
  objectives: Statement<ObjectiveValue>[];
  steps: Statement<string>[];
  targetPublic: Statement<Tagged>[];
  partners: Statement<Tagged>[];
  pilots: Statement<PilotValue>[];
  indicators: Statement<Indicator>[];
  funding: Statement<FundingValue>[];
}

const usable = (s: Segment): boolean => !s.noise && !s.flags.rejection && !s.flags.question;

/** The noun phrase that starts at `from`, up to the first stop word or punctuation. */
function phraseAt(seg: Segment, from: number, stops: PhraseMatcher = CUES.phraseStops): string {
  let at = from;
  while (seg.norm[at] === ' ') at++;
  const stop = stops.find(seg.norm, at + 1);
  return tidy(seg.raw.slice(at, stop ? stop.index : seg.raw.length)).replace(/[\s.,;:!?]+$/, '');
}

const ARTICLE_RE = /^(?:(?:(?:tous|toutes) les|les|le|la|une|un|des|du|de|ces|nos|vos|leurs|leur|donc)\s+|(?:l|d)['’]\s*|:\s*)+/i;
const stripArticles = (s: string): string => s.replace(ARTICLE_RE, '').trim();

/** At least two words that carry meaning: « un mi-temps », « moi » are not items. */
function meaningful(text: string): boolean {
  return keyOf(text).split(' ').filter((w) => w.length >= 3 && !NOT_TOPIC_WORDS.has(w) && !NOT_TOPIC_WORDS.has(w.replace(/s$/, '')) && !['les', 'des', 'une', 'ces', 'par', 'sur'].includes(w)).length >= 2;
}

const statement = <T>(seg: Segment, items: Item<T>[]): Statement<T> => ({ seg, items, removals: [] });

/**
 * Splits « A, B et C » into items. After a comma a new item starts with a
 * determiner or a capital (« , le CMP »); otherwise the piece describes the one
 * before (« une équipe en journée, joignable par … »).
 */
function splitList(text: string): string[] {
  const out: string[] = [];
  for (const [i, p] of text.split(/(\s*,\s*|\s+et\s+)/).entries()) {
    if (i % 2 === 1 || !p.trim()) continue;
    const sep = text.split(/(\s*,\s*|\s+et\s+)/)[i - 1] ?? '';
    const startsItem = !sep.includes(',') || /^(?:(?:le|la|les|un|une|des|du|ces|nos)\s|(?:l|d)['’]|\p{Lu})/u.test(p.trim());
    if (out.length && !startsItem) out[out.length - 1] += `, ${p.trim()}`;
    else out.push(p.trim());
  }
  return out;
}

function objectives(seg: Segment): Statement<ObjectiveValue> | null {
  const hit = CUES.objectiveOpeners.find(seg.norm);
  // The opener starts the sentence (after « Oui, », « Bonjour. »…), and « on veut bien » is consent.
  if (!hit || hit.index > 30 || /^\s*bien\b/.test(seg.norm.slice(hit.end))) return null;
  const text = tidy(seg.raw.slice(hit.end)).replace(/[\s.!]+$/, '');
  if (!meaningful(text)) return null;
  return statement(seg, [{ value: { text: capitalize(text), level: null }, key: keyOf(text) }]);
}

function indicatorContext(seg: Segment, recentIndicatorTalk: boolean): boolean {
  return recentIndicatorTalk || seg.section === 'indicators' || seg.msg.topic === 'indicators' || CUES.indicatorContext.test(seg.norm);
}

function indicators(seg: Segment): Statement<Indicator> | null {
  const items: Item<Indicator>[] = [];
  for (const h of CUES.indicatorHeads.all(seg.norm)) {
    const stop = /[,;?!.]|\s(?:et|ou|mais|c'est)\s/.exec(seg.norm.slice(h.end));
    const raw = tidy(seg.raw.slice(h.index, stop ? h.end + stop.index : seg.raw.length));
    if (raw.length < 6 || items.some((i) => i.key === keyOf(raw))) continue;
    items.push({ value: { label: capitalize(raw), type: 'autre', target: null }, key: keyOf(raw) });
  }
  return items.length ? statement(seg, items) : null;
}

function publics(seg: Segment): Statement<Tagged> | null {
  const items: Item<Tagged>[] = [];
  for (const o of CUES.publicOpeners.all(seg.norm)) {
    const head = CUES.publicHeads.atStart(seg.norm.slice(o.end));
    if (!head || head.index > 1) continue;
    const text = phraseAt(seg, o.end);
    if (!text) continue;
    items.push({ value: { text, strong: false }, key: keyOf(text) });
  }
  return items.length ? statement(seg, items) : null;
}

const notAPartner = (text: string, dir: Directory): boolean =>
  !text || CUES.pronouns.atStart(keyOf(text)) !== null && keyOf(text).split(' ').length <= 2 || dir.resolve(text) !== undefined;

function willingPartners(seg: Segment, dir: Directory): Statement<Tagged> | null {
  const hit = CUES.partnerWilling.find(seg.norm);
  if (!hit) return null;
  const before = seg.norm.slice(0, hit.index);
  const cut = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf(':'), before.lastIndexOf('.'));
  let text = tidy(seg.raw.slice(cut + 1, hit.index))
    .replace(/^(?:oui|ok|bonjour|alors|et|de notre|notre|pour|cote|côté|au|à la|a la)\s+/i, '')
    .replace(/^(?:cote|côté)\s+/i, '')
    .replace(/\s+(?:on|nous)$/i, '');
  text = stripArticles(text);
  if (notAPartner(text, dir) || text.split(/\s+/).length > 6) return null;
  return statement(seg, [{ value: { text, strong: true }, key: keyOf(text) }]);
}

/** « À l'UNAFAM on a une liste d'attente », « côté SDIS »: the organisation someone speaks for takes part. */
function speakingFor(seg: Segment): Statement<Tagged> | null {
  const items: Item<Tagged>[] = [];
  for (const org of findOrganisations(seg.raw, seg.norm)) {
    const before = seg.norm.slice(Math.max(0, org.start - 16), org.start);
    const endsWith = (m: PhraseMatcher): boolean => {
      const lead = m.all(before).at(-1);
      return !!lead && before.slice(lead.end).trim() === '';
    };
    const speakerNext = CUES.speakerAfter.atStart(seg.norm.slice(org.end).replace(/^[\s,]+/, ''))?.index === 0;
    if (!endsWith(CUES.speakingFor) && !(endsWith(CUES.speakingForPlace) && speakerNext)) continue;
    const text = stripArticles(org.text);
    // A name or an acronym (« UNAFAM », « CH de Vaubrun »), not a common noun (« à l'hôpital »).
    if (!/\p{Lu}/u.test(text)) continue;
    items.push({ value: { text, strong: false }, key: keyOf(text) });
  }
  return items.length ? statement(seg, items) : null;
}

/** « l'ARS finance l'extension »: who pays, when the sentence names no amount (amounts are read elsewhere). */
function payers(seg: Segment): Statement<FundingValue> | null {
  const hit = CUES.fundingPayers.find(seg.norm);
  if (!hit || /\d[\d\s\u00a0\u202f,.]*(?:€|k€|euros?\b|etp\b)/i.test(seg.raw)) return null;
  const orgs = findOrganisations(seg.raw, seg.norm).filter((o) => o.end <= hit.index && /\p{Lu}/u.test(o.text));
  const payer = orgs.at(-1);
  if (!payer || seg.norm.slice(payer.end, hit.index).trim().split(/\s+/).length > 3) return null;
  const text = stripArticles(payer.text);
  return statement(seg, [{ value: { text, amounts: [] }, key: keyOf(text) }]);
}

/** « on part sur une cellule de veille avec les bailleurs sociaux, le CMP et le CCAS ». */
function decidedSteps(seg: Segment, dir: Directory): { steps: Statement<string> | null; partners: Statement<Tagged> | null } {
  const none = { steps: null, partners: null };
  const hit = CUES.stepDecisions.find(seg.norm);
  if (!hit || hit.index > 30 || ['pilots', 'milestones', 'funding'].includes(seg.msg.topic ?? '')) return none;
  if (CUES.stepOtherField.test(seg.norm.slice(hit.end))) return none;
  let from = hit.end;
  // « On retient donc deux actions : A et B »: the list follows the colon.
  const colon = seg.norm.slice(from, from + 40).indexOf(':');
  if (colon >= 0) from += colon + 1;
  const rest = seg.norm.slice(from);
  if (CUES.indicatorHeads.atStart(rest.replace(/^\s*(?:le|la|les|l')\s*/, '')) || /indicateur/.test(rest)) return none;
  const withAt = /\savec\s/.exec(rest);
  const stepsRaw = seg.raw.slice(from, withAt ? from + withAt.index : seg.raw.length).replace(/[\s.!]+$/, '');
  const stepItems = splitList(stepsRaw).map(stripArticles).filter(meaningful).map((t) => ({ value: capitalize(t), key: keyOf(t) }));
  const partnerItems: Item<Tagged>[] = [];
  if (withAt) {
    const tail = seg.raw.slice(from + withAt.index + withAt[0].length).replace(/[\s.!]+$/, '');
    for (const p of splitList(tail.split(/\s(?:pour|afin|dans|qui)\s/)[0]!)) {
      const text = stripArticles(p);
      if (!notAPartner(text, dir) && text.split(/\s+/).length <= 5) partnerItems.push({ value: { text, strong: true }, key: keyOf(text) });
    }
  }
  return {
    steps: stepItems.length ? statement(seg, stepItems) : null,
    partners: partnerItems.length ? statement(seg, partnerItems) : null,
  };
}

/** « Je veux bien piloter avec Karim »: the author, and Karim among the thread's authors. */
function volunteers(seg: Segment, dir: Directory): Statement<PilotValue> | null {
  const hit = CUES.volunteerVerbs.find(seg.norm);
  if (!hit || seg.flags.question) return null;
  const items: Item<PilotValue>[] = [];
  const self = (name: string, chatId: string | null): Item<PilotValue> => ({ value: { name, organisation: null, kind: 'person', chatId }, key: pilotKey(name) });
  if (!/^on\b/.test(hit.phrase)) items.push(self(seg.msg.authorName, seg.msg.authorId));
  const withAt = /\bavec\s+/.exec(seg.norm.slice(hit.end));
  if (withAt) {
    const start = hit.end + withAt.index + withAt[0].length;
    const name = /^[\p{Lu}][\p{L}'’-]+(?:\s+[\p{Lu}][\p{L}'’-]+)?/u.exec(seg.raw.slice(start))?.[0];
    const person = name ? dir.resolve(name) ?? dir.resolve(name.split(/\s+/)[0]!) : undefined;
    if (person && person.id !== seg.msg.authorId) items.push(self(person.name, person.id));
  }
  return items.length ? statement(seg, items) : null;
}

export function conversationFindings(segments: Segment[], dir: Directory): ConversationFindings {
  const out: ConversationFindings = { objectives: [], steps: [], targetPublic: [], partners: [], pilots: [], indicators: [], funding: [] };
  let indicatorTalkAt = -10;
  for (const seg of segments) {
    if (seg.noise) continue;
    if (seg.msg.topic === 'indicators' || CUES.indicatorContext.test(seg.norm)) indicatorTalkAt = seg.msg.index;
    const v = volunteers(seg, dir);
    if (v) out.pilots.push(v);
    if (seg.flags.rejection) continue;
    // A question can propose indicators (« nombre de jeunes reçus ? »): an agreement or a rejection settles them.
    const talkingIndicators = indicatorContext(seg, seg.msg.index - indicatorTalkAt <= 2);
    if (talkingIndicators) {
      const i = indicators(seg);
      if (i) out.indicators.push(i);
    }
    if (!usable(seg)) continue;
    const o = objectives(seg);
    if (o) out.objectives.push(o);
    const p = publics(seg);
    if (p) out.targetPublic.push(p);
    const w = willingPartners(seg, dir);
    if (w) out.partners.push(w);
    const f = speakingFor(seg);
    if (f) out.partners.push(f);
    const pay = payers(seg);
    if (pay) out.funding.push(pay);
    if (!talkingIndicators) {
      const d = decidedSteps(seg, dir);
      if (d.steps) out.steps.push(d.steps);
      if (d.partners) out.partners.push(d.partners);
    }
  }
  return out;
}
