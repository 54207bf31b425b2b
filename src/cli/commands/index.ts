// Every `prefloop` command, in the order `prefloop help` lists them.
import type { Command } from '../Command.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';
import { pairsCommand } from './pairs.js';
import { exportCommand } from './export.js';
import { calibrateCommand } from './calibrate.js';
import { demoCommand } from './demo.js';
import { clusterCommand } from './cluster.js';
import { clustersCommand } from './clusters.js';
import { gateCommand } from './gate.js';
import { readinessCommand } from './readiness.js';
import { agreementCommand } from './agreement.js';
import { reviewCommand } from './review.js';
import { constitutionCommand } from './constitution.js';
import { synthCommand } from './synth.js';

export const COMMANDS: Command[] = [
  serveCommand,
  migrateCommand,
  sqlCommand,
  pairsCommand,
  exportCommand,
  calibrateCommand,
  clusterCommand,
  clustersCommand,
  gateCommand,
  readinessCommand,
  demoCommand,
  agreementCommand,
  constitutionCommand,
  synthCommand,
  reviewCommand,
];
