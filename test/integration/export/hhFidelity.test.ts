// The key test: every real human preference of HH-RLHF (harmless-base test) turned into production-like
// traces + thumbs, paired in ClickHouse, exported as `hh`, comes back byte for byte; `dpo-chat` has TRL's shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { packagePath } from '../../../src/paths.js';
import type { ChatMessage, DecodedSpan, FeedbackRecord } from '../../../src/records/types.js';
import type { Store } from '../../../src/sink/Store.js';
import {
  annotate,
  apiFeedback,
  insertFeedback,
  insertSpans,
  linkedFeedbackSpan,
  llmSpan,
  tempStore,
} from '../../helpers/traces.js';
import { HH_RLHF_TEST } from '../../helpers/hhData.js';
import { sendThroughPipeline } from './hhPipeline.js';

const TURN = /\n\n(Human|Assistant): /g;

interface HhLine {
  chosen: string;
  rejected: string;
}

/** A transcript as messages; exact inverse of the `hh` renderer (content between markers, untouched). */
function parseTranscript(t: string): ChatMessage[] {
  const marks = [...t.matchAll(TURN)];
  assert.equal(marks[0]?.index, 0, 'an HH transcript starts with a turn marker');
  return marks.map((m, i) => ({
    role: m[1] === 'Human' ? 'user' : 'assistant',
    content: t.slice(m.index + m[0].length, marks[i + 1]?.index ?? t.length),
  }));
}

/** One conversation as it would be traced: spans, and the thumbs to send for its final answer. */
export interface Conversation {
  index: number;
  sessionId: string;
  /** One LLM span per assistant turn before the last: prompt = the messages before it. */
  turns: Array<{ prompt: ChatMessage[]; response: string }>;
  chosen: { prompt: ChatMessage[]; response: string };
  rejected: { prompt: ChatMessage[]; response: string };
  /** How the two thumbs travel: annotation on the span, a late linked span, or POST /v1/feedback. */
  route: 'annotation' | 'link' | 'api';
  /** Seconds after the base time. */
  time: number;
}

export function conversations(lines: HhLine[]): Conversation[] {
  return lines.map((line, index) => {
    const chosen = parseTranscript(line.chosen);
    const rejected = parseTranscript(line.rejected);
    const turns: Conversation['turns'] = [];
    chosen.slice(0, -1).forEach((m, i) => {
      if (m.role === 'assistant') turns.push({ prompt: chosen.slice(0, i), response: m.content });
    });
    return {
      index,
      sessionId: `hh-${index}`,
      turns,
      chosen: { prompt: chosen.slice(0, -1), response: chosen.at(-1)!.content },
      rejected: { prompt: rejected.slice(0, -1), response: rejected.at(-1)!.content },
      route: (['annotation', 'link', 'api'] as const)[index % 3]!,
      time: index * 100,
    };
  });
}

/** Without the pipeline: the same spans and feedback records, through the real normaliser and row mappers. */
async function insertDirect(store: Store, convs: Conversation[]): Promise<void> {
  const spans: DecodedSpan[] = [];
  const feedback: FeedbackRecord[] = [];
  for (const c of convs) {
    const traceId = (c.index + 1).toString(16).padStart(32, 'a');
    c.turns.forEach((t, j) =>
      spans.push(llmSpan({ ...t, traceId, sessionId: c.sessionId, time: c.time + j })),
    );
    // The two final answers: a regenerate, so each is its own trace; the rejected one first half the time.
    const order = c.index % 2 === 0 ? 1 : -1;
    const good = llmSpan({ ...c.chosen, sessionId: c.sessionId, time: c.time + 50 - order });
    const bad = llmSpan({ ...c.rejected, sessionId: c.sessionId, time: c.time + 50 + order });
    if (c.route === 'annotation') {
      annotate(good, { up: true });
      annotate(bad, { label: 'thumbs_down' });
    } else if (c.route === 'link') {
      spans.push(linkedFeedbackSpan([good], { label: 'positive' }, c.time + 90));
      spans.push(linkedFeedbackSpan([bad], { up: false }, c.time + 91));
    } else {
      feedback.push(apiFeedback({ traceId: good.traceId, spanId: good.spanId, up: true, time: c.time + 92 }));
      // Trace-only feedback applies to the trace's last LLM span: the rejected answer.
      feedback.push(apiFeedback({ traceId: bad.traceId, label: 'down', time: c.time + 93 }));
    }
    spans.push(good, bad);
  }
  await insertSpans(store, spans);
  await insertFeedback(store, feedback);
}

