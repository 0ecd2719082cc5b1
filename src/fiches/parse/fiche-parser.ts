import path from 'node:path';
import { Fiche, type FicheMilestone, type FicheStatus, type Indicator } from '../../core/fiche.js';
import type { Block, DocumentRecord } from '../../core/types.js';
import { foldForMatch } from '../../text/fold.js';
import { DEFAULT_MILESTONE_LABEL, hasDate, milestonesFromLine, milestonesFromRows } from './calendar.js';
import { indicatorFromLine, indicatorsFromRows } from './indicators.js';
import { isNotGiven } from './not-given.js';
import { parsePilots, splitList } from './people.js';
import { FICHE_HEADING_RE, matchSection, parseFicheHeading, type SectionField } from './sections.js';
import { buildStructure, type Piece, type Section, type Structure } from './structure.js';

/**
 * A document's blocks → the structured `Fiche`. Works on what every loader
 * produces (headings, two-column tables, "Label : value" lines, lists), so a
 * DOCX, a PDF, a Markdown or an HTML fiche give the same result.
 */

export interface FicheDocument {
  record: DocumentRecord;
  blocks: Block[];
}

export interface ParseOptions {
  /** ISO timestamp stamped as `updatedAt`, and reference date when the document has none. */
  now: string;
}

/** Formats whose headings are guessed from the layout: some "headings" are content lines. */
const GUESSED_HEADINGS = new Set(['.txt', '.text', '.pdf']);

export function parseFicheDocument(doc: FicheDocument, opts: ParseOptions): Fiche | null {
  const { blocks, running } = stripRunningText(doc.blocks);
  return parseSegment(doc, blocks, opts, { axis: null, index: null, running });
}

/**
 * Every fiche of a document. A PTSM annex holds its fiches one after another,
 * each opened by a "Fiche action n° X" heading (or a table whose first cell
 * says so); a fiche document holds one, sometimes several.
 */
export function parseFichesInDocument(doc: FicheDocument, opts: ParseOptions): Fiche[] {
  const { blocks, running } = stripRunningText(doc.blocks);
  // Only a fiche document is one fiche as a whole; elsewhere (a PTSM) fiches need their own heading.
  const segments = splitFiches(blocks, doc.record.kind === 'fiche');
  if (!segments.length) return [];
  const fiches: Fiche[] = [];
  segments.forEach((seg, i) => {
    const f = parseSegment(doc, seg.blocks, opts, { axis: seg.axis, index: segments.length > 1 ? i + 1 : null, running: segments.length > 1 ? [] : running });
    if (f) fiches.push(f);
  });
  // A table of contents repeats fiche headings: keep the fullest fiche of each id.
  const byId = new Map<string, Fiche>();
  for (const f of fiches) {
    const prev = byId.get(f.id);
    if (!prev || filledFields(f) > filledFields(prev)) byId.set(f.id, f);
  }
  return [...byId.values()];
}

interface Segment { blocks: Block[]; axis: string | null }

const AXIS_RE = /^\s*(?:axe|priorit[ée])\s*(?:n\s*[°º]\s*)?(?:\d+|[IVX]+)\b/iu;

function isFicheStart(b: Block): boolean {
  if (b.type === 'heading') return FICHE_HEADING_RE.test(b.text);
  if (b.type === 'paragraph') return b.text.length <= 160 && FICHE_HEADING_RE.test(b.text) && !/[.;]$/.test(b.text.trim());
  if (b.type === 'table') return FICHE_HEADING_RE.test(b.rows?.[0]?.[0] ?? '');
  return false;
}

/** Whether a stretch of blocks holds at least one recognised fiche section. */
function hasSections(blocks: readonly Block[]): boolean {
  for (const b of blocks) {
    if (b.type === 'heading' && matchSection(b.text)) return true;
    if (b.type === 'table' && (b.rows ?? []).some((r) => r.length >= 2 && matchSection(r[0] ?? ''))) return true;
    if ((b.type === 'paragraph' || b.type === 'list') && b.text.split('\n').some((l) => { const m = /^([^:]{2,60}?)\s*:/u.exec(l.trim()); return !!m && !!matchSection(m[1]!); })) return true;
  }
  return false;
}

