import fs from 'node:fs';
import path from 'node:path';

export type WalkEntry =
  | { kind: 'file'; path: string }
  | { kind: 'missing'; path: string }
  /** A symbolic link whose target lies outside every root given to the walk: never followed. */
  | { kind: 'outside'; path: string; target: string }
  /** A symbolic link that points nowhere, or to itself. */
  | { kind: 'broken-link'; path: string };

/**
 * Expands the paths given to `ptsm index` into files, recursively, in a
 * stable order. Hidden files and folders (".git", "~$lock.docx") are skipped.
 *
 * Symbolic links are followed at most once: every file and folder is keyed by
 * its real path, so a loop of links, a folder linking to itself or an alias of
 * a file ends the walk instead of repeating it; and a link whose real target
 * is outside the real paths of the roots is reported, never entered.
 */
export function walkPaths(inputs: readonly string[]): WalkEntry[] {
  const out: WalkEntry[] = [];
  const roots = inputs.map(realPathOrNull).filter((r): r is string => r !== null);
  const visited = new Set<string>();
  const insideRoots = (real: string): boolean => roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));

  const visit = (p: string, isRoot: boolean): void => {
    const real = realPathOrNull(p);
    if (real === null) {
      out.push(isRoot || !isSymlink(p) ? { kind: 'missing', path: p } : { kind: 'broken-link', path: p });
      return;
    }
    if (!isRoot && !insideRoots(real)) { out.push({ kind: 'outside', path: p, target: real }); return; }
    if (visited.has(real)) return;
    visited.add(real);
    let st: fs.Stats;
    try { st = fs.statSync(real); } catch { out.push({ kind: 'missing', path: p }); return; }
    if (st.isDirectory()) {
      let names: string[];
      try { names = fs.readdirSync(real); } catch { out.push({ kind: 'missing', path: p }); return; }
      for (const name of names.sort((a, b) => a.localeCompare(b))) {
        if (name.startsWith('.') || name.startsWith('~$') || name === 'node_modules') continue;
        visit(path.join(p, name), false);
      }
    } else if (st.isFile()) {
      out.push({ kind: 'file', path: p });
    }
  };
  for (const i of inputs) visit(i, true);
  return out;
}

function realPathOrNull(p: string): string | null {
  try { return fs.realpathSync(p); } catch { return null; }
}

function isSymlink(p: string): boolean {
  try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; }
}
