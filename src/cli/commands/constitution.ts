// `prefloop constitution [--out FILE]`: the rubric file's criteria as Constitutional-AI principles (JSON).
import { writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULTS } from '../../names.js';
import { packagePath } from '../../paths.js';
import { buildConstitution } from '../../reward/constitution.js';
import { loadRubricFile } from '../../score/RubricFile.js';
import type { Command } from '../Command.js';
import { resolveConfig } from '../resolve.js';

export const constitutionCommand: Command = {
  name: 'constitution',
  summary: 'the rubric file as constitution principles {name, critique, revision} for self-critique (JSON)',
  usage: '[--out FILE] [--rubrics FILE]',
  options: {
    out: { type: 'string' },
    rubrics: { type: 'string' },
  },
  help: [
    '--out FILE           write the JSON there (default: standard output)',
    '--rubrics FILE       rubric file (default: the config’s, else collector-config/rubrics.yaml)',
  ],
  async run(input) {
    const { values, io } = input;
    const rubricFile =
      (values.rubrics as string | undefined) ??
      resolveConfig(input).rubrics[0]?.file ??
      packagePath(DEFAULTS.rubricFile);
    const path = resolve(io.cwd, rubricFile);
    const set = loadRubricFile(path);
    // Named relative to the working folder where it lies below it, so a clone gives the same bytes anywhere.
    const below = relative(io.cwd, path);
    const name = below && !below.startsWith('..') && !isAbsolute(below) ? below : rubricFile;
    const constitution = buildConstitution(set, name);
    const text = JSON.stringify(constitution, null, 2) + '\n';
    const out = values.out as string | undefined;
    if (out === undefined) {
      io.stdout.write(text);
      return 0;
    }
    const target = resolve(io.cwd, out);
    try {
      writeFileSync(target, text);
    } catch (err) {
      throw new Error(`cannot write the constitution to ${target}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    io.stdout.write(
      `wrote ${constitution.principles.length} principles (rubric file ${name}, version ${set.hash}) to ${target}\n`,
    );
    return 0;
  },
};
