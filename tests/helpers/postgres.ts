/**
 * A throwaway PostgreSQL cluster for tests and benches: initdb in a temporary
 * folder, a server listening only on a Unix socket inside it (no TCP port, no
 * fsync), one database `ptsm` (created through the pg client). Uses the machine's PostgreSQL server binaries
 * (Debian's `postgresql` package: /usr/lib/postgresql/<version>/bin, or
 * initdb on PATH); nothing is downloaded.
 *
 *   const pgBin = findPostgresBin();
 *   describe.skipIf(!pgBin)('…', () => { let pg: ThrowawayPostgres; beforeAll(async () => { pg = await startPostgres(); }, 120_000); … });
 *
 * Without binaries, `findPostgresBin()` throws when CI is set (a CI run never
 * skips these tests) and otherwise returns null with a warning.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  /** postgres://postgres@/ptsm?host=<socket folder> */
  url: string;
  /** The socket folder (also the `host` of the URL). */
  socketDir: string;
  stop(): Promise<void>;
}

function versionOf(dir: string): number {
  return Number(/postgresql\/(\d+)/.exec(dir)?.[1] ?? 0);
}

/** The folder holding initdb and pg_ctl, or null (a symlink on PATH, e.g. /usr/local/bin/initdb, leads to its real folder). */
export function locatePostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const dirs = fs.readdirSync(root).map((v) => path.join(root, v, 'bin')).filter((d) => fs.existsSync(path.join(d, 'initdb')));
    dirs.sort((a, b) => versionOf(b) - versionOf(a));
    if (dirs[0]) return dirs[0];
  }
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return path.dirname(fs.realpathSync(path.join(dir, 'initdb')));
  }
  return null;
}

const MISSING = 'binaires du serveur PostgreSQL introuvables (ni /usr/lib/postgresql/*/bin/initdb, ni initdb dans le PATH) : apt-get install -y postgresql';

/** locatePostgresBin(), except that under CI a missing server is an error, never a skip. */
export function findPostgresBin(): string | null {
  const bin = locatePostgresBin();
  if (bin) return bin;
  if (process.env['CI']) throw new Error(`Tests PostgreSQL impossibles en CI : ${MISSING}`);
  console.warn(`Tests PostgreSQL ignorés : ${MISSING}.`);
  return null;
}

/** initdb and pg_ctl refuse to run as root: run them as `postgres` (or `nobody`) then. */
function serverUser(): string | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
      return user;
    } catch {
      // try the next one
    }
  }
  throw new Error('Exécution en root sans utilisateur « postgres » ni « nobody » : impossible de lancer initdb.');
}

export async function startPostgres(opts: { bin?: string; database?: string } = {}): Promise<ThrowawayPostgres> {
  const bin = opts.bin ?? locatePostgresBin();
  if (!bin) throw new Error(MISSING);
  const database = opts.database ?? 'ptsm';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptsm-pg-'));
  const data = path.join(dir, 'data');
  const user = serverUser();
  if (user) execFileSync('chown', ['-R', user, dir]);
  const exec = (tool: string, args: string[]): Promise<unknown> => {
    const file = path.join(bin, tool);
    return user ? run('runuser', ['-u', user, '--', file, ...args], { cwd: dir }) : run(file, args, { cwd: dir });
  };
  let started = false;
  const stop = async (): Promise<void> => {
    process.off('exit', stopSync);
    if (started) {
      started = false;
      await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test run that exits without stop() must not leave a server behind.
  const stopSync = (): void => {
    try {
      const args = ['stop', '-D', data, '-m', 'immediate', '-w'];
      if (user) execFileSync('runuser', ['-u', user, '--', path.join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(path.join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    await exec('pg_ctl', [
      'start', '-D', data, '-w', '-t', '60', '-l', path.join(dir, 'server.log'),
      '-o', `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    ]);
    started = true;
    process.once('exit', stopSync);
    const admin = new pg.Client({ host: dir, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } finally {
      await admin.end();
    }
  } catch (e) {
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000) : '';
    await stop();
    throw new Error(`Démarrage de PostgreSQL impossible (${bin}) : ${String(e)}\n${log}`);
  }
  return { url: `postgres://postgres@/${database}?host=${dir}`, socketDir: dir, stop };
}
