// The rubric file as a constitution for Constitutional-AI self-critique: one principle per rubric, its critique
// and revision requests in the form those pipelines use. Pure and deterministic: the same file gives the same
// bytes, and the file's hash names the version.
import type { Rubric, RubricSet } from '../score/RubricFile.js';
import { builtinPrinciple } from './principles.js';

/** One constitution clause. */
export interface Principle {
  /** The rubric id. */
  name: string;
  /** "Identify specific ways in which the assistant's last response …" */
  critique: string;
  /** "Please rewrite the assistant response to …" */
  revision: string;
  /** Where the clause comes from: a built-in evaluator or a judge's criteria. */
  evaluator: string;
  /** What the rubric checks, for people reading the constitution. */
  checks: string;
  /** The rubric's own description, when it has one. */
  description?: string;
  /** A release gate may never regress on this rubric. */
  critical: boolean;
  /** `<rubric id>@<rubric version>`, as the scores in the store carry it. */
  identifier: string;
}

export interface Constitution {
  /** The rubric file it was made from, as named. */
  rubric_file: string;
  /** The rubric file's hash (its set version). */
  rubric_version: string;
  principles: Principle[];
}

const CRITIQUE = "Identify specific ways in which the assistant's last response";
const REVISION = 'Please rewrite the assistant response to';

/** Every rubric of the file, in file order, as a principle. `fileName` is how the output names the file. */
export function buildConstitution(set: RubricSet, fileName: string = set.source): Constitution {
  return {
    rubric_file: fileName,
    rubric_version: set.hash,
    principles: set.rubrics.map(principleOf),
  };
}

function principleOf(rubric: Rubric): Principle {
  const description = rubric.description.trim();
  let clause: Pick<Principle, 'critique' | 'revision' | 'checks'>;
  // The description is part of the rubric's criteria for judge and built-in rubrics alike (unless it only
  // repeats the judge's criteria), so a self-critique weighs what the rubric's author meant by it.
  const also = description ? ` Keep in mind: ${sentence(oneParagraph(description))}` : '';
  if (rubric.judge) {
    const criteria = oneParagraph(rubric.judge.criteria);
    const extra = oneParagraph(description) === criteria ? '' : also;
    clause = {
      critique: `${sentence(`${CRITIQUE} falls short of these criteria: ${criteria}`)}${extra}`,
      revision: `${REVISION} meet these criteria fully: ${criteria}`,
      checks: `An LLM judge grades the answer against: ${criteria}`,
    };
  } else {
    const p = builtinPrinciple(rubric);
    const params = (rubric.params ?? {}) as Record<string, unknown>;
    clause = {
      critique: `${CRITIQUE} ${p.fault(params)}.${also}`,
      revision: `${REVISION} ${p.fix(params)}.`,
      checks: p.checks(params),
    };
  }
  // The three fields a self-critique pipeline reads come first; the rest is for people and tooling.
  return {
    name: rubric.id,
    critique: clause.critique,
    revision: clause.revision,
    evaluator: rubric.evaluator,
    checks: clause.checks,
    ...(description ? { description } : {}),
    critical: rubric.critical,
    identifier: `${rubric.id}@${rubric.version}`,
  };
}

/** Criteria written over several YAML lines, as one line of text. */
function oneParagraph(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
