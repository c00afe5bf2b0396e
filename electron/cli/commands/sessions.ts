import type { CliCommand } from '../command';

export const sessionsCommands: CliCommand[] = [];
