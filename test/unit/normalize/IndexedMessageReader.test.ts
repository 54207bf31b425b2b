// IndexedMessageReader gives exactly the messages and documents read through indexedEntries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexedEntries, subEntries, text } from '../../../src/normalize/indexedAttributes.js';
import { IndexedMessageReader } from '../../../src/normalize/IndexedMessageReader.js';
import type { AttrMap, ChatMessage } from '../../../src/records/types.js';

/** The definition: one message per index of the grouped entries, multi-part texts when there is no content. */
function messagesOf(attributes: AttrMap, prefix: string): ChatMessage[] {
  return indexedEntries(attributes, prefix).map(([, fields]) => {
    let content = text(fields.get('message.content'));
    if (content === '')
      content = subEntries(fields, 'message.contents')
        .map((part) => text(part.get('message_content.text')))
        .filter((t) => t !== '')
        .join('\n');
    return { role: text(fields.get('message.role')), content };
  });
}

test('messages and documents match indexedEntries on interleaved, unordered, repeated and multi-part keys', () => {
  const reader = new IndexedMessageReader();
  const cases: AttrMap[] = [
    {},
    { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'hi' },
    {
      'llm.input_messages.2.message.role': 'user',
      'llm.input_messages.10.message.content': 'ten',
      'llm.input_messages.1.message.content': 7n,
      'llm.input_messages.2.message.content': 'two',
      'llm.input_messages.01.message.role': 'System',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.3.message.tool_calls.0.tool_call.function.name': 'f',
      'llm.input_messages.x.message.role': 'skipped',
      'llm.input_messages.4.message.contents.1.message_content.text': 'b',
      'llm.input_messages.4.message.contents.0.message_content.text': 'a',
      'llm.input_messages.4.message.contents.0.message_content.type': 'text',
      'llm.input_messages.5.message.content': '',
      'llm.input_messages.5.message.contents.0.message_content.text': ['x', 1],
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': null,
      'llm.output_messages.0.message.contents.0.message_content.text': 'part',
      'llm.output_messages.1.message.content': 'second',
      'retrieval.documents.1.document.content': 'd1',
      'retrieval.documents.0.document.content': 'd0',
      'retrieval.documents.0.document.score': 0.5,
    },
  ];
  for (const attributes of cases) {
    const got = reader.read(attributes);
    assert.deepEqual(got.input, messagesOf(attributes, 'llm.input_messages'));
    assert.deepEqual(got.output, messagesOf(attributes, 'llm.output_messages'));
    assert.deepEqual(got.documents, indexedEntries(attributes, 'retrieval.documents'));
  }
});