function readJsonl(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** TRL conversational preference row: prompt = messages, chosen/rejected = one assistant message each. */
function assertTrlConversational(row: Record<string, unknown>): void {
  const isMessage = (m: unknown): m is ChatMessage =>
    typeof m === 'object' &&
    m !== null &&
    Object.keys(m).sort().join() === 'content,role' &&
    typeof (m as ChatMessage).role === 'string' &&
    typeof (m as ChatMessage).content === 'string';
  assert.ok(
    Array.isArray(row.prompt) && row.prompt.length > 0 && row.prompt.every(isMessage),
    'prompt: messages',
  );
  assert.ok((row.prompt as ChatMessage[]).every((m) => ['user', 'assistant', 'system'].includes(m.role)));
  assert.equal((row.prompt as ChatMessage[]).at(-1)!.role, 'user', 'prompt ends with the user turn');
  for (const side of ['chosen', 'rejected'] as const) {
    const v = row[side] as unknown[];
    assert.ok(Array.isArray(v) && v.length === 1 && isMessage(v[0]), `${side}: one message`);
    assert.equal((v[0] as ChatMessage).role, 'assistant');
  }
}

test('HH-RLHF harmless-base: every same-prompt human preference comes back byte for byte', async () => {
  const lines = gunzipSync(readFileSync(HH_RLHF_TEST))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as HhLine);
  assert.equal(lines.length, 2312);
  const convs = conversations(lines);
  const samePrompt = convs.filter(
    (c) => JSON.stringify(c.chosen.prompt) === JSON.stringify(c.rejected.prompt),
  );
  const differing = convs.filter((c) => !samePrompt.includes(c));
  // The dataset README: 2,307 share every turn but the last reply; in the 5 others an earlier turn
  // differs, so the two final answers answer different prompts and are not a pair for anyone.
  assert.equal(samePrompt.length, 2307);

  const out = mkdtempSync(join(tmpdir(), 'prefloop-hh-out-'));
  // chDB holds one data folder per process: either the pipeline's or a direct store, never both.
  const viaPipeline = existsSync(packagePath('src', 'pipeline', 'startPrefloop.ts'));
  const { store: source, cleanup } = viaPipeline ? await sendThroughPipeline(convs) : await tempStore('hh');
  try {
    if (!viaPipeline) await insertDirect(source, convs);

    const hh = await exportPairs(source, { format: 'hh', outDir: join(out, 'hh') });
    const exported = [...readJsonl(hh.trainPath), ...readJsonl(hh.holdoutPath)];
    const got = new Set(exported.map((r) => JSON.stringify([r.chosen, r.rejected])));
    const missing = samePrompt.filter(
      (c) => !got.has(JSON.stringify([lines[c.index]!.chosen, lines[c.index]!.rejected])),
    );
    assert.deepEqual(
      missing.map((c) => `line ${c.index} (${c.route})`),
      [],
      'every same-prompt pair exported',
    );
    assert.equal(exported.length, 2307);
    assert.equal(hh.manifest.records, 2307);
    assert.deepEqual(hh.manifest.by, { feedback: 2307 });
    for (const row of exported) assert.deepEqual(Object.keys(row), ['chosen', 'rejected']);
    const key = (r: Record<string, unknown> | HhLine) => JSON.stringify([r.chosen, r.rejected]);
    const want = samePrompt.map((c) => key(lines[c.index]!)).sort();
    assert.deepEqual(
      exported.map(key).sort(),
      want,
      'exported transcripts equal the originals byte for byte',
    );
    // About 10% held out, split by prompt.
    assert.ok(hh.manifest.files.holdout.records > 150 && hh.manifest.files.holdout.records < 320);

    // The 5 differing conversations: their thumbs are unpaired KTO examples, one desirable one not.
    const kto = await source.query<{ completion: string; label: boolean }>(
      'SELECT completion, label FROM kto_examples WHERE NOT paired ORDER BY completion',
    );
    const wantKto = differing
      .flatMap((c) => [
        [c.chosen.response, true],
        [c.rejected.response, false],
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(
      kto.map((r) => [r.completion, r.label]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      wantKto,
    );

    const chat = await exportPairs(source, { format: 'dpo-chat', outDir: join(out, 'chat') });
    const train = readJsonl(chat.trainPath);
    const holdout = readJsonl(chat.holdoutPath);
    assert.equal(train.length + holdout.length, 2307);
    for (const row of [...train, ...holdout]) assertTrlConversational(row);
    const trainPrompts = new Set(train.map((r) => r.prompt_hash));
    assert.ok(
      holdout.every((r) => !trainPrompts.has(r.prompt_hash)),
      'no prompt in both files',
    );
    assert.equal(chat.manifest.files.holdout.records, hh.manifest.files.holdout.records, 'same split');
  } finally {
    await cleanup();
    rmSync(out, { recursive: true, force: true, maxRetries: 5 });
  }
});
