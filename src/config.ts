import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { PtsmError } from './core/errors.js';
import { redactUrl } from './core/redact-url.js';
import { DEFAULT_INGESTION_LIMITS, type IngestionLimits } from './ingestion/limits.js';

/**
 * Configuration is read once, here, from the environment (and CLI flags that
 * override it), validated with zod, then passed to whoever needs it. Nothing
 * else in the code reads process.env.
 */
const MB = 1024 * 1024;

const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'oui', 'non'])
  .transform((v) => ['true', '1', 'yes', 'oui'].includes(v));

const EnvSchema = z.object({
  PTSM_DATA_DIR: z.string().min(1).default('./data'),
  PTSM_CORPUS_ROOT: z.string().min(1).optional(),
  PTSM_TERRITORY: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).optional(),
  PTSM_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('warn'),
  PTSM_EMBEDDER: z.enum(['local', 'openai', 'transformers']).default('local'),
  PTSM_EMBEDDINGS_URL: z.url().optional(),
  PTSM_EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),
  PTSM_EMBEDDINGS_API_KEY: z.string().optional(),
  PTSM_TRANSFORMERS_MODEL_DIR: z.string().min(1).optional(),
  PTSM_LLM_URL: z.url().optional(),
  PTSM_LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  PTSM_LLM_API_KEY: z.string().optional(),
  PTSM_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30000),
  PTSM_LLM_ALLOW_PERSONAL_DATA: boolFromEnv.default(false),
  PTSM_TIMEZONE: z.string().default('Europe/Paris'),
  PTSM_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('127.0.0.1'),
  NODE_ENV: z.string().default('development'),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: z.url().optional(),
  SLACK_DIGEST_CHANNEL: z.string().optional(),
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant'),
  TEAMS_ALLOW_UNAUTHENTICATED: boolFromEnv.default(false),
  TEAMS_DIGEST_CONVERSATION: z.string().optional(),
  PTSM_DOCS_BASE_URL: z.url().optional(),
  PTSM_WEB_TOKEN: z.string().optional(),
  PTSM_WEB_AUTH_HEADER: z.string().optional(),
  PTSM_MAX_ARCHIVE_MB: z.coerce.number().positive().default(DEFAULT_INGESTION_LIMITS.maxArchiveBytes / MB),
  PTSM_MAX_ARCHIVE_ENTRIES: z.coerce.number().int().positive().default(DEFAULT_INGESTION_LIMITS.maxArchiveEntries),
  PTSM_MAX_COMPRESSION_RATIO: z.coerce.number().positive().default(DEFAULT_INGESTION_LIMITS.maxCompressionRatio),
  PTSM_MAX_PDF_MB: z.coerce.number().positive().default(DEFAULT_INGESTION_LIMITS.maxPdfBytes / MB),
  PTSM_MAX_PDF_PAGES: z.coerce.number().int().positive().default(DEFAULT_INGESTION_LIMITS.maxPdfPages),
});

/** French labels for the variables, used in error messages. */
const HINTS: Partial<Record<keyof z.infer<typeof EnvSchema>, string>> = {
  PTSM_TERRITORY: 'identifiant de territoire : lettres, chiffres, « - » et « _ », 1 à 32 caractères ; par ex. 79, 2A, ght-sud',
  PTSM_EMBEDDER: 'valeurs possibles : local, openai, transformers',
  PTSM_LOG_LEVEL: 'valeurs possibles : debug, info, warn, error, silent',
  PTSM_EMBEDDINGS_URL: 'URL complète, par ex. http://localhost:11434/v1',
  PTSM_LLM_URL: 'URL complète, par ex. https://api.mistral.ai/v1',
  PTSM_DOCS_BASE_URL: 'URL complète, par ex. https://intranet.exemple.fr/ptsm',
  PORT: 'un numéro de port entre 1 et 65535 (0 : un port libre au hasard)',
  PTSM_LLM_TIMEOUT_MS: 'un nombre de millisecondes, par ex. 30000',
  PTSM_DATABASE_URL: 'URL PostgreSQL commençant par postgres:// ou postgresql://, par ex. postgres://ptsm:motdepasse@db.exemple.fr:5432/ptsm',
  PTSM_MAX_ARCHIVE_MB: 'taille décompressée maximale d\'un DOCX, en Mo, par ex. 50',
  PTSM_MAX_ARCHIVE_ENTRIES: 'nombre maximal d\'éléments dans un DOCX, par ex. 2000',
  PTSM_MAX_COMPRESSION_RATIO: 'taux de compression maximal d\'un élément d\'un DOCX, par ex. 100',
  PTSM_MAX_PDF_MB: 'taille maximale d\'un PDF, en Mo, par ex. 50',
  PTSM_MAX_PDF_PAGES: 'nombre maximal de pages d\'un PDF, par ex. 2000',
  MICROSOFT_APP_TYPE: "valeurs possibles : SingleTenant (défaut), UserAssignedMSI (identité managée), MultiTenant (ancien, déconseillé par Microsoft)",
};

