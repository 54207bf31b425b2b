// prefloop's stages (decode → normalise → score → encode rows) once over pre-encoded requests, for
// `npm run bench:instructions` (bench/instructions.ts), which counts the instructions this takes. Plain
// JavaScript over a compiled dist/ folder named on the command line, so the same harness runs every revision:
//   node bench/instructionsHarness.mjs <dist folder> <requests file> <rubric file>
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, requestsFile, rubricFile] = process.argv.slice(2);
if (!dist || !requestsFile || !rubricFile) {
  throw new Error('usage: node bench/instructionsHarness.mjs <dist folder> <requests file> <rubric file>');
}
const load = (path) => import(pathToFileURL(join(dist, path)).href);
/** The first of `paths` the revision has: modules moved between folders across revisions. */
const loadFirst = async (...paths) => {
  for (const path of paths) if (existsSync(join(dist, path))) return load(path);
  throw new Error(`${dist} has none of ${paths.join(', ')}`);
};
const { decodeProtobuf } = await load('receive/decodeProtobuf.js');
const { normalizeSpan } = await load('normalize/normalizeSpan.js');
const { Scorer } = await load('score/Scorer.js');
const { parseRubricFile } = await load('score/RubricFile.js');
const { addEvaluationAttributes } = await loadFirst(
  'records/evaluationAttributes.js',
  'score/evaluationAttributes.js',
);
const batches = await load('sink/batches.js');
/** The row encoder, by its name in the revision (encodeInput before it was renamed). */
const encodeRequest = batches.encodeRequest ?? batches.encodeInput;
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
  bytes += encodeRequest({ spans: records, feedback: [], evaluations: [] }).bytes;
  spans += records.length;
}
// The caller compares these between revisions: the same spans encoded to a different size is a change of output.
console.log(`RESULT ${JSON.stringify({ spans, bytes })}`);
