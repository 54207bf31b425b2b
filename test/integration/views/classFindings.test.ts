// The maintained pairs' per-class rules (src/views/maintain/rubric_findings.sql, session_findings.sql) give
// exactly what pair_keys_rubric and pair_keys_session give for the same prompt classes, for all of them at once
// and for each alone. Rubric: weighted rubrics (one lower-is-better), a score under the noise floor, another
// rubric version, a re-scored answer (latest counts), a lone answer, answers scored by different rubric sets.
// Session: outcomes by session thumbs, by attribute and by a task-completion rubric, the oldest-first zip, a
// session with no outcome, a session whose later turns are of another class.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/sink/Store.js';
import { rubricFindings, sessionFindings } from '../../../src/views/maintain/findings.js';
import { writePairSettings, writeRubricPairConfig } from '../../../src/views/rubricPairConfig.js';
import {
  apiFeedback,
  ask,
  insertFeedback,
  insertScores,
  insertSpans,
  llmSpan,
  tempStore,
} from '../../helpers/traces.js';

let store: Store;
let cleanup: () => Promise<void>;
before(async () => {
  ({ store, cleanup } = await tempStore('views-class-findings'));
  await writeRubricPairConfig(store, [
    { rubricId: 'helpful', rubricVersion: '2', noiseFloor: 0.1, higherIsBetter: true, weight: 2 },
    { rubricId: 'toxicity', rubricVersion: '1', noiseFloor: 0.1, higherIsBetter: false, weight: 1 },
    {
      rubricId: 'done',
      rubricVersion: '1',
      noiseFloor: 0,
      higherIsBetter: true,
      weight: 0,
      taskCompletion: true,
    },
  ]);
  await writePairSettings(store, { sessionOutcomeAttribute: 'app.outcome' });
  const r = (prompt: string, response: string, time: number) =>
    llmSpan({ prompt: ask(prompt), response, time });
  const [a, b, c, d, e, f, lone, v1, v2] = [
    r('r1', 'A', 1),
    r('r1', 'B', 2),
    r('r1', 'C', 3),
    r('r1', 'D', 4),
    r('r2', 'E', 1),
    r('r2', 'F', 2),
    r('r3', 'lone', 1),
    r('r4', 'old version', 1),
    r('r4', 'new version', 2),
  ];
  await insertSpans(store, [a!, b!, c!, d!, e!, f!, lone!, v1!, v2!]);
  await insertScores(store, [
    { span: a!, rubricId: 'helpful', rubricVersion: '2', score: 0.9 },
    { span: a!, rubricId: 'toxicity', score: 0.1 },
    { span: b!, rubricId: 'helpful', rubricVersion: '2', score: 0.2 },
    { span: b!, rubricId: 'toxicity', score: 0.8 },
    { span: c!, rubricId: 'helpful', rubricVersion: '2', score: 0.5 },
    { span: c!, rubricId: 'toxicity', score: 0.5 },
    { span: d!, rubricId: 'helpful', rubricVersion: '2', score: 0.7 },
    { span: d!, rubricId: 'toxicity', score: 0.5 },
    { span: e!, rubricId: 'helpful', rubricVersion: '2', score: 0.6 },
    { span: f!, rubricId: 'helpful', rubricVersion: '2', score: 0.58 },
    { span: lone!, rubricId: 'helpful', rubricVersion: '2', score: 1 },
    { span: v1!, rubricId: 'helpful', rubricVersion: '1', score: 1 },
    { span: v2!, rubricId: 'helpful', rubricVersion: '2', score: 0 },
  ]);
  const four = [1, 2, 3, 4].map((i) => r('r5', `G${i}`, i));
  await insertSpans(store, four);
  await insertScores(
    store,
    four.flatMap((span, i) => [
      { span, rubricId: 'helpful', rubricVersion: '2', score: i / 4 },
      { span, rubricId: 'toxicity', score: 1 - i / 4 },
    ]),
  );
  // Re-scored: d's latest helpful score is low.
  await insertScores(store, [{ span: d!, rubricId: 'helpful', rubricVersion: '2', score: 0.05, time: 60 }]);

  const open = (s: string, response: string, t: number, attrs?: Record<string, string>) =>
    llmSpan({ prompt: ask('book a flight'), response, sessionId: s, time: t, attributes: attrs });
  const s4 = open('cs4', 'try later', 4);
  await insertSpans(store, [
    open('cs1', 'which date?', 1),
    open('cs2', 'cannot help', 2),
    open('cs3', 'sure, where to?', 3, { 'app.outcome': 'resolved' }),
    s4,
    open('cs5', 'no outcome', 5),
    open('cs8', 'booked', 9, { 'app.outcome': 'completed' }),
    open('cs6', 'hello', 6, { 'app.outcome': 'failed' }),
    // A later turn of cs6 in another class: its opening stays in 'book a flight'.
    llmSpan({ prompt: ask('and a hotel?'), response: 'no', sessionId: 'cs6', time: 7 }),
    llmSpan({
      prompt: ask('and a hotel?'),
      response: 'yes',
      sessionId: 'cs7',
      time: 8,
      attributes: { 'app.outcome': 'success' },
    }),
  ]);
  await insertFeedback(store, [
    apiFeedback({ sessionId: 'cs1', up: true }),
    apiFeedback({ sessionId: 'cs2', up: false }),
    apiFeedback({ sessionId: 'cs3', up: false, annotatorId: 'u1' }),
  ]);
  await insertScores(store, [{ span: s4, rubricId: 'done', score: 0.9 }]);
});
after(async () => {
  await cleanup();
});

const canonical = (rows: object[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

for (const [source, perUnit, least] of [
  ['rubric', rubricFindings, 4],
  ['session', sessionFindings, 3],
] as const) {
  test(`${source}: all classes at once and each alone give pair_keys_${source}'s rows`, async () => {
    const live = (classes: string[]): Promise<object[]> =>
      store.query(`SELECT * FROM pair_keys_${source} WHERE prompt_class IN {c:Array(String)}`, {
        c: classes,
      });
    const classes = (
      await store.query<{ c: string }>('SELECT DISTINCT PromptClass AS c FROM llm_span_index')
    ).map((r) => r.c);
    const expected = await live(classes);
    assert.ok(expected.length >= least, `the fixture should give ${source} pairs, got ${expected.length}`);
    assert.deepEqual(canonical(await perUnit(store, classes)), canonical(expected));
    for (const c of classes) {
      assert.deepEqual(canonical(await perUnit(store, [c])), canonical(await live([c])), `class ${c}`);
    }
    assert.deepEqual(await perUnit(store, []), []);
  });
}
