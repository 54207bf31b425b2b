// prefloop's stages (decode → normalise → score → encode rows) once over pre-encoded requests, for
// `npm run bench:instructions` (bench/instructions.ts), which counts the instructions this takes. Plain
// JavaScript over a compiled dist/ folder named on the command line, so the same harness runs every revision:
//   node bench/instructionsHarness.mjs <dist folder> <requests file> <rubric file>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, requestsFile, rubricFile] = process.argv.slice(2);
if (!dist || !requestsFile || !rubricFile) {
  throw new Error('usage: node bench/instructionsHarness.mjs <dist folder> <requests file> <rubric file>');
}
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { decodeProtobuf } = await load('receive/decodeProtobuf.js');
const { normalizeSpan } = await load('normalize/normalizeSpan.js');
const { Scorer } = await load('score/Scorer.js');
const { parseRubricFile } = await load('score/RubricFile.js');
const { addEvaluationAttributes } = await load('score/evaluationAttributes.js');
const { encodeInput } = await load('sink/batches.js');
const { Metrics } = await load('observe/Metrics.js');

/** The requests file: each request body preceded by its length (uint32, little-endian). */
function readRequests(file) {
  const all = readFileSync(file);
  const bodies = [];
  for (let at = 0; at < all.length;) {
    const length = all.readUInt32LE(at);
    bodies.push(all.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return bodies;
}

const set = parseRubricFile(readFileSync(rubricFile));
// With a metrics registry, as the pipeline runs it.
const scorer = new Scorer(set, { metrics: new Metrics(), skipJudges: true });
let spans = 0;
let bytes = 0;
for (const body of readRequests(requestsFile)) {
  const records = decodeProtobuf(body).spans.map((span) => normalizeSpan(span));
  for (const record of records) addEvaluationAttributes(record, scorer.scoreSync(record), set.hash);
  bytes += encodeInput({ spans: records, feedback: [], evaluations: [] }).bytes;
  spans += records.length;
}
// The caller compares these between revisions: the same spans encoded to a different size is a change of output.
console.log(`RESULT ${JSON.stringify({ spans, bytes })}`);
