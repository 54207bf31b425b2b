// A one-line progress display for long commands: redrawn in place on a terminal, silent otherwise.
import type { CommandIO } from './Command.js';

export interface Progress {
  update(text: string): void;
  done(text?: string): void;
}

export function progress(io: CommandIO, label: string): Progress {
  if (!io.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return; // redraw at most 10 times a second
      last = now;
      io.stderr.write(`\r\x1b[2K${label}: ${text}`);
    },
    done(text) {
      io.stderr.write(`\r\x1b[2K${text ? `${label}: ${text}\n` : ''}`);
    },
  };
}
