import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import { promptHash } from '../../../src/normalize/promptIdentity.js';
import { span } from './spans.js';

test('OpenInference LLM span: messages in numeric order, response, model, tokens, session, documents', () => {
  const attrs: Record<string, string | bigint | number> = {
    'openinference.span.kind': 'LLM',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': 'Paris.',
    'llm.model_name': 'gpt-4o-mini',
    'llm.token_count.prompt': 31n,
    'llm.token_count.completion': 2n,
    'session.id': 's-1',
    'user.id': 'u-9',
    'retrieval.documents.1.document.content': 'second',
    'retrieval.documents.0.document.content': 'first',
    'retrieval.documents.0.document.score': 0.9,
    'retrieval.documents.0.document.id': 'd0',
  };
  // Eleven messages, inserted in reverse so lexicographic order (0, 1, 10, 2…) would be wrong.
  for (let i = 10; i >= 0; i--) {
    attrs[`llm.input_messages.${i}.message.role`] = i === 0 ? ' System ' : i % 2 ? 'user' : 'assistant';
    attrs[`llm.input_messages.${i}.message.content`] = `m${i}`;
  }
  const r = normalizeSpan(span(attrs));
  assert.deepEqual(
    r.prompt.map((m) => m.content),
    ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'],
  );
  assert.equal(r.prompt[0]!.role, 'system');
  assert.equal(r.response, 'Paris.');
  assert.equal(r.isLlm, true);
  assert.equal(r.llmKind, 'LLM');
  assert.equal(r.model, 'gpt-4o-mini');
  assert.equal(r.tokensPrompt, 31);
  assert.equal(r.tokensCompletion, 2);
  assert.equal(r.sessionId, 's-1');
  assert.equal(r.userId, 'u-9');
  assert.equal(r.serviceName, 'chat-api');
  assert.deepEqual(r.documents, [{ content: 'first', score: 0.9, id: 'd0' }, { content: 'second' }]);
  assert.match(r.promptHash, /^[0-9a-f]{64}$/);
  assert.equal(r.promptClass, r.promptHash);
});

test('multi-part message contents are joined in order', () => {
  const r = normalizeSpan(
    span({
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.1.message_content.text': 'world',
      'llm.input_messages.0.message.contents.0.message_content.text': 'hello',
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'output.value': 'hi',
    }),
  );
  assert.deepEqual(r.prompt, [{ role: 'user', content: 'hello\nworld' }]);
  assert.equal(r.response, 'hi');
});

test('input.value fallback: plain text is one user message, JSON with messages is parsed', () => {
  const plain = normalizeSpan(
    span({ 'openinference.span.kind': 'LLM', 'input.value': 'Hi?', 'output.value': 'Yo' }),
  );
  assert.deepEqual(plain.prompt, [{ role: 'user', content: 'Hi?' }]);
  assert.equal(plain.isLlm, true);
  const json = normalizeSpan(
    span({
      'openinference.span.kind': 'LLM',
      'input.value': JSON.stringify({
        model: 'x',
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'user', content: 'Hi?' },
        ],
      }),
      'output.value': JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'Hello' } }] }),
    }),
  );
  assert.deepEqual(json.prompt, [
    { role: 'system', content: 'Be brief' },
    { role: 'user', content: 'Hi?' },
  ]);
  assert.equal(json.response, 'Hello');
});

test('not a pair candidate: non-LLM kind, or no response', () => {
  assert.equal(
    normalizeSpan(span({ 'openinference.span.kind': 'CHAIN', 'input.value': 'a', 'output.value': 'b' }))
      .isLlm,
    false,
  );
  assert.equal(normalizeSpan(span({ 'openinference.span.kind': 'LLM', 'input.value': 'a' })).isLlm, false);
  const none = normalizeSpan(span({}));
  assert.equal(none.llmKind, '');
  assert.equal(none.promptHash, '');
});

test('GenAI span: JSON messages with parts, system instructions, conversation id, models, usage', () => {
  const r = normalizeSpan(
    span({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are terse.' }]),
      'gen_ai.input.messages': JSON.stringify([
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'Weather?' },
            { type: 'image', uri: 'x' },
          ],
        },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Sunny.' }], finish_reason: 'stop' },
      ]),
      'gen_ai.conversation.id': 'conv-7',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 5n,
      'gen_ai.usage.output_tokens': 1n,
    }),
  );
  assert.equal(r.llmKind, 'LLM');
  assert.equal(r.isLlm, true);
  assert.deepEqual(r.prompt, [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Weather?' },
  ]);
  assert.equal(r.response, 'Sunny.');
  assert.equal(r.sessionId, 'conv-7');
  assert.equal(r.model, 'gpt-4o-2024-08-06');
  assert.equal(r.tokensPrompt, 5);
  assert.equal(r.tokensCompletion, 1);
});

test('legacy GenAI gen_ai.prompt / gen_ai.completion, string and indexed forms', () => {
  const r = normalizeSpan(
    span({ 'gen_ai.system': 'openai', 'gen_ai.prompt': 'Tell a joke', 'gen_ai.completion': 'No.' }),
  );
  assert.equal(r.isLlm, true);
  assert.deepEqual(r.prompt, [{ role: 'user', content: 'Tell a joke' }]);
  assert.equal(r.response, 'No.');
  const indexed = normalizeSpan(
    span({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Q',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'A',
    }),
  );
  assert.deepEqual(indexed.prompt, [{ role: 'user', content: 'Q' }]);
  assert.equal(indexed.response, 'A');
});

test('prompt identity ignores case of roles and whitespace; prompt class attribute wins when present', () => {
  const a = promptHash([{ role: 'User', content: '  What  is\n2+2? ' }]);
  const b = promptHash([{ role: 'user ', content: 'What is 2+2?' }]);
  assert.equal(a, b);
  assert.notEqual(a, promptHash([{ role: 'system', content: 'What is 2+2?' }]));
  const attrs = {
    'openinference.span.kind': 'LLM',
    'input.value': 'q',
    'output.value': 'a',
    'llm.prompt_template.version': 'v3',
  };
  assert.equal(
    normalizeSpan(span(attrs), { promptClassAttribute: 'llm.prompt_template.version' }).promptClass,
    'v3',
  );
  const noAttr = normalizeSpan(span(attrs), { promptClassAttribute: 'absent' });
  assert.equal(noAttr.promptClass, noAttr.promptHash);
});