function splitFiches(blocks: readonly Block[], wholeDocument: boolean): Segment[] {
  const starts = blocks.map((b, i) => (isFicheStart(b) ? i : -1)).filter((i) => i >= 0);
  const whole = (): Segment[] => (wholeDocument && hasSections(blocks) ? [{ blocks: [...blocks], axis: null }] : []);
  if (!starts.length) return whole();
  const kept: number[] = [];
  for (const [k, s] of starts.entries()) {
    const end = k + 1 < starts.length ? starts[k + 1]! : blocks.length;
    if (hasSections(blocks.slice(s, end))) kept.push(s);
  }
  if (!kept.length) return whole();
  if (wholeDocument && kept.length === 1 && !hasSections(blocks.slice(0, kept[0]))) {
    // One fiche: what comes before its heading (axis line, territory) belongs to it.
    return [{ blocks: [...blocks], axis: null }];
  }
  const segments: Segment[] = [];
  let axis: string | null = null;
  let cursor = 0;
  for (const [k, s] of kept.entries()) {
    for (let i = cursor; i < s; i++) if (blocks[i]!.type === 'heading' && AXIS_RE.test(blocks[i]!.text)) axis = blocks[i]!.text.trim();
    const limit = k + 1 < kept.length ? kept[k + 1]! : blocks.length;
    const startLevel = blocks[s]!.type === 'heading' ? blocks[s]!.level ?? 9 : 9;
    let end = limit;
    for (let i = s + 1; i < limit; i++) {
      const b = blocks[i]!;
      if (b.type !== 'heading' || matchSection(b.text)) continue;
      const lvl = b.level ?? 9;
      // The next axis or a document chapter closes the fiche.
      if (lvl < startLevel || (lvl === startLevel && (AXIS_RE.test(b.text) || /^\d+\.\s+\p{Lu}/u.test(b.text)))) { end = i; break; }
    }
    segments.push({ blocks: blocks.slice(s, end), axis });
    cursor = s;
  }
  return segments;
}

interface SegmentContext {
  axis: string | null;
  index: number | null;
  /** Running headers and footers removed from the pages (they may name the axis). */
  running: string[];
}

const PAGE_MARK_RE = /(?:[-–—|]\s*)?\bpage\s+\d+\s*(?:\/|sur)\s*\d+\s*$/iu;

/**
 * PDF running headers and footers ("PTSM … — Axe 5 … FA 13 — page 1/2"):
 * a text repeated on several pages (digits aside) or ending with a page
 * mark. The PDF loader only removes them from documents of three pages or
 * more, and a footer glued to the last paragraph of a page is cut off too.
 */
