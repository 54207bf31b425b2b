// The default diagnostics handler: one stderr line per message at or above the configured level.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diag, setDiagLevel } from '../../../src/observe/diag.js';

/** What `run` writes to stderr. */
function stderrOf(run: () => void): string {
  const write = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stderr.write = write;
  }
  return out;
}

test('setDiagLevel: messages below the level are not printed, the rest are, naming the component', () => {
  try {
    setDiagLevel('warn');
    const printed = stderrOf(() => {
      diag('info', 'forward', 'recovered');
      diag('warn', 'sink', 'spooling', new Error('store down'));
      diag('error', 'receive', 'bad');
    });
    assert.equal(printed, 'prefloop warn [sink] spooling: store down\nprefloop error [receive] bad\n');
    setDiagLevel('info');
    assert.equal(
      stderrOf(() => diag('info', 'forward', 'recovered')),
      'prefloop info [forward] recovered\n',
    );
  } finally {
    setDiagLevel('info');
  }
});
