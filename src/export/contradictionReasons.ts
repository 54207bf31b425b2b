// Why a contradiction was left out, in words, from pair_contradictions' evidence. Pure.

/** One contradiction as `prefloop pairs` reads it. */
export interface ContradictionSample {
  /** 'overridden': a lower source disagreed with a higher one; 'unresolved': the highest source both ways. */
  resolution: 'overridden' | 'unresolved';
  /** The source whose pair was kept ('' when unresolved). */
  keptSource: string;
  /** The sources whose findings were left out. */
  leftOut: string[];
  promptClass: string;
  /** Every finding: source, the answer it prefers, margin, metadata, kept or not. */
  evidence: Evidence[];
}

export interface Evidence {
  source: string;
  chosen_span_id: string;
  rejected_span_id: string;
  margin: number;
  kept: boolean;
  metadata: Record<string, unknown>;
}

/** Parses the evidence JSON of pair_contradictions; a finding it cannot read is named, not dropped. */
export function parseEvidence(json: string): Evidence[] {
  try {
    return JSON.parse(json) as Evidence[];
  } catch (err) {
    throw new Error(`pair_contradictions evidence is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

function n(x: unknown): string {
  const v = Number(x);
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** What one finding rests on: thumb counts, a score gap, a judge's confidence, session outcomes. */
export function describeEvidence(e: Evidence): string {
  const m = e.metadata;
  switch (e.source) {
    case 'feedback':
      return `${n(m.chosen_ups)} up/${n(m.chosen_downs)} down against ${n(m.rejected_ups)} up/${n(m.rejected_downs)} down`;
    case 'rubric':
      return `score ${n(m.chosen_score)} against ${n(m.rejected_score)}, gap ${n(e.margin)}, noise floor ${n(m.noise_floor)}`;
    case 'judge':
      return `judge ${String(m.judge_rubric)}@${String(m.rubric_version)} confidence ${n(m.judge_confidence)}`;
    case 'session':
      return `session ${String(m.chosen_session_id)} resolved (${String(m.chosen_resolved_by)}), ${String(m.rejected_session_id)} not`;
    case 'cluster':
      return `fix for cluster ${String(m.cluster_label || m.cluster_id)}`;
    default:
      return `margin ${n(e.margin)}`;
  }
}

/** One line saying which source won and why the rest was left out. */
export function contradictionReason(c: ContradictionSample): string {
  const of = (source: string) =>
    c.evidence
      .filter((e) => e.source === source)
      .map(describeEvidence)
      .join('; ');
  const where = c.promptClass ? `prompt class ${c.promptClass.slice(0, 16)}: ` : '';
  if (c.resolution === 'unresolved') {
    const sources = c.leftOut.join(', ');
    return `${where}${sources} prefer each answer in turn (${c.leftOut.map(of).join('; ')}): nothing outranks them, both left out`;
  }
  const lower = c.leftOut.map((s) => `${s} (${of(s)})`).join(', ');
  return `${where}${c.keptSource} (${of(c.keptSource)}) outranks ${lower}: ${c.leftOut.join(', ')} left out`;
}
