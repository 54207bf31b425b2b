// The bundled demo sample (examples/demo-conversations.json): loaded and checked, with every problem named.
import { readFileSync } from 'node:fs';
import type { ChatMessage } from '../records/types.js';
import { packagePath } from '../paths.js';

export const DEMO_SAMPLE = packagePath('examples', 'demo-conversations.json');

export type FeedbackRoute = 'annotation' | 'link' | 'api' | 'regenerate';

export interface DemoConversation {
  session_id: string;
  history: ChatMessage[];
  question: string;
  /** The answer the user preferred. */
  chosen: string;
  /** The answer they rejected, or null when only one answer got a thumb (a KTO example, no pair). */
  rejected: string | null;
  feedback_route: FeedbackRoute;
}

const ROUTES: readonly string[] = ['annotation', 'link', 'api', 'regenerate'];

/** Reads and checks the sample. Pure apart from reading the file. */
export function loadDemoSample(path: string = DEMO_SAMPLE): DemoConversation[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { conversations?: unknown };
  if (!Array.isArray(raw.conversations)) throw new Error(`${path}: expected {"conversations": [...]}`);
  const problems: string[] = [];
  const out = raw.conversations as DemoConversation[];
  out.forEach((c, i) => {
    const at = `${path}: conversations[${i}]`;
    if (typeof c.session_id !== 'string' || c.session_id === '')
      problems.push(`${at}.session_id: a non-empty string`);
    if (typeof c.question !== 'string') problems.push(`${at}.question: a string`);
    if (typeof c.chosen !== 'string') problems.push(`${at}.chosen: a string`);
    if (c.rejected !== null && typeof c.rejected !== 'string')
      problems.push(`${at}.rejected: a string or null`);
    if (!ROUTES.includes(c.feedback_route))
      problems.push(`${at}.feedback_route: one of ${ROUTES.join(', ')}`);
    if (!Array.isArray(c.history)) problems.push(`${at}.history: an array of {role, content}`);
  });
  if (problems.length > 0) throw new Error(`the demo sample is invalid:\n  ${problems.join('\n  ')}`);
  return out;
}
