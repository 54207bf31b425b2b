// Masking: hide_* options, patterns on every string, counts, and the input never mutated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luhnValid } from '../../../src/security/builtinPatterns.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import { MAX_MASK_DEPTH, maskFeedback, maskSpan, recordRedactions } from '../../../src/security/masking.js';
import type { RedactionTally } from '../../../src/security/masking.js';
import { parseMaskingConfig } from '../../../src/security/maskingConfig.js';
import type { AttrValue, DecodedSpan, FeedbackRecord } from '../../../src/records/types.js';
import { Metrics } from '../../../src/observe/Metrics.js';

function span(attributes: DecodedSpan['attributes']): DecodedSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    traceState: '',
    name: 'llm',
    kind: 1,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes,
    events: [{ timeUnixNano: 1n, name: 'note', attributes: { 'input.value': 'mail bob@example.com' } }],
    links: [],
    statusCode: 0,
    statusMessage: 'failed for carol@example.org',
    resource: { 'service.name': 'chat', owner: 'ops@example.com' },
    scopeName: 's',
    scopeVersion: '1',
  };
}

const llmAttrs = {
  'openinference.span.kind': 'LLM',
  'input.value': 'my email is alice@example.com',
  'output.value': 'ok alice@example.com',
  'llm.input_messages.0.message.role': 'user',
  'llm.input_messages.0.message.content': 'hi',
  'llm.output_messages.0.message.content': 'hello',
  'embedding.embeddings.0.embedding.vector': [0.1, 0.2],
  'embedding.embeddings.0.embedding.text': 'kept',
  'gen_ai.prompt': 'secret prompt',
};

test('hide_inputs replaces input values and drops input messages, on spans and events', () => {
  const input = span({ ...llmAttrs });
  const snapshot = structuredClone(input);
  const tally: RedactionTally = new Map();
  const out = maskSpan(input, parseMaskingConfig({ hide_inputs: true }), tally);
  assert.deepEqual(input, snapshot, 'input untouched');
  assert.equal(out.attributes['input.value'], '__REDACTED__');
  assert.equal(out.attributes['gen_ai.prompt'], '__REDACTED__');
  assert.equal(out.attributes['llm.input_messages.0.message.content'], undefined);
  assert.equal(out.attributes['llm.input_messages.0.message.role'], undefined);
  assert.equal(out.attributes['output.value'], 'ok alice@example.com');
  assert.equal(out.attributes['llm.output_messages.0.message.content'], 'hello');
  assert.equal(out.events[0]!.attributes['input.value'], '__REDACTED__');
  assert.equal(tally.get('hide_inputs'), 5);
});

test('hide_outputs, hide_output_messages and hide_embedding_vectors', () => {
  const out = maskSpan(
    span({ ...llmAttrs }),
    parseMaskingConfig({ hide_outputs: true, hide_embedding_vectors: true, hide_input_messages: true }),
  );
  assert.equal(out.attributes['output.value'], '__REDACTED__');
  assert.equal(out.attributes['llm.output_messages.0.message.content'], undefined);
  assert.equal(out.attributes['embedding.embeddings.0.embedding.vector'], undefined);
  assert.equal(out.attributes['embedding.embeddings.0.embedding.text'], 'kept');
  assert.equal(out.attributes['llm.input_messages.0.message.content'], undefined);
  assert.equal(out.attributes['input.value'], 'my email is alice@example.com');
});

