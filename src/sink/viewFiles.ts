// Reads the plain-view files of the migration folders and orders them so every view follows the views it reads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './Store.js';
import { splitStatements } from './migrationText.js';

/** One plain view, as its file defines it (a file name with `{param}` gives one view per value). */
export interface ViewFile {
  /** The view's name, e.g. `pairs_feedback`. */
  name: string;
  /** The file it comes from, e.g. `pairs_{source}.sql`. */
  file: string;
  /** Its `CREATE OR REPLACE VIEW` statement, parameters filled in, `${db}`/`${on_cluster}` not yet. */
  sql: string;
  /** The other views of the set that it reads. */
  dependsOn: string[];
}

/** Values of the `{param}` placeholders a view file name may hold (`${param}` in its text). */
export type ViewParameters = Readonly<Record<string, readonly string[]>>;

const VIEW_FILE = /^([a-z][a-z0-9_{}]*)\.sql$/;
const NUMBERED_FILE = /^\d{4}_/;

/**
 * Loads every `name.sql` (not numbered) file of the folders as a view. Each must hold exactly one
 * `CREATE OR REPLACE VIEW ${db}.<name> ${on_cluster} AS …` naming the view after its file: tables
 * and materialized views keep state, so they belong in numbered migrations instead.
 */
export function loadViews(folders: readonly string[], parameters: ViewParameters = {}): ViewFile[] {
  const views: ViewFile[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      continue;
    }
    for (const file of names) {
      const m = VIEW_FILE.exec(file);
      if (!m || NUMBERED_FILE.test(file)) continue;
      const text = readFileSync(join(folder, file), 'utf8');
      for (const [name, sql] of expand(m[1]!, text, parameters, file)) {
        views.push({ name, file, sql: checkView(name, sql, file), dependsOn: [] });
      }
    }
  }
  const byName = new Map<string, ViewFile>();
  for (const v of views) {
    const twin = byName.get(v.name);
    if (twin) throw new StoreError(`view ${v.name} is defined twice: ${twin.file}, ${v.file}`, 'MIGRATION');
    byName.set(v.name, v);
  }
  for (const v of views) {
    const reads = new Set([...v.sql.matchAll(/\$\{db\}\.(\w+)/g)].map((r) => r[1]!));
    v.dependsOn = [...reads].filter((n) => n !== v.name && byName.has(n)).sort();
  }
  return orderViews(views);
}

/** Every view after the views it reads (ties by name); a cycle is an error naming its views. */
export function orderViews(views: readonly ViewFile[]): ViewFile[] {
  const pending = new Map(views.map((v) => [v.name, v]));
  const done = new Set<string>();
  const out: ViewFile[] = [];
  while (pending.size > 0) {
    const ready = [...pending.values()]
      .filter((v) => v.dependsOn.every((d) => done.has(d) || !pending.has(d)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (ready.length === 0) {
      throw new StoreError(
        `views read each other in a cycle: ${[...pending.keys()].sort().join(', ')}`,
        'MIGRATION',
      );
    }
    for (const v of ready) {
      pending.delete(v.name);
      done.add(v.name);
      out.push(v);
    }
  }
  return out;
}

/** The views that must be re-created when `changed` are: those and every view reading them, transitively. */
export function withDependents(views: readonly ViewFile[], changed: ReadonlySet<string>): Set<string> {
  const out = new Set(changed);
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of views) {
      if (!out.has(v.name) && v.dependsOn.some((d) => out.has(d))) {
        out.add(v.name);
        grew = true;
      }
    }
  }
  return out;
}

function expand(
  base: string,
  text: string,
  parameters: ViewParameters,
  file: string,
): Array<[string, string]> {
  const param = /\{(\w+)\}/.exec(base);
  if (!param) return [[base, text]];
  const values = parameters[param[1]!];
  if (!values) throw new StoreError(`view file ${file}: no values for {${param[1]}}`, 'MIGRATION');
  return values.flatMap((value) =>
    expand(base.replace(param[0], value), text.replaceAll(`\${${param[1]}}`, value), parameters, file),
  );
}

function checkView(name: string, sql: string, file: string): string {
  const statements = splitStatements(sql);
  const head = new RegExp(`^CREATE OR REPLACE VIEW \\$\\{db\\}\\.${name} \\$\\{on_cluster\\} AS\\s`);
  if (statements.length !== 1 || !head.test(statements[0]!)) {
    throw new StoreError(
      `view file ${file} must hold one statement, CREATE OR REPLACE VIEW \${db}.${name} \${on_cluster} AS … (tables and materialized views go in numbered migrations)`,
      'MIGRATION',
    );
  }
  return sql;
}
