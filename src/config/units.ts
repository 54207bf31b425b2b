// Duration and size values as users write them in YAML ("5s", "200ms", "20MiB") parsed to numbers.
import { z } from 'zod';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A duration in milliseconds: a number (ms) or a string like "250ms", "5s", "1m". */
export const duration = z.union([z.number().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
  if (!m) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration like "500ms", "5s" or "1m", got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
});

/** A size in bytes: a number or a string like "20MiB", "512KiB", "1GB". */
export const size = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)?\s*$/.exec(value);
  const unit = (m?.[2] ?? 'b').toLowerCase();
  if (!m || SIZE_UNITS[unit] === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size like "20MiB" or a number of bytes, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return Math.floor(Number(m[1]) * SIZE_UNITS[unit]!);
});