function stripRunningText(blocks: readonly Block[]): { blocks: Block[]; running: string[] } {
  const key = (t: string): string => t.trim().replace(/\d/g, '#');
  const pagesOf = new Map<string, Set<number>>();
  for (const b of blocks) {
    if (b.page === null || (b.type !== 'paragraph' && b.type !== 'heading') || b.text.length > 250) continue;
    const k = key(b.text);
    pagesOf.set(k, (pagesOf.get(k) ?? new Set()).add(b.page));
  }
  const keys = [...pagesOf].filter(([k, pages]) => pages.size >= 2 || PAGE_MARK_RE.test(k.replace(/#/g, '1'))).map(([k]) => k);
  const running = new Set<string>();
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.page === null || b.type === 'table' || b.type === 'list') { out.push(b); continue; }
    let text = b.text.trim();
    for (const k of keys) {
      const kk = key(text);
      if (kk === k) { running.add(text); text = ''; break; }
      if (kk.endsWith(' ' + k)) { running.add(text.slice(text.length - k.length)); text = text.slice(0, text.length - k.length).trim(); break; }
    }
    if (text && PAGE_MARK_RE.test(text) && text.length <= 200 && b.type !== 'heading') { running.add(text); text = ''; }
    if (text && PAGE_MARK_RE.test(text) && b.type === 'heading') { running.add(text); text = ''; }
    if (text) out.push(text === b.text ? b : { ...b, text });
  }
  return { blocks: out, running: [...running] };
}

function parseSegment(doc: FicheDocument, blocks: readonly Block[], opts: ParseOptions, ctx: SegmentContext): Fiche | null {
  const ext = path.extname(doc.record.source).toLowerCase();
  const st = buildStructure(blocks, { guessedHeadings: GUESSED_HEADINGS.has(ext) });
  const ref = doc.record.date ?? opts.now.slice(0, 10);
  const known = st.sections.filter((s) => s.match);
  if (!known.length) return null;

  const sectionsOf = (field: SectionField): Section[] => st.sections.filter((s) => s.match?.field === field);
  const linesOf = (field: SectionField): string[] => sectionsOf(field).flatMap(sectionLines);
  const acronyms = collectAcronyms(blocks);

  // Identity: number and title.
  const titleSection = linesOf('title')[0] ?? null;
  const headingTitle = st.heading?.title || null;
  const numberFromSection = firstInt(linesOf('number').join(' '));
  const pathNumber = numberFromPath(doc.record.source);
  const headingNumber = st.heading?.numberText ?? (titleSection ? parseFicheHeading(titleSection)?.numberText : undefined) ?? null;
  const recordHeading = parseFicheHeading(doc.record.title);
  const written = headingNumber ?? (ctx.index === null ? recordHeading?.numberText ?? null : null);
  let number: number | null = null;
  let compound: string | null = null;
  if (written && /^\d+$/.test(written)) number = Number(written);
  else if (numberFromSection !== null) number = numberFromSection;
  else if (ctx.index === null && pathNumber !== null) number = pathNumber;
  else if (written) compound = written;

  let rawTitle: string | null = null;
  if (titleSection && !parseFicheHeading(titleSection)) rawTitle = titleSection;
  else if (headingTitle) rawTitle = headingTitle;
  else if (titleSection) rawTitle = parseFicheHeading(titleSection)?.title ?? null;
  // "FICHE ACTION N° 4" alone: the title is the next short line.
  rawTitle ??= st.titleCandidates.concat(st.preamble.map((p) => p.text))
    .find((c) => c.length <= 160 && !AXIS_RE.test(c) && !FICHE_HEADING_RE.test(c) && !matchSection(c)) ?? null;
  let title = cleanTitle(rawTitle);
  if (!title && ctx.index === null) title = cleanTitle(recordHeading?.title || doc.record.title);
  title = sentenceCase(title ?? '', acronyms);

  const id = number !== null ? `fa-${number}` : compound ? `fa-${compound}` : `fa-${slug(doc.record.source)}${ctx.index !== null ? `-${ctx.index}` : ''}`;

  // Axis: its section, else an "Axe 2 : …" line before the first section, else the enclosing axis heading.
  const axisLine = st.preamble.map((p) => p.text).concat(st.titleCandidates).map(findAxis).find((a) => a !== null) ?? null;
  const runningAxis = ctx.running.map(findAxis).find((a) => a !== null) ?? null;
  const axis = cleanAxis(joinText(linesOf('axis')) || axisLine || ctx.axis || runningAxis);

  const context = joinText(linesOf('context')) || null;
  const objectives = readObjectives(sectionsOf('objectives'));
  const steps = st.sections.flatMap((s) => {
    if (s.match?.field === 'steps') return sectionLines(s);
    if (!s.match?.alsoSteps) return [];
    // "Étapes et calendrier": its lines are steps; a table's rows give their task, not the raw cells.
    const rows = s.pieces.filter((p) => p.kind === 'row').map((p) => p.cells ?? [p.text]);
    return [...sectionLines({ ...s, pieces: s.pieces.filter((p) => p.kind !== 'row') }), ...milestonesFromRows(rows, ref, null).map((m) => m.label)];
  }).filter((l) => l && !/:\s*$/.test(l));
  const targetPublic = splitList(linesOf('targetPublic'), { splitAnd: false });
  const pilots = withEmails(parsePilots(linesOf('pilots')), blocks);
  const partners = splitList(linesOf('partners'), { splitAnd: true, categories: true });
  let milestones = sectionsOf('milestones').flatMap((s) => readMilestones(s, ref));
  if (!milestones.some((m) => m.due)) {
    // No dated calendar: the steps often carry the dates ("Recrutement (T1 2025)").
    const fromSteps = sectionsOf('steps').flatMap(sectionLines).filter((l) => hasDate(l, ref)).flatMap((l) => milestonesFromLine(l, ref, null));
    if (fromSteps.length) milestones = [...milestones.filter((m) => m.dueText || m.label), ...fromSteps];
  }
  const indicators = sectionsOf('indicators').flatMap(readIndicators);
  const funding = joinText(linesOf('funding'), '\n') || null;
  const status = readStatus(linesOf('status').join(' '), st, doc.record);

  const extra: Record<string, string> = {};
  for (const s of st.sections) {
    if (s.match) continue;
    const text = joinText(sectionLines(s), '\n');
    if (!text) continue;
    const label = s.label || 'Compléments';
    extra[label] = extra[label] ? `${extra[label]}\n${text}` : text;
  }
  const preamble = st.preamble.map((p) => p.text).filter((t) => t && t !== title && !findAxis(t) && !FICHE_HEADING_RE.test(t) && !st.titleCandidates.includes(t) && t !== axis);
  if (preamble.length) extra['Préambule'] = preamble.join('\n');

  const page = blocks.find((b) => b.page !== null)?.page ?? null;
  const fiche = Fiche.parse({
    id,
    number,
    title: title || doc.record.title,
    axis: axis || null,
    context,
    objectives,
    steps,
    targetPublic,
    pilots,
    partners,
    milestones,
    indicators,
    funding,
    status,
    updatedAt: opts.now,
    source: { path: doc.record.source, title: doc.record.title, page },
    extra,
  });
  // Nothing of a fiche: a heading and one stray label are not enough.
  const filled = filledFields(fiche);
  const namedFiche = st.heading?.numberText != null || recordHeading !== null;
  if (filled < 2 && !(namedFiche && filled >= 1)) return null;
  return fiche;
}

/** A pilot's e-mail written elsewhere in the fiche ("Contact : p.nguyen@…") is theirs when it carries their surname. */
function withEmails(pilots: Fiche['pilots'], blocks: readonly Block[]): Fiche['pilots'] {
  if (pilots.every((p) => p.email)) return pilots;
  const emails = [...new Set(blocks.flatMap((b) => [...b.text.matchAll(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu)].map((m) => m[0])))];
  if (!emails.length) return pilots;
  return pilots.map((p) => {
    if (p.email) return p;
    const words = foldForMatch(p.name).split(/[\s'-]+/).filter((w) => w.length >= 3 && !/^(mme|mlle|dr|pr|docteur|madame|monsieur)$/.test(w));
    const surname = words[words.length - 1];
    const match = surname ? emails.filter((e) => foldForMatch(e.split('@')[0]!).includes(surname)) : [];
    return match.length === 1 ? { ...p, email: match[0]! } : p;
  });
}

function filledFields(f: Fiche): number {
  return [f.context, f.funding].filter(Boolean).length
    + [f.objectives.general.length + f.objectives.operational.length, f.steps.length, f.targetPublic.length, f.pilots.length, f.partners.length, f.milestones.length, f.indicators.length]
      .filter((n) => n > 0).length;
}

/** Text lines of a section; table rows become "cell — cell". */
/** The section's lines, without the ones that say nothing was given (« non précisé »). */
function sectionLines(s: Section): string[] {
  const out: string[] = [];
  for (const p of s.pieces) {
    if (!p.text.trim()) continue;
    if (p.kind === 'row') {
      const cells = (p.cells ?? [p.text]).filter((c) => c && !isNotGiven(c));
      if (cells.length) out.push(cells.join(' — '));
      continue;
    }
    for (const l of p.text.split('\n')) if (l.trim() && !isNotGiven(l)) out.push(p.sub && p.kind !== 'item' && !subIsField(p) ? `${p.sub.label} : ${l.trim()}` : l.trim());
  }
  return out;
}

/** A sub-label naming the same field ("Pilote :" under "Pilotage") adds nothing to the text. */
function subIsField(p: Piece): boolean {
  return !!p.sub && ['pilots', 'partners', 'targetPublic', 'context', 'funding', 'axis', 'status', 'title', 'steps'].includes(p.sub.match.field);
}

function joinText(lines: string[], sep = ' '): string {
  return lines.map((l) => l.trim()).filter(Boolean).join(sep).trim();
}

function readObjectives(sections: Section[]): { general: string[]; operational: string[] } {
  const general: string[] = [];
  const operational: string[] = [];
  for (const s of sections) {
    let variant = s.match?.variant ?? 'any';
    const unsplit: Piece[] = [];
    for (const p of s.pieces) {
      const v = p.sub?.match.variant;
      if (p.sub && !p.text) { variant = v ?? variant; continue; }
      const text = p.kind === 'row' ? (p.cells ?? []).filter(Boolean).join(' — ') : p.text.trim();
      if (!text || /:\s*$/.test(text)) continue;
      const pv = v ?? variant;
      if (pv === 'general') general.push(...text.split('\n').map((t) => t.trim()).filter(Boolean));
      else if (pv === 'operational') operational.push(...text.split('\n').map((t) => t.trim()).filter(Boolean));
      else unsplit.push({ ...p, text });
    }
    // "Objectifs" alone: a paragraph then a list reads as general then operational.
    const items = unsplit.filter((p) => p.kind === 'item');
    const lines = unsplit.filter((p) => p.kind !== 'item');
    if (items.length && lines.length) {
      general.push(...lines.map((p) => p.text));
      operational.push(...items.map((p) => p.text));
    } else if (unsplit.length === 1 && !general.length) {
      general.push(unsplit[0]!.text);
    } else {
      operational.push(...unsplit.map((p) => p.text));
    }
  }
  return { general, operational };
}

function readMilestones(s: Section, ref: string): FicheMilestone[] {
  const out: FicheMilestone[] = [];
  const rows: string[][] = [];
  const flushRows = (): void => {
    if (rows.length) out.push(...milestonesFromRows(rows.splice(0), ref, null));
  };
  for (const p of s.pieces) {
    if (p.kind === 'row') { rows.push(p.cells ?? [p.text]); continue; }
    flushRows();
    if (!p.text.trim()) continue;
    const fallback = p.sub ? p.sub.label : null;
    for (const line of p.text.split('\n')) out.push(...milestonesFromLine(line, ref, fallback ?? (s.pieces.length === 1 ? DEFAULT_MILESTONE_LABEL : null)));
  }
  flushRows();
  return out.filter((m) => m.label || m.dueText);
}

function readIndicators(s: Section): Indicator[] {
  const out: Indicator[] = [];
  let variant = indicatorType(s.match?.variant);
  const rows: string[][] = [];
  const flushRows = (): void => {
    if (rows.length) out.push(...indicatorsFromRows(rows.splice(0), variant));
  };
  for (const p of s.pieces) {
    if (p.kind === 'row') { rows.push(p.cells ?? [p.text]); continue; }
    flushRows();
    if (p.sub && !p.text) { variant = indicatorType(p.sub.match.variant) ?? variant; continue; }
    const type = p.sub ? indicatorType(p.sub.match.variant) ?? variant : variant;
    for (const line of p.text.split('\n')) {
      const ind = indicatorFromLine(line, type);
      if (ind) out.push(ind);
    }
  }
  flushRows();
  return out;
}

function indicatorType(v: string | undefined): Indicator['type'] | null {
  return v === 'processus' || v === 'resultat' ? v : null;
}

function readStatus(text: string, st: Structure, record: DocumentRecord): FicheStatus {
  const written = statusFromText(text);
  if (written) return written;
  const around = foldForMatch([record.title, record.source, ...st.preamble.map((p) => p.text)].join('\n'));
  if (/\b(brouillon|version de travail|document de travail|projet de fiche|a valider|en cours de redaction|draft)\b/.test(around)) return 'brouillon';
  // Fiches read from the adopted documents are the validated ones.
  return 'validée';
}

export function statusFromText(text: string): FicheStatus | null {
  const f = foldForMatch(text);
  if (!f.trim()) return null;
  if (/abandon|suspendu|annule/.test(f)) return 'abandonnée';
  if (/non (demarre|commence|engage|lance)|pas (encore )?(demarre|commence)|a venir|a demarrer|programme/.test(f)) return 'validée';
  if (/realise|termine|acheve|finalise|clos|clotur/.test(f)) return 'réalisée';
  if (/en cours|demarre|lance|engage|en progression|mise en oeuvre|deploiement/.test(f)) return 'en cours';
  if (/brouillon|projet|a valider|provisoire|redaction/.test(f)) return 'brouillon';
  if (/valide|adopte|approuve/.test(f)) return 'validée';
  return null;
}

/** "2 — Agir sur …" → "Axe 2 — Agir sur …"; a footer's "… FA 5 — Logement — page 1/2" tail is cut. */
function cleanAxis(axis: string | null): string | null {
  if (!axis) return null;
  // "Axe 2 — … · Fiche mise en ligne le …": the axis ends at the separator, unless it is only "Axe 4 · Prévention…".
  const segs = axis.split(/\s+[·|•]\s+/u).map((x) => x.trim());
  let a = segs[0]!.split(/\s+/).length <= 2 && segs[1] ? `${segs[0]} — ${segs[1]}` : segs[0]!;
  a = a.replace(/\s+(?:FA|fiche(?:\s+action)?)\s*(?:n\s*[°º]\s*)?\d+\b.*$/iu, '').replace(PAGE_MARK_RE, '').trim();
  if (/^\d+\b/.test(a)) a = `Axe ${a}`;
  return a || null;
}

function findAxis(text: string): string | null {
  const m = /(?:^|[\s—–-])((?:axe|priorit[ée])\s*(?:n\s*[°º]\s*)?(?:\d+|[IVX]+)\b.*)$/iu.exec(text);
  if (!m) return null;
  return m[1]!.replace(/\*\*/g, '').replace(/[.\s]+$/u, '').trim();
}

function firstInt(s: string): number | null {
  const m = /\d{1,3}/.exec(s);
  return m ? Number(m[0]) : null;
}

/** "FA3_logement_v2.docx", "fa01-pssm.md", "Fiche action 12 - habitat.pdf", "fiche_n°4.docx". */
export function numberFromPath(source: string): number | null {
  const base = path.basename(source, path.extname(source));
  const m = /(?:^|[^a-z])(?:fa|fiche[-_ ]?(?:action)?)[-_ ]?(?:n[°o]?[-_ ]?)?(\d{1,3})(?![\d.])/iu.exec(base);
  return m ? Number(m[1]) : null;
}

function cleanTitle(t: string | null | undefined): string | null {
  if (!t) return null;
  const h = parseFicheHeading(t);
  const s = (h ? h.title : t).replace(/\*\*|__/g, '').replace(/^[«"“\s:–—-]+|[»"”\s.:–—-]+$/gu, '').trim();
  return s || null;
}

/**
 * Words the running text writes with inner capitals ("GEM", "CMP", "VigilanS",
 * "Brumeville"): their written form, keyed by lower case, so a title in
 * capitals can be lowered without losing them.
 */
function collectAcronyms(blocks: readonly Block[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const b of blocks) {
    if (b.type === 'heading') continue;
    for (const m of b.text.matchAll(/[\p{L}\d]+/gu)) {
      const w = m[0];
      const before = b.text.slice(Math.max(0, m.index - 2), m.index);
      const innerCaps = /\p{Lu}/u.test(w.slice(1)) && w !== w.toUpperCase() || w.length >= 2 && w === w.toUpperCase() && /\p{L}/u.test(w);
      // A capital after a sentence start says nothing; inside a sentence it marks a name.
      const properName = /^\p{Lu}\p{Ll}+$/u.test(w) && m.index > 0 && !/[.!?:]\s*$|^\s*$/.test(before) && /\s$/.test(before);
      if (innerCaps || (properName && w.length > 3)) map.set(w.toLowerCase(), w);
    }
  }
  return map;
}

/** "PRÉVENIR LA RÉCIDIVE AVEC VIGILANS AU CMP" → "Prévenir la récidive avec VigilanS au CMP". */
function sentenceCase(title: string, written: Map<string, string>): string {
  const letters = title.replace(/[^\p{L}]/gu, '');
  const upper = title.replace(/[^\p{Lu}]/gu, '');
  if (letters.length < 6 || upper.length / letters.length < 0.85) return title;
  const lowered = title.toLowerCase().replace(/[\p{L}\d]+/gu, (w) => written.get(w) ?? w);
  return lowered.replace(/^\P{L}*\p{L}/u, (c) => c.toUpperCase());
}

function slug(source: string): string {
  const base = path.basename(source, path.extname(source));
  return foldForMatch(base).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'fiche';
}
