// Writes a retuned rubric as text: the rubric file with one rubric's threshold and noise floor changed,
// every other line (comments included) as it was. Pure; the caller checks the result parses.

/** The next free `<name>.vN<ext>` beside `path` (rubrics.yaml → rubrics.v2.yaml, then v3…). */
export function nextVersionPath(path: string, exists: (p: string) => boolean): string {
  const m = /^(.*?)(?:\.v(\d+))?(\.ya?ml)$/i.exec(path);
  const base = m ? (m[1] as string) : path;
  const ext = m ? (m[3] as string) : '';
  for (let n = m?.[2] ? Number(m[2]) + 1 : 2; ; n++) {
    const candidate = `${base}.v${n}${ext}`;
    if (!exists(candidate)) return candidate;
  }
}

const indentOf = (line: string): number => /^\s*/.exec(line)![0].length;

/**
 * The file text with rubric `id`'s `threshold` and `noise_floor` set (noise_floor added after threshold
 * when absent) and a pinned `version` given a suffix, so the retuned rubric is a new version. Throws when
 * the rubric's block cannot be found.
 */
export function retuneText(
  text: string,
  id: string,
  values: { threshold: number; noiseFloor: number; versionSuffix: string },
): string {
  const lines = text.split('\n');
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = lines.findIndex((l) =>
    new RegExp(`^\\s*-\\s+id:\\s*(["']?)${escaped}\\1\\s*(#.*)?$`).test(l),
  );
  if (start < 0) throw new Error(`rubric ${id}: no \`- id: ${id}\` line in the rubric file`);
  const itemIndent = indentOf(lines[start] as string);
  const keyIndent = itemIndent + (/^\s*-\s+/.exec(lines[start] as string)![0].length - itemIndent);
  let end = start + 1;
  while (end < lines.length) {
    const l = lines[end] as string;
    if (l.trim() !== '' && !l.trim().startsWith('#') && indentOf(l) <= itemIndent) break;
    end++;
  }
  const keyLine = (key: string): number => {
    for (let i = start; i < end; i++) {
      const l = lines[i] as string;
      const body =
        i === start ? l.replace(/^(\s*)-\s+/, (_, s: string) => s + ' '.repeat(keyIndent - s.length)) : l;
      if (indentOf(body) === keyIndent && new RegExp(`^\\s*${key}:`).test(body)) return i;
    }
    return -1;
  };
  const setValue = (i: number, value: string): void => {
    lines[i] = (lines[i] as string).replace(
      /^(\s*(?:-\s+)?[a-z_]+:\s*)([^#]*?)(\s*#.*)?$/,
      (_, head: string, _old, comment?: string) => `${head}${value}${comment ?? ''}`,
    );
  };
  const fmt = (x: number): string => String(Math.round(x * 1e6) / 1e6);
  const t = keyLine('threshold');
  if (t < 0) throw new Error(`rubric ${id}: no threshold line in its block`);
  setValue(t, fmt(values.threshold));
  const nf = keyLine('noise_floor');
  if (nf >= 0) setValue(nf, fmt(values.noiseFloor));
  else
    lines.splice(
      t + 1,
      0,
      `${' '.repeat(keyIndent)}noise_floor: ${fmt(values.noiseFloor)} # set by prefloop calibrate --retune`,
    );
  const v = keyLine('version');
  if (v >= 0) {
    const m = /^(\s*(?:-\s+)?version:\s*)(["']?)([^#"']*?)\2(\s*#.*)?$/.exec(lines[v] as string);
    if (m) lines[v] = `${m[1]}"${(m[3] as string).trim()}${values.versionSuffix}"${m[4] ?? ''}`;
  }
  return lines.join('\n');
}
