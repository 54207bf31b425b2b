// Serve's cluster API: `GET /v1/clusters` (the list `prefloop clusters --format json` prints),
// `POST /v1/clusters/fixes` (a person's or a tool's fix: checked, re-scored, stored) and
// `POST /v1/clusters/fixes/review` (approve, reject or edit a cluster's current fix). Writes go through
// serve's own store handle, so they work on an embedded folder serve holds.
import { PATHS } from '../names.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { ApiError, jsonHandler, readJsonBody } from '../receive/jsonApi.js';
import type { RubricSet } from '../score/RubricFile.js';
import type { Store } from '../sink/Store.js';
import { listClusters } from './clusterListing.js';
import { ClusterStore } from './ClusterStore.js';
import { FixProblems, reviewFix, submitFix } from './clusterFixes.js';
import type { ReviewInput } from './clusterFixes.js';
import { FixRescorer } from './rescoreFix.js';

export interface ClusterRouteOptions {
  /** The rubric file fixes are re-scored with (serve's first); without one, fixes are refused. */
  set: RubricSet | undefined;
  /** Where judge rubrics look up their API key. */
  env?: NodeJS.ProcessEnv;
  maxBodyBytes?: number;
}

/** The cluster routes, mounted by serve behind its ingest auth. */
export function clusterRoutes(store: Store, options: ClusterRouteOptions): ReceiverRoute[] {
  const clusters = new ClusterStore(store);
  const rescorer = options.set ? new FixRescorer(options.set, { env: options.env }) : undefined;
  const needRescorer = (): FixRescorer => {
    if (!rescorer) throw new ApiError(409, 'serve has no rubric file, so no fix can be re-scored');
    return rescorer;
  };
  const problems = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof FixProblems) throw new ApiError(400, 'the fix was not stored', err.problems);
      throw err;
    }
  };
  return [
    { method: 'GET', path: PATHS.clusters, handle: jsonHandler(() => listClusters(clusters)) },
    {
      method: 'POST',
      path: PATHS.clusterFixes,
      handle: jsonHandler(async (req) => {
        const body = object(await readJsonBody(req, options.maxBodyBytes));
        const found: string[] = [];
        const input = {
          clusterId: text(body, 'cluster_id', found),
          exemplarSpanId: text(body, 'exemplar_span_id', found),
          fixResponse: text(body, 'fix_response', found),
          fixedBy: text(body, 'fixed_by', found),
        };
        if (found.length > 0) throw new ApiError(400, 'the fix was not stored', found);
        return problems(() => submitFix(clusters.fixes, needRescorer(), input));
      }),
    },
    {
      method: 'POST',
      path: PATHS.clusterFixReview,
      handle: jsonHandler(async (req) => {
        const body = object(await readJsonBody(req, options.maxBodyBytes));
        const found: string[] = [];
        const action = text(body, 'action', found);
        if (action !== '' && !['approve', 'reject', 'edit'].includes(action))
          found.push(`action: must be approve, reject or edit, not ${JSON.stringify(action)}`);
        const input: ReviewInput = {
          clusterId: text(body, 'cluster_id', found),
          action: action as ReviewInput['action'],
          reviewer: text(body, 'reviewer', found),
          ...(body.fix_response !== undefined ? { fixResponse: text(body, 'fix_response', found) } : {}),
        };
        if (found.length > 0) throw new ApiError(400, 'the review was not stored', found);
        return problems(() => reviewFix(clusters.fixes, needRescorer(), input));
      }),
    },
  ];
}

function object(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'the body must be one JSON object');
  return body as Record<string, unknown>;
}

/** A required string field; a problem is noted (and '' returned) when it is missing or not a string. */
function text(body: Record<string, unknown>, key: string, problems: string[]): string {
  const v = body[key];
  if (typeof v === 'string' && v.trim() !== '') return v;
  problems.push(
    `${key}: expected a non-empty string, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`,
  );
  return '';
}
