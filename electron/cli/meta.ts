// The commands' descriptions, written at build time into out/cli/commands.json for the
// launcher's help (scripts/build-cli.mjs).
import type { CommandInfo } from './help';
import { commands } from './registry';

export function commandInfos(): CommandInfo[] {
  return commands.map((c) => ({ words: c.words, usage: c.usage, summary: c.summary }));
}
