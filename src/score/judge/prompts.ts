// The messages sent to a judge model: pointwise (grade one answer) and pairwise (pick the better of two).
import type { ChatMessage } from '../../records/types.js';

const SYSTEM =
  'You are a strict, impartial evaluator of AI assistant answers. Judge only by the criteria given. ' +
  'Do not let answer length, position or style sway you beyond what the criteria ask.';

/** Renders a conversation as role-labelled plain text. */
export function renderConversation(prompt: readonly ChatMessage[]): string {
  return prompt.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
}

export function pointwiseMessages(
  criteria: string,
  scale: { min: number; max: number },
  prompt: readonly ChatMessage[],
  response: string,
): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content:
        `## Criteria\n${criteria.trim()}\n\n## Conversation\n${renderConversation(prompt)}\n\n` +
        `## Answer to grade\n${response}\n\n` +
        `Grade the answer from ${scale.min} (worst) to ${scale.max} (best). Reply with only a JSON object: ` +
        `{"score": <number>, "label": "<one word>", "explanation": "<one or two sentences>"}`,
    },
  ];
}

export function pairwiseMessages(
  criteria: string,
  prompt: readonly ChatMessage[],
  a: string,
  b: string,
): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content:
        `## Criteria\n${criteria.trim()}\n\n## Conversation\n${renderConversation(prompt)}\n\n` +
        `## Response A\n${a}\n\n## Response B\n${b}\n\n` +
        'Which response better meets the criteria? Reply with only a JSON object: ' +
        '{"winner": "A" | "B" | "tie", "explanation": "<one or two sentences>"}',
    },
  ];
}
