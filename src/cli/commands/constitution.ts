// `prefloop constitution [--out FILE]`: the rubric file's criteria as Constitutional-AI principles (JSON).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
    const set = loadRubricFile(resolve(io.cwd, rubricFile));
    // Named as given, not by absolute path, so the same file gives the same bytes on every machine.
    const constitution = buildConstitution(set, rubricFile);
    const text = JSON.stringify(constitution, null, 2) + '\n';
    const out = values.out as string | undefined;
    if (out === undefined) {
      io.stdout.write(text);
      return 0;
    }
    const path = resolve(io.cwd, out);
    try {
      writeFileSync(path, text);
    } catch (err) {
      throw new Error(`cannot write the constitution to ${path}: ${(err as Error).message}`, { cause: err });
    }
    io.stdout.write(
      `wrote ${constitution.principles.length} principles (rubric file ${rubricFile}, version ${set.hash}) to ${path}\n`,
    );
    return 0;
  },
};
