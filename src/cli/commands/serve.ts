// `prefloop serve`: OTLP/HTTP receiver and feedback API → rubrics → store, until SIGTERM/SIGINT.
import { startPrefloop } from '../../serve/startPrefloop.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { resolveConfig, resolveStoreUrl } from '../resolve.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'receive OTLP/HTTP spans and feedback, score them, store them (Ctrl-C drains and stops)',
  usage: '[--endpoint HOST:PORT]',
  options: { endpoint: { type: 'string' } },
  help: [
    '--endpoint HOST:PORT where OTLP/HTTP and the feedback API listen (default: config, else 127.0.0.1:4318)',
  ],
  async run(input) {
    const { values, io } = input;
    const endpoint = values.endpoint as string | undefined;
    if (endpoint !== undefined && !/^(\[[0-9a-fA-F:]+\]|[^\s:]+):\d{1,5}$/.test(endpoint))
      throw new UsageError(`--endpoint ${JSON.stringify(endpoint)} is not HOST:PORT (e.g. 127.0.0.1:4318)`);
    const config = resolveConfig(input);
    const storeUrl = resolveStoreUrl(input, config);
    const running = await startPrefloop({
      config,
      storeUrl,
      ...(endpoint ? { endpoint } : {}),
      cwd: io.cwd,
      env: io.env,
    });
    io.stdout.write(
      [
        `prefloop serving on ${running.url}`,
        `  OTLP/HTTP   POST ${running.url}/v1/traces   (protobuf or JSON)`,
        `  feedback    POST ${running.url}/v1/feedback`,
        `  health      GET  ${running.url}/healthz   metrics GET ${running.url}/metrics`,
        `  store       ${running.store.location}`,
        `  config      ${config.source}`,
        'Ctrl-C to stop (drains the queue and flushes first).',
        '',
      ].join('\n'),
    );

    return await new Promise<number>((resolveExit) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          io.stderr.write(`prefloop serve: ${signal} again, exiting without waiting for the drain\n`);
          // Acknowledged data still queued is lost here unless already spooled; the user asked twice.
          process.exit(1);
        }
        stopping = true;
        io.stderr.write(
          `prefloop serve: ${signal}: draining and flushing (up to ${config.shutdownGraceMs} ms)…\n`,
        );
        // The sink spools whatever the store has not taken by the end of the grace period; this is the backstop.
        const deadline = setTimeout(() => {
          io.stderr.write('prefloop serve: shutdown overran its grace period; exiting\n');
          process.exit(1);
        }, config.shutdownGraceMs + 5000);
        deadline.unref();
        void running.close().then(({ lostRows }) => {
          clearTimeout(deadline);
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          if (lostRows > 0) {
            io.stderr.write(
              `prefloop serve: error: ${lostRows} acknowledged rows reached neither the store nor the spool and are lost (see the errors above)\n`,
            );
            resolveExit(1);
          } else {
            io.stderr.write('prefloop serve: stopped cleanly\n');
            resolveExit(0);
          }
          // Everything acknowledged is stored or spooled now; a socket still waiting on a hung store must
          // not keep the process alive (the timer is unref'd, so a loop that drains exits on its own first).
          setTimeout(() => process.exit(lostRows > 0 ? 1 : 0), 500).unref();
        });
      };
      // `on`, not `once`: a second signal must reach `stop` to force the exit.
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
    });
  },
};
