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

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  run(ctx: CommandContext, args: string[], flags: Record<string, string | boolean | string[] | undefined>): Promise<number>;
}
