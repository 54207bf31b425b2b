// The shape of one `prefloop <command>`: its options, its help, and what it runs.
import type { ParseArgsConfig } from 'node:util';
import type { Writable } from 'node:stream';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal: long commands show progress there. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  io: CommandIO;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line after `prefloop <name>`. */
  usage: string;
  /** Options beyond the common --config, --store and --help. */
  options: OptionSpec;
  /** One line per option for --help. */
  help: string[];
  /** Exit code for a command line that does not parse (default 2; `gate` keeps 0–2 for its verdicts). */
  usageExitCode?: number;
  /** Runs the command; resolves with the exit code. Throwing prints the error and exits 1. */
  run(input: CommandInput): Promise<number>;
}

/** A failure the user can fix: printed without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
