import fs from 'node:fs';
import path from 'node:path';

export type WalkEntry = { kind: 'file'; path: string } | { kind: 'missing'; path: string };

/**
 * Expands the paths given to `ptsm index` into files, recursively, in a
 * stable order. Hidden files and folders (".git", "~$lock.docx") are skipped.
 */
export function walkPaths(inputs: readonly string[]): WalkEntry[] {
  const out: WalkEntry[] = [];
  const visit = (p: string): void => {
    let st: fs.Stats;
    try { st = fs.statSync(p); } catch { out.push({ kind: 'missing', path: p }); return; }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort((a, b) => a.localeCompare(b))) {
        if (name.startsWith('.') || name.startsWith('~$') || name === 'node_modules') continue;
        visit(path.join(p, name));
      }
    } else if (st.isFile()) {
      out.push({ kind: 'file', path: p });
    }
  };
  for (const i of inputs) visit(i);
  return out;
}