test('the indexed GenAI form (gen_ai.prompt.N.*, gen_ai.completion.N.*) is hidden as messages are', () => {
  // OpenLLMetry writes prompts and completions this way, and the normaliser reads them as the prompt and the
  // response: left in place, hide_inputs stored the prompt in SpanAttributes and PromptMessages.
  const genAi = {
    'gen_ai.system': 'openai',
    'gen_ai.prompt.0.role': 'user',
    'gen_ai.prompt.0.content': 'my diagnosis',
    'gen_ai.completion.0.role': 'assistant',
    'gen_ai.completion.0.content': 'the answer',
    'gen_ai.prompt_tokens_note': 'kept: not an indexed message',
  };
  for (const [config, gone, kept] of [
    [{ hide_inputs: true }, 'gen_ai.prompt.0.content', 'gen_ai.completion.0.content'],
    [{ hide_input_messages: true }, 'gen_ai.prompt.0.role', 'gen_ai.completion.0.role'],
    [{ hide_outputs: true }, 'gen_ai.completion.0.content', 'gen_ai.prompt.0.content'],
    [{ hide_output_messages: true }, 'gen_ai.completion.0.role', 'gen_ai.prompt.0.role'],
  ] as const) {
    const out = maskSpan(span({ ...genAi }), parseMaskingConfig(config));
    assert.equal(out.attributes[gone], undefined, `${JSON.stringify(config)} drops ${gone}`);
    assert.equal(out.attributes[kept], genAi[kept], `${JSON.stringify(config)} keeps ${kept}`);
    assert.equal(out.attributes['gen_ai.prompt_tokens_note'], genAi['gen_ai.prompt_tokens_note']);
  }
  const record = normalizeSpan(
    maskSpan(span({ ...genAi }), parseMaskingConfig({ hide_inputs: true, hide_outputs: true })),
  );
  assert.deepEqual(record.prompt, []);
  assert.equal(record.response, '');
});

test('built-in patterns redact everywhere a string is stored, and are counted', () => {
  const tally: RedactionTally = new Map();
  const input = span({
    ...llmAttrs,
    nested: { list: ['card 4111 1111 1111 1111', 'not a card 1234 5678 9012 3456'] } as AttrValue,
    key: 'use sk-proj-abcdefghijklmnopqrstuvwxyz0123 now',
  });
  const snapshot = structuredClone(input);
  const out = maskSpan(
    input,
    parseMaskingConfig({ builtin_patterns: ['emails', 'cards', 'api_keys'] }),
    tally,
  );
  assert.deepEqual(input, snapshot);
  assert.equal(out.attributes['input.value'], 'my email is __REDACTED__');
  assert.deepEqual(out.attributes.nested, {
    list: ['card __REDACTED__', 'not a card 1234 5678 9012 3456'],
  });
  assert.equal(out.attributes.key, 'use __REDACTED__ now');
  assert.equal(out.statusMessage, 'failed for __REDACTED__');
  assert.equal(out.resource.owner, '__REDACTED__');
  assert.equal(out.events[0]!.attributes['input.value'], 'mail __REDACTED__');
  assert.equal(tally.get('pattern:emails'), 5);
  assert.equal(tally.get('pattern:cards'), 1);
  assert.equal(tally.get('pattern:api_keys'), 1);
  const metrics = new Metrics();
  recordRedactions(metrics, tally);
  assert.equal(metrics.get('prefloop_masked_values_total', { reason: 'pattern:emails' }), 5);
});

test('an integer is masked by its decimal text: int and double attributes cannot carry a card past the patterns', () => {
  const tally: RedactionTally = new Map();
  const input = span({
    card_int: 4111111111111111n,
    card_double: 4111111111111111,
    list: [5500000000000004n, 42n],
    count: 42n,
    ratio: 0.5,
    // A fraction's digits are not a number anyone sent: 8888888888888888 passes Luhn, the value stays.
    fraction: 0.8888888888888888,
  });
  const out = maskSpan(input, parseMaskingConfig({ builtin_patterns: ['cards'] }), tally);
  assert.equal(out.attributes.card_int, '__REDACTED__');
  assert.equal(out.attributes.card_double, '__REDACTED__');
  assert.deepEqual(out.attributes.list, ['__REDACTED__', 42n]);
  assert.equal(out.attributes.count, 42n, 'an untouched number keeps its type');
  assert.equal(out.attributes.ratio, 0.5);
  assert.equal(out.attributes.fraction, 0.8888888888888888);
  assert.equal(tally.get('pattern:cards'), 3);
});

