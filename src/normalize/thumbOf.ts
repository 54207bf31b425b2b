// Thumbs up/down from a feedback record: an up/down label wins, else score > 0 is up and <= 0 down.
import { DEFAULTS } from '../names.js';
import { THUMBS_DOWN_LABELS, THUMBS_UP_LABELS } from '../conventions.js';
import type { FeedbackRecord } from '../records/types.js';

const UP: ReadonlySet<string> = new Set(THUMBS_UP_LABELS);
const DOWN: ReadonlySet<string> = new Set(THUMBS_DOWN_LABELS);

/**
 * 'up' / 'down' for feedback named `feedbackName` (default `user_feedback`), else null. A known
 * label decides first (it is the explicit word); otherwise score > 0 is up and score <= 0 is down.
 */
export function thumbOf(
  feedback: Pick<FeedbackRecord, 'name' | 'label' | 'score'>,
  feedbackName: string = DEFAULTS.feedbackName,
): 'up' | 'down' | null {
  if (feedback.name !== feedbackName) return null;
  const label = feedback.label.trim().toLowerCase();
  if (UP.has(label)) return 'up';
  if (DOWN.has(label)) return 'down';
  if (feedback.score === null || Number.isNaN(feedback.score)) return null;
  return feedback.score > 0 ? 'up' : 'down';
}
