import pg from 'pg';
import { PtsmError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';

export { redactUrl };

/**
 * A PostgreSQL connection pool from PTSM_DATABASE_URL, for what several
 * replicas of `ptsm serve` must share (the delivery ledger). Every failure
 * surfaces as a French DATABASE_FAILED naming the URL without its password.
 */
export interface PostgresDb {
  pool: pg.Pool;
  /** The URL with its password masked: safe in messages and logs. */
  label: string;
  /** Runs one query; PostgreSQL errors become DATABASE_FAILED. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, args?: unknown[]): Promise<pg.QueryResult<R>>;
  /** BEGIN … COMMIT on one connection (ROLLBACK on a throw). */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Creates a capability's tables once per pool, serialised across processes by an advisory lock. */
  ensureSchema(name: string, ddl: string): Promise<void>;
  close(): Promise<void>;
}

function describePgError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') return 'serveur injoignable';
  if (err.code === '28P01' || err.code === '28000') return 'authentification refusée';
  if (err.code === '3D000') return 'base de données inexistante';
  return err.message ? `${err.message}${err.code ? ` [${err.code}]` : ''}` : String(e);
}

export function databaseError(label: string, what: string, e: unknown): PtsmError {
  return new PtsmError('DATABASE_FAILED', `PostgreSQL (${label}) : ${what} impossible (${describePgError(e)}).`, { input: label, cause: e });
}

/** Opens a pool and checks the server answers (fails fast with a French message). */
export async function openPostgres(url: string, opts: { max?: number; schema?: string } = {}): Promise<PostgresDb> {
  const label = redactUrl(url) + (opts.schema ? ` (schéma ${opts.schema})` : '');
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
    throw new PtsmError('CONFIG_INVALID', `Nom de schéma PostgreSQL invalide : « ${opts.schema} ».`, { input: opts.schema });
  }
  // A schema of its own: every unqualified table of this pool lives in it (one per territory).
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}) });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const applied = new Set<string>();
  const db: PostgresDb = {
    pool,
    label,
    async query<R extends pg.QueryResultRow>(sql: string, args: unknown[] = []) {
      try {
        return await pool.query<R>(sql, args);
      } catch (e) {
        throw databaseError(label, 'requête', e);
      }
    },
    async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        throw databaseError(label, 'connexion', e);
      }
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e instanceof PtsmError ? e : databaseError(label, 'transaction', e);
      } finally {
        client.release();
      }
    },
    async ensureSchema(name: string, ddl: string) {
      if (applied.has(name)) return;
      // CREATE … IF NOT EXISTS is not safe against a concurrent twin: one replica at a time.
      await db.transaction(async (c) => {
        await c.query("SELECT pg_advisory_xact_lock(hashtext('ptsm-schema:' || $1))", [`${opts.schema ?? 'public'}:${name}`]);
        if (opts.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
        await c.query(ddl);
      });
      applied.add(name);
    },
    async close() {
      await pool.end();
    },
  };
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw databaseError(label, 'connexion', e);
  }
  return db;
}
