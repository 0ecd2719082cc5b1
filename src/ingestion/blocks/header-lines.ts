/**
 * Leading "Key: value" lines of a text file (a page saved with its address
 * and title, a note exported from a tool): `TITLE:`/`Titre :` names the
 * document, `SOURCE:`/`URL:` says where it comes from. They are metadata, not
 * content: a line of URL words would otherwise be quoted as an answer.
 */
const KEYS: Record<string, 'title' | 'source' | 'date' | 'author'> = {
  title: 'title', titre: 'title', source: 'source', url: 'source', lien: 'source', date: 'date', auteur: 'author', author: 'author',
};

export interface HeaderLines { title: string | null; source: string | null; body: string }

export function readHeaderLines(text: string): HeaderLines {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const found: Partial<Record<'title' | 'source' | 'date' | 'author', string>> = {};
  let i = 0;
  for (; i < Math.min(lines.length, 8); i++) {
    const m = /^\s*([A-Za-zÀ-ÿ]+)\s*:\s*(\S.*)$/.exec(lines[i]!);
    const key = m ? KEYS[m[1]!.toLowerCase()] : undefined;
    if (!m || !key || found[key]) break;
    found[key] = m[2]!.trim();
  }
  // One "Date : …" line alone is content more often than a header: only a run with a title or a source counts.
  if (!found.title && !found.source) return { title: null, source: null, body: text };
  return { title: found.title ?? null, source: found.source ?? null, body: lines.slice(i).join('\n') };
}
