import type { Citation } from '../core/types.js';
import { foldForMatch } from '../text/fold.js';
import { isGlossaryChunk } from '../search/kb-file.js';
import type { StoredChunk } from '../search/snapshot.js';
import { BUILTIN_ACRONYMS } from './builtin-acronyms.js';

export interface GlossaryEntry {
  acronym: string;
  expansion: string;
  /** The whole line of the glossary, for the answer. */
  definition: string;
  citation: Citation | null;
}

const ENTRY_RE = /^\s*(?:[-*•]\s*)?(?:\*\*|__)?([A-Z][A-Za-z0-9]{1,11})(?:\*\*|__)?\s*(?:\([^)]{1,40}\))?\s*(?:\*\*|__)?\s*(?::|–|—|-|=|\|)\s*(.{4,})$/;

/**
 * The acronyms of the field: entries read from the corpus's own glossary
 * documents (cited in answers), backed by a built-in list used only to
 * expand queries.
 */
export class Glossary {
  private constructor(private readonly entries: Map<string, GlossaryEntry>) {}

  static fromChunks(chunks: readonly StoredChunk[]): Glossary {
    const entries = new Map<string, GlossaryEntry>();
    for (const c of chunks) {
      if (!isGlossaryChunk(c)) continue;
      for (const line of c.text.split('\n')) {
        const entry = parseEntryLine(line.replace(/^\s*\|\s*|\s*\|\s*$/g, ''));
        if (!entry || entries.has(entry.acronym)) continue;
        entries.set(entry.acronym, {
          ...entry,
          citation: { source: c.source, title: c.title, page: c.page, section: c.section, quote: line.trim().replace(/\*\*/g, '') },
        });
      }
    }
    return new Glossary(entries);
  }

  /** The corpus entry of an acronym (case-insensitive). */
  lookup(acronym: string): GlossaryEntry | null {
    return this.entries.get(acronym.toUpperCase()) ?? null;
  }

  /** Every acronym known, from the corpus or built in. */
  known(): ReadonlySet<string> {
    return new Set([...this.entries.keys(), ...Object.keys(BUILTIN_ACRONYMS)]);
  }

  expansionOf(acronym: string): string | null {
    const key = acronym.toUpperCase();
    return this.entries.get(key)?.expansion ?? BUILTIN_ACRONYMS[key] ?? null;
  }

  /**
   * Extra query text: expansions of the acronyms in the question, and the
   * acronyms of expansions written out ("conseil local de santé mentale" → CLSM).
   */
  expandQuery(question: string, corpusHas: (acronym: string) => boolean = () => false): string {
    const extra: string[] = [];
    for (const m of question.matchAll(/\b([A-Za-z][A-Za-z0-9]{1,10})\b/g)) {
      const word = m[1]!;
      if (word !== word.toUpperCase() && !/[A-Z]/.test(word.slice(1))) continue; // "Pair" is no acronym
      // An acronym the documents use is searched as written: its expansion's common words would only blur the query.
      if (corpusHas(word)) continue;
      const exp = this.expansionOf(word);
      if (exp) extra.push(exp);
    }
    const folded = foldForMatch(question);
    for (const acr of this.known()) {
      const exp = this.expansionOf(acr);
      if (exp && exp.length > 8 && folded.includes(foldForMatch(exp))) extra.push(acr);
    }
    return [...new Set(extra)].join(' ; ');
  }
}

export function parseEntryLine(line: string): { acronym: string; expansion: string; definition: string } | null {
  const m = ENTRY_RE.exec(line.trim());
  if (!m) return null;
  const acronym = m[1]!;
  if (acronym !== acronym.toUpperCase() && !/^[A-Z][a-z]+[A-Z]$/.test(acronym)) return null; // "VigilanS" allowed
  const rest = m[2]!.replace(/\*\*|__/g, '').trim();
  const expansion = rest.split(/\s[–—-]\s|[.;:]\s|\.$|\s\(/)[0]!.trim();
  return { acronym: acronym.toUpperCase(), expansion, definition: rest };
}
