import type { AppConfig } from '../config.js';
import type { Logger } from '../core/logger.js';

/** What every command receives: configuration read once, a logger, and its output streams. */
export interface CommandContext {
  config: AppConfig;
  logger: Logger;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars). */
  interactive: boolean;
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; description: string }>;

export type CommandFlags = Record<string, string | boolean | string[] | undefined>;

/** A command's code: what runs once its arguments are parsed; resolves to the exit code. */
export type CommandRun = (ctx: CommandContext, args: string[], flags: CommandFlags) => Promise<number>;

/**
 * A command as the registry lists it: its help (name, summary, usage,
 * options) is plain data, and its code is imported only when it runs.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /**
   * Which data directory the command gets (src/app/territories.ts):
   * `resolve` (default) the territory's, which must exist; `create` the
   * territory's, created if new (`index`); `root` the data directory itself,
   * the command handles territories (`serve`, `territories`); `none` the
   * command reads no data (`when`, `draft`), a territory is resolved only if asked for.
   */
  territory?: 'resolve' | 'create' | 'root' | 'none';
  load(): Promise<CommandRun>;
}