test('a card next to other digits is still redacted: the expiry, a CVV or an order number after it, digits before it', () => {
  const tally: RedactionTally = new Map();
  const cases: [string, string][] = [
    // A greedy match took "4111 1111 1111 1111 12" (18 digits), failed Luhn, and left the card as sent.
    ['card 4111 1111 1111 1111 12/25', 'card __REDACTED__ 12/25'],
    ['4111111111111111 123', '__REDACTED__ 123'],
    ['ref 123 4111-1111-1111-1111 exp', 'ref 123 __REDACTED__ exp'],
    ['two: 4111111111111111 5500 0000 0000 0004 9', 'two: __REDACTED__ __REDACTED__ 9'],
    ['1234 5678 9012 4111 1111 1111 1111', '1234 5678 9012 __REDACTED__'],
    // Not cards: no Luhn-valid group-aligned 13-19 digits, or not on a word boundary.
    ['4111 1111 1111 1112 3', '4111 1111 1111 1112 3'],
    ['x4111111111111111', 'x4111111111111111'],
    ['41111111111111111111', '41111111111111111111'],
  ];
  const config = parseMaskingConfig({ builtin_patterns: ['cards'] });
  for (const [text, want] of cases)
    assert.equal(maskSpan(span({ text }), config, tally).attributes.text, want, text);
  assert.equal(tally.get('pattern:cards'), 6);
});

test('user patterns with their own replacement and flags', () => {
  const out = maskSpan(
    span({ 'input.value': 'Order ORD-1234 and ord-9' }),
    parseMaskingConfig({
      patterns: [{ name: 'order', regex: 'ord-\\d+', flags: 'i', replacement: '<order>' }],
    }),
  );
  assert.equal(out.attributes['input.value'], 'Order <order> and <order>');
});

test('an inactive config or no match returns the very same span', () => {
  const s = span({ 'input.value': 'nothing here' });
  s.events = [];
  s.statusMessage = '';
  s.resource = {};
  assert.equal(maskSpan(s, parseMaskingConfig({})), s);
  assert.equal(maskSpan(s, parseMaskingConfig({ builtin_patterns: ['emails'] })), s);
});

test('deep nesting is replaced whole instead of recursing without bound', () => {
  let deep: AttrValue = 'alice@example.com';
  for (let i = 0; i < 10_000; i++) deep = { k: deep };
  const tally: RedactionTally = new Map();
  const out = maskSpan(span({ deep }), parseMaskingConfig({ builtin_patterns: ['emails'] }), tally);
  let node = out.attributes.deep;
  let depth = 0;
  while (node && typeof node === 'object' && !Array.isArray(node) && !(node instanceof Uint8Array)) {
    node = (node as Record<string, AttrValue>).k!;
    depth++;
  }
  assert.equal(depth, MAX_MASK_DEPTH);
  assert.equal(node, '__REDACTED__');
  assert.equal(tally.get('too_deep'), 1);
});

test('a hostile __proto__ key is copied as data, never as a prototype', () => {
  const attrs = JSON.parse('{"__proto__": "x@example.com", "a": "b@example.com"}') as Record<
    string,
    AttrValue
  >;
  const out = maskSpan(span(attrs), parseMaskingConfig({ builtin_patterns: ['emails'] }));
  assert.equal(Object.getPrototypeOf(out.attributes), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(out.attributes, '__proto__')?.value, '__REDACTED__');
  assert.equal(out.attributes.a, '__REDACTED__');
});

test('maskFeedback redacts label, explanation and JSON metadata, keeps trace and span ids', () => {
  const fb: FeedbackRecord = {
    feedbackId: 'f1',
    timeUnixNano: 1n,
    traceId: 't',
    spanId: 's',
    sessionId: 'sess',
    name: 'user_feedback',
    score: 1,
    label: 'good',
    explanation: 'reach me at dan@example.com',
    annotatorKind: 'HUMAN',
    annotatorId: 'u1',
    identifier: '',
    origin: 'api',
    metadata: JSON.stringify({ contact: 'dan@example.com', n: 1 }),
  };
  const out = maskFeedback(fb, parseMaskingConfig({ builtin_patterns: ['emails'] }));
  assert.equal(out.explanation, 'reach me at __REDACTED__');
  assert.deepEqual(JSON.parse(out.metadata), { contact: '__REDACTED__', n: 1 });
  assert.equal(out.traceId, 't');
  assert.equal(fb.explanation, 'reach me at dan@example.com');
});

