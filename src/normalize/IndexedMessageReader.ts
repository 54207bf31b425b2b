// OpenInference input/output messages and retrieved documents of a span, gathered in one pass over its keys.
import { OI } from '../conventions.js';
import { Grouping, subEntries, text } from './indexedAttributes.js';
import type { IndexedEntries } from './indexedAttributes.js';
import { IndexedKeyReader } from './IndexedKeyReader.js';
import type { KeyReading } from './IndexedKeyReader.js';
import type { AttrMap, AttrValue, ChatMessage } from '../records/types.js';

/** Which indexed attribute a key belongs to (its position in PREFIXES); output messages are 1. */
const INPUT = 0;
const DOCUMENTS = 2;
const PREFIXES = [OI.inputMessages, OI.outputMessages, OI.retrievalDocuments];

/** Which message field a key sets: the two a message is made of, a part of multi-part content, or another. */
const OTHER_FIELD = 0;
const ROLE = 1;
const CONTENT = 2;
const CONTENT_PART = 3;
const CONTENT_PARTS_HEAD = OI.messageContents + '.';
const CONTENT_TEXT = 'message_content.text';

/** How one key reads: the indexed attribute it belongs to, its index and rest, and the field it sets. */
interface Reading extends KeyReading {
  readonly field: number;
}

/** A span's OpenInference messages (in index order) and its document entries (as indexedEntries gives them). */
export interface IndexedMessages {
  input: ChatMessage[];
  output: ChatMessage[];
  documents: IndexedEntries;
}

/**
 * Reads `llm.input_messages.{i}.*` and `llm.output_messages.{i}.*` into one message per index i (role
 * and content; multi-part content's texts joined by newlines when there is no content) and groups
 * `retrieval.documents.{i}.*` as indexedEntries does. A message keeps only the fields it is made of, not
 * a Map of all its fields and an [index, fields] pair as indexedEntries would build (measured ~6% of
 * decoding and normalising a span). Each key is read once and remembered (IndexedKeyReader, with the
 * message field it sets), since the decoder hands out one string per distinct key.
 */
export class IndexedMessageReader {
  private readonly keys = new IndexedKeyReader<Reading>(PREFIXES, (r) => ({ ...r, field: fieldOf(r.rest) }));
  private readonly documentsHead = PREFIXES[DOCUMENTS] + '.';

  read(attributes: AttrMap): IndexedMessages {
    const input = new MessageGrouping();
    const output = new MessageGrouping();
    let documents: Grouping | undefined;
    for (const key in attributes) {
      const reading = this.keys.read(key);
      if (reading === null) continue;
      const value = attributes[key] ?? null;
      if (reading.prefix === DOCUMENTS) (documents ??= new Grouping(this.documentsHead)).add(reading, value);
      else (reading.prefix === INPUT ? input : output).set(reading, value);
    }
    return { input: input.messages(), output: output.messages(), documents: documents?.entries() ?? [] };
  }
}

function fieldOf(rest: string): number {
  if (rest === OI.messageRole) return ROLE;
  if (rest === OI.messageContent) return CONTENT;
  return rest.startsWith(CONTENT_PARTS_HEAD) ? CONTENT_PART : OTHER_FIELD;
}

/** One message's fields as its keys set them (a later key for the same field wins, as in a Map). */
class MessageSlot {
  role: AttrValue | undefined;
  content: AttrValue | undefined;
  /** Multi-part content fields (`message.contents.{j}.…`), rare: only made when one is sent. */
  parts: Map<string, AttrValue> | undefined;

  constructor(readonly index: number) {}

  set(reading: Reading, value: AttrValue): void {
    if (reading.field === ROLE) this.role = value;
    else if (reading.field === CONTENT) this.content = value;
    else if (reading.field === CONTENT_PART) (this.parts ??= new Map()).set(reading.rest, value);
    // Any other field (tool calls, names, ...) only makes the message exist.
  }

  /** The message: its content, else the texts of its content parts in order, joined by newlines. */
  message(): ChatMessage {
    let content = text(this.content);
    if (content === '' && this.parts !== undefined) {
      const texts: string[] = [];
      for (const part of subEntries(this.parts, OI.messageContents)) {
        const t = text(part.get(CONTENT_TEXT));
        if (t !== '') texts.push(t);
      }
      content = texts.join('\n');
    }
    return { role: text(this.role), content };
  }
}

/** The messages of one prefix, gathered key by key, ordered by numeric index as Grouping orders them. */
class MessageGrouping {
  private readonly slots: MessageSlot[] = [];
  /** Slots by index, made only when keys of different messages interleave. */
  private byIndex: Map<number, MessageSlot> | undefined;
  private ascending = true;

  set(reading: Reading, value: AttrValue): void {
    this.slot(reading.index).set(reading, value);
  }

  messages(): ChatMessage[] {
    // Senders write indexes in order, so the sort is usually not needed.
    if (!this.ascending) this.slots.sort((a, b) => a.index - b.index);
    return this.slots.map((s) => s.message());
  }

  private slot(index: number): MessageSlot {
    const last = this.slots[this.slots.length - 1];
    if (last === undefined) return this.add(index);
    // A message's keys usually come together: the last slot is the one.
    if (last.index === index) return last;
    if (this.byIndex === undefined) this.byIndex = new Map(this.slots.map((s) => [s.index, s]));
    return this.byIndex.get(index) ?? this.add(index);
  }

  private add(index: number): MessageSlot {
    const slot = new MessageSlot(index);
    const last = this.slots[this.slots.length - 1];
    if (last !== undefined && index < last.index) this.ascending = false;
    this.slots.push(slot);
    this.byIndex?.set(index, slot);
    return slot;
  }
}
