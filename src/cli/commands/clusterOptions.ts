// Option parsing shared by `prefloop cluster` and `prefloop clusters`.
import { UsageError } from '../Command.js';

const AGE_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO time, or an age before `now` like "30m", "24h", "7d"; undefined when the option is absent. */
export function pointInTime(value: unknown, name: string, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const age = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * AGE_UNITS[age[2]!]!);
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new UsageError(
      `${name} must be an ISO time (2026-01-31T00:00:00Z) or an age like 24h or 7d, not ${JSON.stringify(text)}`,
    );
  return at;
}

/** A whole number of at least `min`; undefined when absent. */
export function integerOption(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
  return n;
}

/** --format: table (default) or json. */
export function formatChoice(value: unknown): 'table' | 'json' {
  const format = (value as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format must be table or json, not ${JSON.stringify(format)}`);
  return format;
}
