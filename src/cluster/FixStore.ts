// The fixes' adapter to ClickHouse: reads an exemplar to re-score, the cluster a fix is filed under and
// the fixes already written; writes fixes with their status and rubric scores (cluster_fixes).
import type { ChatMessage, RetrievedDocument } from '../records/types.js';
import { TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';
import { clusterSql } from './clusterSql.js';

/** A stored LLM span a fix answers instead. */
export interface FixExemplar {
  traceId: string;
  spanId: string;
  prompt: ChatMessage[];
  response: string;
  documents: RetrievedDocument[];
  model: string;
  service: string;
  attributes: Record<string, string>;
  /** Rubrics whose latest result for this span missed the threshold. */
  failedRubrics: string[];
}

/** The cluster a fix is filed under. */
export interface FixTarget {
  id: string;
  name: string;
  diagnosis: string;
  exemplarSpanId: string;
  /** Whether the fix's exemplar span is a member of it. */
  isMember: boolean;
}

/** Where a fix stands: re-scored (passed/failed), reviewed (approved/rejected), or superseded. */
export type FixStatus = 'proposed' | 'passed' | 'failed' | 'approved' | 'rejected' | 'replaced';

/** One fix as stored. */
export interface StoredFix {
  clusterId: string;
  exemplarSpanId: string;
  fixResponse: string;
  fixedBy: string;
  status: FixStatus;
  /** JSON array of the fix's rubric results (FixScore). */
  scores: string;
  requiredRubrics: string[];
  reviewer: string;
  note: string;
  /** When it was written, ms since the epoch. */
  at: number;
}

export class FixStore {
  constructor(private readonly store: Store) {}

  /** The span, or undefined when no LLM span has that id. */
  async exemplar(spanId: string): Promise<FixExemplar | undefined> {
    const rows = await this.store.query<{
      traceId: string;
      spanId: string;
      prompt: string;
      response: string;
      documents: string;
      model: string;
      service: string;
      attributes: Record<string, string>;
      failedRubrics: string[];
    }>(clusterSql('fix_exemplar'), { span_id: spanId });
    const r = rows[0];
    if (!r) return undefined;
    return {
      ...r,
      prompt: parseArray<ChatMessage>(r.prompt),
      documents: parseArray<RetrievedDocument>(r.documents),
      attributes: r.attributes ?? {},
      failedRubrics: [...r.failedRubrics].sort(),
    };
  }

  /** The cluster, or undefined when there is none with that id. */
  async target(clusterId: string, spanId: string): Promise<FixTarget | undefined> {
    const rows = await this.store.query<FixTarget>(clusterSql('cluster_fix_target'), {
      cluster_id: clusterId,
      span_id: spanId,
    });
    const r = rows[0];
    return r ? { ...r, isMember: Boolean(Number(r.isMember)) } : undefined;
  }

  /** The latest fix per exemplar of these clusters (all when empty), newest first. */
  async fixes(clusterIds: readonly string[] = []): Promise<StoredFix[]> {
    const rows = await this.store.query<StoredFix>(clusterSql('cluster_fixes_of'), {
      cluster_ids: clusterIds,
    });
    return rows.map((r) => ({ ...r, at: Number(r.at) }));
  }

  /** Writes fixes (a newer row for the same cluster and exemplar supersedes the older). */
  async save(fixes: readonly StoredFix[]): Promise<void> {
    if (fixes.length === 0) return;
    await this.store.insert(
      TABLES.clusterFixes,
      fixes.map((f) => ({
        ClusterId: f.clusterId,
        ExemplarSpanId: f.exemplarSpanId,
        FixResponse: f.fixResponse,
        FixedBy: f.fixedBy,
        Note: f.note,
        Status: f.status,
        Scores: f.scores,
        RequiredRubrics: f.requiredRubrics,
        Reviewer: f.reviewer,
        Timestamp: String(f.at),
      })),
    );
  }
}

/** A stored JSON array column; anything else reads as empty. */
function parseArray<T>(text: string): T[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}
