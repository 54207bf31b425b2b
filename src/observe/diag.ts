// The one place failures off the caller's path go: logged once with the component that hit them.

export type DiagLevel = 'error' | 'warn' | 'info';
export type DiagHandler = (level: DiagLevel, component: string, message: string, err?: unknown) => void;

const LEVELS: readonly DiagLevel[] = ['error', 'warn', 'info'];

/**
 * The least severe level the default handler prints: `PREFLOOP_LOG_LEVEL` (`error`, `warn` or `info`, the
 * default), read once; `setDiagLevel` changes it. A value that is none of these is said once and ignored.
 */
let threshold: DiagLevel = levelFromEnv(process.env.PREFLOOP_LOG_LEVEL);

function levelFromEnv(value: string | undefined): DiagLevel {
  if (value === undefined || value === '') return 'info';
  const level = LEVELS.find((l) => l === value.trim().toLowerCase());
  if (level !== undefined) return level;
  process.stderr.write(
    `prefloop warn [diag] PREFLOOP_LOG_LEVEL is "${value}": expected error, warn or info; using info\n`,
  );
  return 'info';
}

/** The default handler: one line on stderr per message at or above the level. */
const stderrHandler: DiagHandler = (level, component, message, err) => {
  if (LEVELS.indexOf(level) > LEVELS.indexOf(threshold)) return;
  const detail = err instanceof Error ? `: ${err.message}` : err !== undefined ? `: ${String(err)}` : '';
  process.stderr.write(`prefloop ${level} [${component}] ${message}${detail}\n`);
};

let handler: DiagHandler = stderrHandler;

/** Sets the least severe level the default handler prints (`info` prints everything). */
export function setDiagLevel(level: DiagLevel): void {
  threshold = level;
}

/** Replaces the handler (tests collect messages; embedding apps route them to their logger). */
export function setDiagHandler(next: DiagHandler): void {
  handler = next;
}

/** A failure's message: an Error's own, anything else as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `span 00f1… "ChatCompletion"`: how a message names a span. */
export function spanName(span: { spanId: string; name: string }): string {
  return `span ${span.spanId} "${span.name}"`;
}

/** `feedback record "user_feedback" on span 00f1…` (or on trace …, or session …): what a message names. */
export function recordName(
  kind: string,
  name: string,
  r: { spanId: string; traceId: string; sessionId?: string },
): string {
  const on =
    r.spanId !== ''
      ? ` on span ${r.spanId}`
      : r.traceId !== ''
        ? ` on trace ${r.traceId}`
        : r.sessionId
          ? ` on session ${r.sessionId}`
          : '';
  return `${kind} "${name}"${on}`;
}

export function diag(level: DiagLevel, component: string, message: string, err?: unknown): void {
  try {
    handler(level, component, message, err);
  } catch {
    // A failing log handler must never take the pipeline down.
  }
}
