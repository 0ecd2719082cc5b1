import type { Command } from './context.js';
import { askCommand } from './commands/ask-cmd.js';
import { indexCommand } from './commands/index-cmd.js';
import { searchCommand } from './commands/search-cmd.js';
import { statsCommand } from './commands/stats-cmd.js';
import { whenCommand } from './commands/when-cmd.js';
import { draftCommand, ficheCommand, fichesCommand } from './commands/fiche-cmds.js';
import { milestonesCommand, remindersCommand } from './commands/milestone-cmds.js';
import { serveCommand } from './commands/serve-cmd.js';
import { bilanCommand, decisionsCommand } from './commands/decision-cmds.js';

/** Every CLI command, in the order `ptsm help` lists them. */
export const COMMANDS: readonly Command[] = [
  indexCommand, searchCommand, askCommand, statsCommand,
  draftCommand, fichesCommand, ficheCommand,
  whenCommand, milestonesCommand, remindersCommand,
  decisionsCommand, bilanCommand,
  serveCommand,
];
