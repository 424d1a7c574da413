import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.ts';

export interface CommandContext {
  dataDir: string;
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  io: CliIo;
}

/** One `baglink` sub-command: its help text, its flags and what it does. */
export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(c: CommandContext): Promise<number>;
}