test('built-in patterns: ssn, ipv4, jwt; Luhn', () => {
  const out = maskSpan(
    span({
      a: 'ssn 123-45-6789 ip 10.0.0.255 version 1.2.3',
      b: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    }),
    parseMaskingConfig({ builtin_patterns: ['us_ssn', 'ipv4', 'jwts'] }),
  );
  assert.equal(out.attributes.a, 'ssn __REDACTED__ ip __REDACTED__ version 1.2.3');
  assert.equal(out.attributes.b, 'token __REDACTED__');
  assert.equal(luhnValid('4111111111111111'), true);
  assert.equal(luhnValid('4111111111111112'), false);
});

test('the rest of the OpenInference trace config: message text, images, prompts, choices, parameters, embedding text', () => {
  const attrs = {
    'openinference.span.kind': 'LLM',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'my diagnosis',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.contents.0.message_content.type': 'text',
    'llm.input_messages.1.message.contents.0.message_content.text': 'see the scan',
    'llm.input_messages.1.message.contents.1.message_content.type': 'image',
    'llm.input_messages.1.message.contents.1.message_content.image.image.url': 'data:image/png;base64,AAAA',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': 'rest and fluids',
    'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"my diagnosis"}]}]',
    'gen_ai.system_instructions': 'You are a nurse.',
    'gen_ai.prompt': '[{"role":"user","content":"my diagnosis"}]',
    'llm.prompts': ['complete: my diagnosis'],
    'llm.prompts.0.prompt.text': 'complete: my diagnosis',
    'llm.choices.0.completion.text': 'rest and fluids',
    'llm.invocation_parameters': '{"temperature":0.2,"system":"You are a nurse."}',
    'embedding.embeddings.0.embedding.text': 'my diagnosis',
    'embedding.embeddings.0.embedding.vector': [0.1, 0.2],
  };
  const masked = (config: Record<string, unknown>) => {
    const tally: RedactionTally = new Map();
    const out = maskSpan(span({ ...attrs }), parseMaskingConfig(config), tally);
    return { a: out.attributes, tally };
  };

  const text = masked({ hide_input_text: true });
  assert.equal(text.a['llm.input_messages.0.message.content'], '__REDACTED__');
  assert.equal(text.a['llm.input_messages.0.message.role'], 'user', 'roles and order are kept');
  assert.equal(text.a['llm.input_messages.1.message.contents.0.message_content.text'], '__REDACTED__');
  assert.equal(text.a['llm.input_messages.1.message.contents.0.message_content.type'], 'text');
  assert.equal(text.a['gen_ai.input.messages'], '__REDACTED__', 'a GenAI JSON list is replaced whole');
  assert.equal(text.a['gen_ai.system_instructions'], '__REDACTED__');
  assert.equal(text.a['gen_ai.prompt'], '__REDACTED__', 'the flat legacy list too');
  assert.equal(text.a['llm.output_messages.0.message.content'], 'rest and fluids');
  assert.equal(text.tally.get('hide_input_text'), 5);
  assert.deepEqual(
    normalizeSpan(span(text.a)).prompt.map((m) => m.content),
    ['__REDACTED__', '__REDACTED__'],
  );

  const out = masked({ hide_output_text: true });
  assert.equal(out.a['llm.output_messages.0.message.content'], '__REDACTED__');
  assert.equal(out.a['llm.output_messages.0.message.role'], 'assistant');
  assert.equal(out.a['llm.input_messages.0.message.content'], 'my diagnosis');

  const images = masked({ hide_input_images: true });
  assert.equal(
    images.a['llm.input_messages.1.message.contents.1.message_content.image.image.url'],
    undefined,
  );
  assert.equal(images.a['llm.input_messages.1.message.contents.1.message_content.type'], 'image');
  assert.equal(images.a['llm.input_messages.1.message.contents.0.message_content.text'], 'see the scan');

  const prompts = masked({ hide_prompts: true, hide_choices: true, hide_llm_invocation_parameters: true });
  assert.equal(prompts.a['llm.prompts'], undefined);
  assert.equal(prompts.a['llm.prompts.0.prompt.text'], undefined);
  assert.equal(prompts.a['llm.choices.0.completion.text'], undefined);
  assert.equal(prompts.a['llm.invocation_parameters'], '__REDACTED__');
  assert.equal(prompts.a['llm.input_messages.0.message.content'], 'my diagnosis');

  const both = masked({ hide_inputs: true, hide_outputs: true });
  assert.equal(both.a['llm.prompts.0.prompt.text'], undefined, 'hide_inputs covers completions-API prompts');
  assert.equal(both.a['llm.choices.0.completion.text'], undefined, 'hide_outputs covers choices');
  assert.equal(both.tally.get('hide_prompts'), undefined, 'counted under hide_inputs');

  const embeddings = masked({ hide_embeddings_text: true });
  assert.equal(embeddings.a['embedding.embeddings.0.embedding.text'], '__REDACTED__');
  assert.deepEqual(embeddings.a['embedding.embeddings.0.embedding.vector'], [0.1, 0.2]);

  // hide_input_text under hide_inputs: the messages are dropped, as hide_inputs says.
  const all = masked({ hide_inputs: true, hide_input_text: true });
  assert.equal(all.a['llm.input_messages.0.message.content'], undefined);
  assert.equal(all.a['gen_ai.input.messages'], undefined);
  assert.equal(all.a['gen_ai.system_instructions'], '__REDACTED__');
  assert.equal(all.tally.get('hide_input_text'), undefined);
});

