import type { CliCommand } from '../command';

export const recensementCommands: CliCommand[] = [];
