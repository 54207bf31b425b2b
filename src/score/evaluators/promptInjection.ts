// Prompt injection: instruction-override, system-prompt exfiltration and role-play jailbreak cues on the input.
import { z } from 'zod';
import { defineEvaluator, targetText } from './Evaluator.js';
import { isBlank, unit } from './textBasics.js';
import { unionOf } from './regexUnion.js';

interface Cue {
  family: string;
  weight: number;
  re: RegExp;
}

const CUES: readonly Cue[] = [
  {
    family: 'ignore_instructions',
    weight: 0.9,
    re: /\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those|system)\b[^.\n]{0,30}?\b(?:instructions?|prompts?|rules|directions|guidelines|directives|context|constraints)\b/i,
  },
  {
    family: 'new_instructions',
    weight: 0.6,
    re: /\b(?:new|updated|real|actual) (?:instructions?|system prompt|rules)\s*[:-]|\bfrom now on,? (?:you|ignore|respond)\b/i,
  },
  {
    family: 'system_prompt_exfiltration',
    weight: 0.9,
    re: /\b(?:reveal|show|print|output|repeat|display|leak|dump|give me|tell me|what (?:is|are|was|were))\b[^.\n]{0,40}?\b(?:system prompt|system message|initial (?:prompt|instructions)|hidden (?:prompt|instructions)|your (?:instructions|prompt|rules)|developer (?:message|prompt)|prompt above|text above|words above)\b/i,
  },
  {
    family: 'roleplay_jailbreak',
    weight: 0.8,
    re: /\b(?:DAN|do anything now|jailbreak|jailbroken|developer mode|god mode|unrestricted mode|evil (?:mode|confidant))\b|\b(?:pretend|act|imagine|roleplay|role-play)\b[^.\n]{0,60}?\b(?:no|without|free (?:of|from)|not bound by|unbound by)\b[^.\n]{0,20}?\b(?:restrictions|filters|rules|limits|guidelines|ethics|censorship|policies)\b|\byou are (?:now )?(?:no longer|not) (?:bound|restricted|limited)\b/i,
  },
  {
    family: 'role_delimiter',
    weight: 0.6,
    re: /<\|im_start\|>|<\|system\|>|\[INST\]|<<SYS>>|^\s*(?:system|assistant)\s*:/im,
  },
  {
    family: 'encoded_payload',
    weight: 0.4,
    re: /\b(?:decode|base64|rot13)\b[^\n]{0,40}?[A-Za-z0-9+/]{40,}={0,2}/i,
  },
];

/**
 * Any cue at all, in one scan: most inputs are clean and skip the per-family passes. `m` only changes `^`/`$`,
 * which only the role-delimiter cue uses (and it is multiline itself), so the union decides exactly as the
 * cues do one by one.
 */
const ANY_CUE = unionOf(
  CUES.map((c) => c.re),
  'im',
);

const params = z
  .object({
    /** What to read: the last user message (default), or every message of the prompt (catches indirect injection). */
    target: z.enum(['last_user', 'prompt']).default('last_user'),
    /** Score at or above which the label is `injection`. */
    label_threshold: z.number().min(0).max(1).default(0.5),
  })
  .strict()
  .prefault({});

export const promptInjection = defineEvaluator({
  name: 'prompt_injection',
  description:
    'likelihood that the input tries to override instructions, leak the system prompt or jailbreak',
  defaultDirection: 'lower_is_better',
  params,
  evaluate(record, p) {
    const text = targetText(record, p.target);
    if (isBlank(text)) return null;
    const families: string[] = [];
    let survival = 1;
    for (const cue of ANY_CUE.test(text) ? CUES : []) {
      if (!cue.re.test(text)) continue;
      families.push(cue.family);
      survival *= 1 - cue.weight;
    }
    const score = unit(1 - survival);
    return {
      score,
      label: score >= p.label_threshold ? 'injection' : families.length > 0 ? 'suspicious' : 'clean',
      explanation: families.length === 0 ? 'no injection cue' : `cues: ${families.join(', ')}`,
    };
  },
});
