import { parseArgs } from 'node:util';
import { PtsmError, describeError } from '../core/errors.js';
import type { Command, CommandContext, CommandFlags, OptionSpec } from './context.js';
import { COMMANDS } from './registry.js';

const GLOBAL_OPTIONS: OptionSpec = {
  data: { type: 'string', description: 'dossier des données (défaut : ./data ou PTSM_DATA_DIR)' },
  territory: { type: 'string', description: 'territoire (PTSM) du dossier des données, par ex. 79 (défaut : PTSM_TERRITORY, ou le seul territoire présent)' },
  verbose: { type: 'boolean', short: 'v', description: 'journaux détaillés sur la sortie d’erreur' },
  help: { type: 'boolean', short: 'h', description: 'affiche l’aide' },
};

export interface MainIo {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  interactive?: boolean;
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = io.stderr ?? ((s: string) => void process.stderr.write(s));
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    stdout(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    stderr(`Commande inconnue : « ${name} ». Commandes disponibles : ${COMMANDS.map((c) => c.name).join(', ')}.\nAide : ptsm help\n`);
    return 2;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options } as NonNullable<Parameters<typeof parseArgs>[0]>['options'],
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as CommandFlags;
    const positionals = parsed.positionals;
    if (values['help']) { stdout(commandHelp(command)); return 0; }
    const cwd = io.cwd ?? process.cwd();
    // Loaded here, not at the top: `ptsm --help` needs neither zod nor the logger.
    const [{ loadConfig, withEnvFile }, { createLogger }, { resolveTerritory, territoryConfig }, run] = await Promise.all([
      import('../config.js'), import('../core/logger.js'), import('../app/territories.js'), command.load(),
    ]);
    const rootConfig = loadConfig(withEnvFile(io.env ?? process.env, cwd), {
      cwd,
      dataDir: values['data'] as string | undefined,
      territory: values['territory'] as string | undefined,
      logLevel: values['verbose'] ? 'debug' : undefined,
    });
    // One place decides which data directory a command works on (src/app/territories.ts).
    const mode = command.territory ?? 'resolve';
    const config = mode === 'root' || (mode === 'none' && rootConfig.territory === undefined)
      ? rootConfig
      : territoryConfig(rootConfig, resolveTerritory(rootConfig.dataDir, rootConfig.territory, { create: mode === 'create' }));
    const ctx: CommandContext = {
      config,
      logger: createLogger(config.logLevel, (line) => stderr(line + '\n')),
      cwd,
      stdout,
      stderr,
      interactive: io.interactive ?? Boolean(process.stderr.isTTY),
    };
    return await run(ctx, positionals, values);
  } catch (e) {
    if (e instanceof PtsmError) {
      stderr(`Erreur : ${e.message}\n`);
      if (e.code === 'USAGE') stderr(`Usage : ${command.usage}\n`);
      return e.code === 'USAGE' || e.code === 'CONFIG_INVALID' ? 2 : 1;
    }
    if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      stderr(`Option invalide : ${translateParseArgs(e.message)}\nUsage : ${command.usage}\n`);
      return 2;
    }
    stderr(`Erreur inattendue : ${describeError(e)}\n`);
    if (e instanceof Error && e.stack) stderr(e.stack + '\n');
    return 1;
  }
}

function translateParseArgs(msg: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  if (unknown) return `option inconnue « ${unknown[1]} »`;
  const missing = /Option '([^']+)[^']*' argument missing/.exec(msg);
  if (missing) return `l'option « ${missing[1]} » attend une valeur`;
  return msg;
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'ptsm — assistant du Projet Territorial de Santé Mentale',
    '',
    'Commandes :',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options communes : --data DIR (dossier des données), --territory T (territoire), --verbose, --help',
    'Aide d’une commande : ptsm <commande> --help',
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  const opts = { ...c.options, ...GLOBAL_OPTIONS };
  return [`${c.summary}`, '', `Usage : ${c.usage}`, '', 'Options :', ...Object.entries(opts).map(([k, o]) => `  --${k}${o.type === 'string' ? ' <valeur>' : ''}  ${o.description}`), ''].join('\n');
}
