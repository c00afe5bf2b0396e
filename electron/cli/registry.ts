// Every CLI command, by capability. A capability adds its file in ./commands and one line here.
import type { CliCommand } from './command';
import { conventionCommands } from './commands/convention';
import { documentsCommands } from './commands/documents';
import { justificationCommands } from './commands/justification';
import { marcheCommands } from './commands/marche';
import { presenceCommands } from './commands/presence';
import { recensementCommands } from './commands/recensement';
import { sessionsCommands } from './commands/sessions';
import { statsCommands } from './commands/stats';

export const commands: CliCommand[] = [
  ...conventionCommands,
  ...recensementCommands,
  ...marcheCommands,
  ...sessionsCommands,
  ...justificationCommands,
  ...statsCommands,
  ...documentsCommands,
  ...presenceCommands,
];