export interface AppConfig {
  dataDir: string;
  /** Folder channel scope patterns are relative to (PTSM_CORPUS_ROOT; default: the data directory's parent). */
  corpusRoot: string;
  /**
   * The territory asked for (PTSM_TERRITORY, or `--territory`): once the CLI has
   * resolved it (src/app/territories.ts), the territory whose data directory
   * `dataDir` is; undefined for a single-PTSM data directory.
   */
  territory: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  timezone: string;
  embedder:
    | { kind: 'local' }
    | { kind: 'openai'; baseURL: string; model: string; apiKey: string | undefined; allowPersonalData: boolean }
    | { kind: 'transformers'; modelDir: string };
  llm: { baseURL: string; model: string; apiKey: string | undefined; timeoutMs: number; allowPersonalData: boolean } | null;
  server: { port: number; host: string; production: boolean };
  slack: { botToken: string | undefined; signingSecret: string | undefined; appToken: string | undefined; apiUrl: string | undefined; digestChannel: string | undefined };
  teams: { appId: string | undefined; appPassword: string | undefined; tenantId: string | undefined; appType: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant'; allowUnauthenticated: boolean; digestConversation: string | undefined };
  web: { token: string | undefined; authHeader: string | undefined };
  /** Where the indexed files can be opened by users (intranet, shared drive over HTTP): citations link to base + source path. */
  docs: { baseUrl: string | undefined };
  /** What reading one document may cost (archive and PDF bounds). */
  ingestion: IngestionLimits;
  /** PostgreSQL shared by several replicas of `ptsm serve` (the reminders' delivery ledger); null: the ledger stays in SQLite. */
  database: { url: string } | null;
}

export interface ConfigOverrides {
  /** Directory relative paths are resolved against (defaults to the process's). */
  cwd?: string | undefined;
  dataDir?: string | undefined;
  territory?: string | undefined;
  logLevel?: AppConfig['logLevel'] | undefined;
}

/** The optional file of settings (secrets included) read from the working directory. */
export const ENV_FILE = '.env';

/**
 * Adds the variables of `cwd/.env`, when the file exists, to `env`: what the
 * environment already sets wins over the file. Parsed by Node's own `.env`
 * parser (the one behind `process.loadEnvFile`), without touching
 * process.env.
 */
export function withEnvFile(env: Record<string, string | undefined>, cwd: string): Record<string, string | undefined> {
  const file = path.join(cwd, ENV_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw new PtsmError('CONFIG_INVALID', `Fichier de configuration illisible : ${file} (${(e as Error).message}).`, { input: file, cause: e });
  }
  const fromFile = parseEnv(text);
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return { ...fromFile, ...set };
}

/** Reads and validates the configuration. Throws CONFIG_INVALID with a French message naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined>, overrides: ConfigOverrides = {}): AppConfig {
  // Empty strings mean "unset" (a blank line in a .env file), not an invalid value.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?') as keyof typeof HINTS;
      const hint = HINTS[key] ? ` (${HINTS[key]})` : '';
      // A database URL may carry a password: never echo it.
      const value = key === 'PTSM_DATABASE_URL' ? redactUrl(String(cleaned[key] ?? '')) : String(cleaned[key] ?? '');
      return `- ${key} = « ${value} » : valeur invalide${hint}`;
    });
    throw new PtsmError('CONFIG_INVALID', `Configuration invalide :\n${lines.join('\n')}`, {
      input: parsed.error.issues.map((i) => String(i.path[0])).join(','),
    });
  }
  const e = parsed.data;
  let embedder: AppConfig['embedder'] = { kind: 'local' };
  if (e.PTSM_EMBEDDER === 'openai') {
    if (!e.PTSM_EMBEDDINGS_URL) {
      throw new PtsmError('CONFIG_INVALID', 'Configuration invalide : PTSM_EMBEDDER=openai demande PTSM_EMBEDDINGS_URL (par ex. http://localhost:11434/v1).', { input: 'PTSM_EMBEDDINGS_URL' });
    }
    embedder = { kind: 'openai', baseURL: e.PTSM_EMBEDDINGS_URL, model: e.PTSM_EMBEDDINGS_MODEL, apiKey: e.PTSM_EMBEDDINGS_API_KEY, allowPersonalData: e.PTSM_LLM_ALLOW_PERSONAL_DATA };
  } else if (e.PTSM_EMBEDDER === 'transformers') {
    if (!e.PTSM_TRANSFORMERS_MODEL_DIR) {
      throw new PtsmError('CONFIG_INVALID', 'Configuration invalide : PTSM_EMBEDDER=transformers demande PTSM_TRANSFORMERS_MODEL_DIR (dossier local du modèle).', { input: 'PTSM_TRANSFORMERS_MODEL_DIR' });
    }
    embedder = { kind: 'transformers', modelDir: path.resolve(overrides.cwd ?? '.', e.PTSM_TRANSFORMERS_MODEL_DIR) };
  }
  const dataDir = path.resolve(overrides.cwd ?? '.', overrides.dataDir ?? e.PTSM_DATA_DIR);
  return {
    dataDir,
    // Scopes must not depend on the folder a command is run from: by default they are read beside the data.
    corpusRoot: e.PTSM_CORPUS_ROOT ? path.resolve(overrides.cwd ?? '.', e.PTSM_CORPUS_ROOT) : path.dirname(dataDir),
    territory: overrides.territory ?? e.PTSM_TERRITORY,
    logLevel: overrides.logLevel ?? e.PTSM_LOG_LEVEL,
    timezone: e.PTSM_TIMEZONE,
    embedder,
    llm: e.PTSM_LLM_URL
      ? { baseURL: e.PTSM_LLM_URL, model: e.PTSM_LLM_MODEL, apiKey: e.PTSM_LLM_API_KEY, timeoutMs: e.PTSM_LLM_TIMEOUT_MS, allowPersonalData: e.PTSM_LLM_ALLOW_PERSONAL_DATA }
      : null,
    server: { port: e.PORT, host: e.HOST, production: e.NODE_ENV === 'production' },
    slack: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, digestChannel: e.SLACK_DIGEST_CHANNEL },
    teams: { appId: e.MICROSOFT_APP_ID, appPassword: e.MICROSOFT_APP_PASSWORD, tenantId: e.MICROSOFT_APP_TENANT_ID, appType: e.MICROSOFT_APP_TYPE, allowUnauthenticated: e.TEAMS_ALLOW_UNAUTHENTICATED, digestConversation: e.TEAMS_DIGEST_CONVERSATION },
    web: { token: e.PTSM_WEB_TOKEN, authHeader: e.PTSM_WEB_AUTH_HEADER },
    docs: { baseUrl: e.PTSM_DOCS_BASE_URL },
    database: e.PTSM_DATABASE_URL ? { url: e.PTSM_DATABASE_URL } : null,
    ingestion: {
      maxArchiveBytes: Math.round(e.PTSM_MAX_ARCHIVE_MB * MB),
      maxArchiveEntries: e.PTSM_MAX_ARCHIVE_ENTRIES,
      maxCompressionRatio: e.PTSM_MAX_COMPRESSION_RATIO,
      maxPdfBytes: Math.round(e.PTSM_MAX_PDF_MB * MB),
      maxPdfPages: e.PTSM_MAX_PDF_PAGES,
    },
  };
}
