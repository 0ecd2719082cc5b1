import type { Fiche } from '../../core/fiche.js';
import {
  type DraftView, TEXTS, ficheHeading, ficheSections, formatSourceDocument, formatSources, formatTitleSources, missingLabels,
  titleSources,
} from './labels.js';

export interface MarkdownOptions {
  draft?: DraftView;
}

/** A user line starting with "#" would turn into a heading: neutralise it, keep everything else as written. */
function safeLine(line: string): string {
  return line.replace(/^(\s*)#/, '$1\\#');
}

/**
 * The fiche as Markdown (web page, CLI, e-mail). Empty rows are left out; in a
 * draft they are listed under "À compléter" and each row names the messages it
 * was drafted from.
 */
export function renderFicheMarkdown(fiche: Fiche, opts: MarkdownOptions = {}): string {
  const { draft } = opts;
  const out: string[] = [`# ${safeLine(ficheHeading(fiche))}`];
  const tSources = titleSources(draft);
  if (draft && tSources.length > 0) out.push('', `_${formatTitleSources(tSources)}_`);

  if (draft) {
    out.push('', `> ${TEXTS.draftNotice}`);
    const missing = missingLabels(draft.missing);
    if (missing.length > 0) {
      out.push('', `## ${TEXTS.toComplete}`, '', ...missing.map((m) => `- ${safeLine(m)}`));
    }
  }

  for (const section of ficheSections(fiche, draft)) {
    if (section.empty) continue;
    out.push('', `## ${safeLine(section.label)}`, '');
    if (section.kind === 'list') out.push(...section.lines.map((l) => `- ${l}`));
    else out.push(section.lines.map(safeLine).join('\n\n'));
    if (draft && section.sources.length > 0) out.push('', `_${formatSources(section.sources)}_`);
  }

  const doc = formatSourceDocument(fiche);
  if (doc) out.push('', '---', '', `_${TEXTS.source} : ${safeLine(doc)}_`);
  return out.join('\n') + '\n';
}
