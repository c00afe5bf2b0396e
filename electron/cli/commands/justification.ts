import type { CliCommand } from '../command';

export const justificationCommands: CliCommand[] = [];
