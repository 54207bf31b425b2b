// `prefloop` entry point: parses the command line, runs one command, maps failures to clear messages.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/loadConfig.js';
import { StoreError } from '../sink/Store.js';
import type { Command, CommandIO } from './Command.js';
import { UsageError } from './Command.js';
import { COMMANDS } from './commands/index.js';

const COMMON_OPTIONS = {
  config: { type: 'string' },
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(overview());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === 'version') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
    io.stdout.write(`prefloop ${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`prefloop: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.stderr.write(`prefloop ${name}: ${(err as Error).message}\n\n${commandHelp(command)}`);
    return command.usageExitCode ?? 2;
  }
  if (parsed.values.help) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io });
  } catch (err) {
    io.stderr.write(describeFailure(name, err));
    return err instanceof UsageError ? 2 : 1;
  }
}

function describeFailure(name: string, err: unknown): string {
  if (err instanceof ConfigError) return `prefloop ${name}: ${err.message}\n`;
  if (err instanceof UsageError) return `prefloop ${name}: ${err.message}\n`;
  if (err instanceof StoreError) return `prefloop ${name}: ${err.message}\n`;
  const e = err as Error;
  const detail = process.env.PREFLOOP_DEBUG ? `\n${e.stack}` : '';
  return `prefloop ${name}: ${e.message ?? String(err)}${detail}\n`;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'prefloop: turn production LLM traces into preference-tuning data',
    '',
    'Usage: prefloop <command> [--config FILE] [--store URL] [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Store URL: embedded:<folder> (default embedded:.prefloop) or http(s)://[user:password@]host:port[/database]',
    'Run `prefloop <command> --help` for a command’s options.',
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [
    `prefloop ${c.name} ${c.usage}`,
    '',
    c.summary,
    '',
    'Options:',
    ...c.help.map((h) => `  ${h}`),
    '  --config FILE       prefloop.yaml to use (default: ./prefloop.yaml if present, else built-in defaults)',
    '  --store URL         store URL (default: $PREFLOOP_STORE, the config, else embedded:.prefloop)',
    '  -h, --help          show this help',
    '',
  ].join('\n');
}

function defaultIO(): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
