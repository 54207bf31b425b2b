// Every `prefloop` command, in the order `prefloop help` lists them.
import type { Command } from '../Command.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';

export const COMMANDS: Command[] = [serveCommand, migrateCommand, sqlCommand];
