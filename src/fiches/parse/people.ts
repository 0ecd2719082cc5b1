import type { Pilot } from '../../core/fiche.js';
import { matchSection } from './sections.js';

/**
 * Pilots and lists of organisations as fiches write them:
 * "Mme Céline Vasseur (GEM L'Escale) et Dr Paul Martin (EPSM)",
 * "Mme Laure Dumoulin, chargée de projets à l'IREPS, antenne de …",
 * "EPSM (secteur G03)", "CPTS Nord, CPTS Sud et UNAFAM".
 */

const CIVILITY = String.raw`(?:M\.|MM\.|Mme|Mmes|Mlle|Mr\.?|Dr\.?|Pr\.?|Docteure?|Professeure?|Madame|Monsieur|Me)`;
const CIVILITY_RE = new RegExp(`^${CIVILITY}\\s+\\S`, 'u');
const EMAIL_RE = /<?\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b>?/u;
const PHONE_RE = /(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/u;
/** Words that open the name of an organisation rather than a person. */
const ORG_HEAD_RE = /^(?:l['’]\s*)?(?:association|asso|ville|mairie|commune|communaut[ée]|conseil|centre|maison|service|direction|d[ée]partement|collectif|[ée]quipe|p[ôo]le|r[ée]seau|union|f[ée]d[ée]ration|institut|plateforme|dispositif|mission|caisse|unit[ée]|secteur|groupe|agence|h[ôo]pital|clinique|cabinet|syndicat|office|comit[ée]|coordination|cellule|antenne|structure|[ée]tablissement|CH|CHU|CHS|CHRU|GHT|ARS|EPSM|GEM|UNAFAM|CPTS|CLSM|CLS|CMP|MDA|MDPH|CCAS|CD|DAC|PTA|EMPP|PASS|IREPS|DSDEN|MSA|CPAM|CAF|ADAPEI|UDAF|SAMSAH|SAVS|ESAT|IME|MAS|FAM|CMPP|CSAPA|CAARUD|FIR|Éducation nationale|[ée]ducation)\b/iu;

/** Splits pilot text into pilots with name, organisation and e-mail. */
export function parsePilots(lines: readonly string[]): Pilot[] {
  const out: Pilot[] = [];
  for (const raw of lines) {
    for (const piece of splitPilotPieces(stripLeadingLabel(raw)).map(stripLeadingLabel)) {
      const p = parsePilot(piece);
      const last = out[out.length - 1];
      if (p && p.email && p.name === p.email && last && !last.email) { last.email = p.email; continue; }
      if (p && !out.some((o) => o.name.toLowerCase() === p.name.toLowerCase() && (o.organisation ?? '') === (p.organisation ?? ''))) out.push(p);
    }
  }
  return out;
}

/** "Pilote : X", "Co-pilote – Y": the sub-label is not part of the name. */
function stripLeadingLabel(line: string): string {
  const m = /^\s*([^:–—]{2,40}?)\s*[:–—]\s+/u.exec(line);
  if (m && matchSection(m[1]!)?.field === 'pilots') return line.slice(m[0].length);
  return line;
}

function splitPilotPieces(text: string): string[] {
  const pieces = splitTopLevel(text, /\s*;\s*|\s+\/\s+|\n/u);
  const out: string[] = [];
  for (const p of pieces) {
    // " et " / "&" / "," join two pilots when the next one is a person or an organisation name.
    out.push(...splitTopLevel(p, new RegExp(String.raw`\s+(?:et|&)\s+(?=${CIVILITY}\s|\p{Lu})|\s*,\s*(?=${CIVILITY}\s)|\s*,\s*(?=[Cc]o-?[Pp]ilote\b)`, 'u')));
  }
  return out.map((s) => s.trim()).filter(Boolean);
}

/** Splits on a separator only outside parentheses and brackets. */
export function splitTopLevel(text: string, sep: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  const global = new RegExp(sep.source, sep.flags.includes('g') ? sep.flags : sep.flags + 'g');
  const depthAt: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(' || ch === '[') depth++;
    depthAt.push(depth);
    if ((ch === ')' || ch === ']') && depth > 0) depth--;
  }
  for (const m of text.matchAll(global)) {
    if (m[0].length === 0) continue;
    if ((depthAt[m.index] ?? 0) > 0) continue;
    out.push(text.slice(start, m.index));
    start = m.index + m[0].length;
  }
  out.push(text.slice(start));
  return out;
}

function parsePilot(piece: string): Pilot | null {
  let text = piece.replace(/^[\s\-–—•*]+/u, '').trim();
  let email: string | null = null;
  const em = EMAIL_RE.exec(text);
  if (em) {
    email = em[0].replace(/[<>]/g, '');
    text = text.replace(em[0], ' ');
  }
  text = text.replace(PHONE_RE, ' ').replace(/\(\s*(?:[,;–—-]|(?:contact|courriel|mail|e-mail|email|tél\.?|tel\.?)\s*:?)?\s*\)/giu, ' ').replace(/\s*(?:[,;–—-]|\b(?:tél|tel|mail|courriel|e-mail)\s*:?)\s*$/iu, '');
  text = tidy(text);
  if (!text || text.length < 2) return email ? { name: email, organisation: null, email, chatIds: {} } : null;

  // "EPSM de la Lironde : Dr Paul Martin"
  const colon = /^(.+?)\s*:\s*(.+)$/u.exec(text);
  if (colon && isPerson(colon[2]!) && !isPerson(colon[1]!)) {
    return { name: personName(colon[2]!), organisation: orgFromDetails(colon[1]!) ?? tidy(colon[1]!), email, chatIds: {} };
  }

  // "Mme X (GEM L'Escale)", "Dr Y, psychiatre, chef de pôle, EPSM", "M. Z – directeur du CCAS".
  const lead = /^(.*?)(\s*\(|\s*,\s*|\s+[–—-]\s+)/u.exec(text);
  if (lead && lead[1] && isPerson(lead[1])) {
    const details = text.slice(lead[1].length).replace(/^\s*[,–—-]?\s*/u, '');
    return { name: personName(lead[1]), organisation: orgOfDetails(details), email, chatIds: {} };
  }
  if (isPerson(text)) return { name: personName(text), organisation: null, email, chatIds: {} };
  // An organisation alone pilots the action.
  return { name: text, organisation: null, email, chatIds: {} };
}

/** Details after a name: a parenthesis first ("(EPSM), cadre"), else the whole text. */
function orgOfDetails(details: string): string | null {
  const d = details.trim();
  const paren = /^\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*(.*)$/u.exec(d);
  if (paren) return orgFromDetails(paren[1]!) ?? (paren[2] ? orgFromDetails(paren[2]) : null);
  return orgFromDetails(d);
}

/** "chargée de projets à l'IREPS X, antenne de Y" → "IREPS X, antenne de Y"; "psychiatre, EPSM" → "EPSM"; "psychiatre" → null. */
export function orgFromDetails(details: string): string | null {
  const found = findOrg(details);
  if (!found) return null;
  // "association Les Amarres (gestionnaire du SAMSAH…)": the trailing explanation is not the name;
  // "EPSM de la Lironde, coordinatrice du collectif": nor is a role after it.
  let org = tidy(found.replace(/\s*\(\s*\p{Ll}[^()]*\)\s*$/u, '')) || found;
  // After the name, a sub-unit stays ("…, antenne de X", "…, pôle de psychiatrie"); a role or a clause goes
  // ("…, coordinatrice du collectif", "…, avec l'appui de la coordinatrice").
  const parts = splitTopLevel(org, /\s*,\s*/u);
  const cut = parts.findIndex((p, i) => i > 0 && (ROLE_RE.test(p.trim()) || (/^\p{Ll}/u.test(p.trim()) && !SUBUNIT_RE.test(p.trim()))));
  if (cut > 0) org = tidy(parts.slice(0, cut).join(', '));
  const article = /^(?:l['’]\s*|la\s+|le\s+|les\s+)(?=\p{L})/u.exec(org);
  if (article) {
    const rest = org.slice(article[0].length);
    if (/^\p{Lu}/u.test(rest) || ORG_HEAD_RE.test(rest)) return rest;
  }
  return org;
}

/** Parts of an organisation written after its name. */
const SUBUNIT_RE = /^(?:antenne|p[ôo]le|d[ée]l[ée]gation|service|secteur|site|unit[ée]|direction|agence|[ée]quipe|centre|d[ée]partement|branche|division|bureau|cellule|intersecteur|h[ôo]pital|consultation)\b/iu;

/** Job titles written after a name or an organisation. */
const ROLE_RE = /^(?:coordinat|coordonnat|direct|chargée?|responsable|chef|cadre|médecin|psychiatre|pédopsychiatre|psychologue|infirmi|président|référent|animat|secrétaire|délégué|conseill|pilote|co-?pilote|assistante?|membre|élue?|adjoint|vice|pour le compte)/iu;

function findOrg(details: string): string | null {
  const d = tidy(details);
  if (!d) return null;
  const orgLike = (s: string): boolean => /^\p{Lu}/u.test(s) || ORG_HEAD_RE.test(s);
  const parts = splitTopLevel(d, /\s*,\s*/u).map((p) => p.trim()).filter(Boolean);
  if (parts[0] && orgLike(parts[0])) return d;
  for (const m of d.matchAll(/\s(?:à\s+l['’]\s*|à\s+la\s+|au\s+|aux\s+|à\s+|auprès\s+d[eu]s?\s+|chez\s+)/giu)) {
    const rest = tidy(d.slice(m.index + m[0].length));
    if (orgLike(rest)) return rest;
  }
  const later = parts.findIndex((p, i) => i > 0 && orgLike(p));
  if (later > 0) return tidy(parts.slice(later).join(', '));
  for (const m of d.matchAll(/\s(?:du|des|de\s+la|de\s+l['’]\s*|de)\s+/gu)) {
    const rest = tidy(d.slice(m.index + m[0].length));
    if (orgLike(rest)) return rest;
  }
  return null;
}

function isPerson(s: string): boolean {
  const t = s.trim();
  if (CIVILITY_RE.test(t)) return true;
  if (ORG_HEAD_RE.test(t) || /\b\p{Lu}{2,}\b/u.test(t) && !/\b\p{Lu}\p{Ll}+\s+\p{Lu}{2,}$/u.test(t)) return false;
  // "Céline Vasseur", "Paul MARTIN", "Anne-Sophie Le Goff"
  return /^\p{Lu}[\p{Ll}'’-]+(?:[-\s]\p{Lu}[\p{Ll}'’-]+)?\s+(?:(?:de|du|le|la|van|von|d['’])\s*)?\p{Lu}[\p{L}'’-]+(?:[-\s]\p{Lu}[\p{L}'’-]+)?$/u.test(t);
}

function personName(s: string): string {
  return tidy(s);
}

function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/^[\s,;:–—-]+|[\s,;:–—.-]+$/gu, '').trim();
}

/**
 * A list of organisations or publics written on one line or several:
 * bullets, ";", and "," when every piece is short (a list, not a sentence).
 * `splitAnd` also splits a final "A et B" when B starts with a capital.
 */
export function splitList(lines: readonly string[], opts: { splitAnd: boolean; categories?: boolean }): string[] {
  const out: string[] = [];
  const entries = lines.map((l) => l.trim()).filter((l) => l && !(/:\s*$/.test(l) && l.split(/\s+/).length > 2)); // "Les partenaires suivants :"
  // One line is a list written inline ("jeunes, familles, enseignants"); several lines are one entry each.
  const inline = entries.length === 1;
  for (const line of entries) {
    for (let semi of splitTopLevel(line, /\s*;\s*/u)) {
      if (opts.categories) {
        // "Institutionnels : ARS, CD" — a category before the list.
        const cat = /^([^:,;()]{2,40}?)\s*:\s+(.+)$/u.exec(semi);
        // A category is a plural noun ("Institutionnels", "Acteurs du soin"), not a name ("Ville de Lavaux : …").
        if (cat && cat[1]!.split(/\s+/).length <= 3 && /^\S+[sx]\b/u.test(cat[1]!) && !/\d|\p{Lu}{2,}/u.test(cat[1]!)) semi = cat[2]!;
      }
      const commas = splitTopLevel(semi, /\s*,\s*/u).map((c) => c.trim()).filter(Boolean);
      const listLike = commas.length >= 2 && commas.every((c) => c.split(/\s+/).length <= 9 && c.length <= 80 && (inline || isNameLike(c)));
      const items = listLike ? commas : [semi];
      for (const [i, item] of items.entries()) {
        const last = i === items.length - 1;
        const split = opts.splitAnd && (listLike ? last : true) ? splitTopLevel(item, /\s+(?:et|&)\s+(?=\p{Lu})/u) : [item];
        const parts = split.every((p) => p.trim().split(/\s+/).length <= 9 && isNameLike(p.trim())) ? split : [item];
        for (const p of parts) {
          const clean = tidy(p.replace(/\s*(?:,\s*)?(?:etc\.?|…|\.\.\.)\s*$/u, ''));
          if (clean && !out.includes(clean)) out.push(clean);
        }
      }
    }
  }
  return out;
}

/** "CPTS Nord", "Ville de Vaubrun" — not "délégation de …", not "I02". */
function isNameLike(s: string): boolean {
  return /^\p{Lu}/u.test(s) && /\p{L}{3,}|^\p{Lu}{2,}$/u.test(s.replace(/\d+/g, ''));
}
