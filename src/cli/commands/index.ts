// Every `prefloop` command, in the order `prefloop help` lists them.
import type { Command } from '../Command.js';
import { migrateCommand } from './migrate.js';

export const COMMANDS: Command[] = [migrateCommand];