test('names, trace states, attribute keys (nested too) and event names are masked like values', () => {
  const s: DecodedSpan = {
    ...span({ 'user:eve@example.com': 'v', nested: { 'to:eve@example.com': 'x' } }),
    name: 'reply to eve@example.com',
    traceState: 'k=eve@example.com',
    scopeName: 'scope eve@example.com',
    scopeVersion: '1 eve@example.com',
    events: [{ timeUnixNano: 1n, name: 'sent eve@example.com', attributes: {} }],
    links: [{ traceId: 't', spanId: 's', traceState: 'k=eve@example.com', attributes: {} }],
  };
  const out = maskSpan(s, parseMaskingConfig({ builtin_patterns: ['emails'] }));
  assert.equal(out.name, 'reply to __REDACTED__');
  assert.equal(out.traceState, 'k=__REDACTED__');
  assert.equal(out.scopeName, 'scope __REDACTED__');
  assert.equal(out.scopeVersion, '1 __REDACTED__');
  assert.equal(out.events[0]!.name, 'sent __REDACTED__');
  assert.equal(out.links[0]!.traceState, 'k=__REDACTED__');
  assert.deepEqual(out.attributes, { 'user:__REDACTED__': 'v', nested: { 'to:__REDACTED__': 'x' } });
  assert.equal(s.name, 'reply to eve@example.com', 'the input is not changed');
});

test('maskFeedback masks name, session and annotator ids, and a session id exactly as on the span', () => {
  const config = parseMaskingConfig({ builtin_patterns: ['emails'] });
  const fb = maskFeedback(
    {
      feedbackId: 'f1',
      timeUnixNano: 1n,
      traceId: '',
      spanId: '',
      sessionId: 'sess-eve@example.com',
      name: 'rating eve@example.com',
      score: 1,
      label: '',
      explanation: '',
      annotatorKind: 'HUMAN',
      annotatorId: 'eve@example.com',
      identifier: '',
      origin: 'api',
      metadata: JSON.stringify({ 'by eve@example.com': 1 }),
    },
    config,
  );
  assert.equal(fb.name, 'rating __REDACTED__');
  assert.equal(fb.annotatorId, '__REDACTED__');
  assert.deepEqual(JSON.parse(fb.metadata), { 'by __REDACTED__': 1 });
  const onSpan = maskSpan(span({ 'session.id': 'sess-eve@example.com' }), config);
  assert.equal(fb.sessionId, onSpan.attributes['session.id']);
});
