import type { CliCommand } from '../command';

export const marcheCommands: CliCommand[] = [];
