// `prefloop sql "QUERY"`: runs SQL against the store and prints a table or JSON lines.
import { formatRows, runSql } from '../../sink/sqlOutput.js';
import type { Command } from '../Command.js';
import { UsageError } from '../Command.js';
import { withClientStore } from '../resolve.js';

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'run a SQL query against the store (a table on a terminal, JSON lines with --format json)',
  usage: '[--format table|json] "QUERY"',
  options: { format: { type: 'string' } },
  help: ['--format table|json  output: an aligned table (default) or one JSON object per row'],
  async run(input) {
    const { values, positionals, io } = input;
    const format = (values.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json')
      throw new UsageError(`--format must be table or json, not ${JSON.stringify(format)}`);
    const sql = positionals.join(' ').trim();
    if (!sql)
      throw new UsageError(
        'give the query as an argument, e.g. prefloop sql "SELECT count() FROM otel_traces"',
      );
    const result = await withClientStore(input, (store) => runSql(store, sql));
    const stdoutIsTTY = Boolean((io.stdout as NodeJS.WriteStream).isTTY);
    const width = stdoutIsTTY
      ? Math.max(20, Math.floor(((io.stdout as NodeJS.WriteStream).columns ?? 120) / 2))
      : undefined;
    io.stdout.write(
      formatRows(result.rows, result.columns, { format, ...(width ? { maxCellWidth: width } : {}) }),
    );
    return 0;
  },
};
