// Text helpers that need no tokens: blank test, sentence split, and the score clamp.

/** Whether `text.trim() === ''`, without trimming a text that starts with a visible ASCII character. */
export function isBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  return c > 32 && c < 127 ? false : text.trim() === '';
}

/** Sentences, split on terminal punctuation and line breaks; empty pieces dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Clamps to [0, 1] and rounds to 4 decimals so that scores print and compare stably. */
export function unit(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.round(Math.min(1, Math.max(0, x)) * 10000) / 10000;
}
