// The review HTTP API serve mounts (docs/review.md): an annotator's queue, labels, undo, and for
// reviewers the disputed pairs and their resolutions. Each route checks its own credentials (ownAuth):
// an ingest token opens everything, an annotator token only that annotator's own items.
import type { IncomingMessage } from 'node:http';
import { ENV, PATHS } from '../names.js';
import { diag } from '../observe/diag.js';
import { tokensFromEnv } from '../security/bearerAuth.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { ApiError, jsonHandler, readJsonBody, sendJson } from '../receive/jsonApi.js';
import type { Store } from '../sink/Store.js';
import { annotatorTokensFromEnv, reviewCallerCheck } from './annotatorAuth.js';
import { writeReviewBands } from './reviewBands.js';
import { scheduleSourceAgreement } from './sourceAgreement.js';
import type { ReviewBands } from './reviewBands.js';
import type { ReviewCaller } from './annotatorAuth.js';
import {
  annotatorQueue,
  disputes,
  LabelProblems,
  storeLabels,
  storeResolutions,
  undoLast,
} from './reviewStore.js';

export interface ReviewRouteOptions {
  /** Environment variable with the ingest bearer tokens (receivers.otlp auth); unset: auth off. */
  ingestTokensEnv?: string;
  /** Environment variable with `name:token,…` (review.annotator_tokens_env; default PREFLOOP_ANNOTATOR_TOKENS). */
  annotatorTokensEnv?: string;
  /** Band thresholds (review.bands), written to the store for pair_review. */
  bands?: ReviewBands;
  env: NodeJS.ProcessEnv;
  maxBodyBytes?: number;
  /** Registers serve's shutdown step; given, source agreement is re-measured on a schedule until then. */
  onClose?: (step: () => void) => void;
}

const DEFAULT_QUEUE = 20;
const MAX_LIST = 1000;

export function reviewRoutes(store: Store, o: ReviewRouteOptions): ReceiverRoute[] {
  const callerOf = reviewCallerCheck(
    o.ingestTokensEnv ? tokensFromEnv(o.ingestTokensEnv, o.env) : [],
    annotatorTokensFromEnv(o.annotatorTokensEnv ?? ENV.annotatorTokens, o.env),
  );
  if (o.onClose)
    o.onClose(
      scheduleSourceAgreement(store, (err) =>
        diag('warn', 'review', 'measuring source agreement with people failed; will try again', err),
      ),
    );
  if (o.bands)
    writeReviewBands(store, o.bands).catch((err: unknown) =>
      diag(
        'warn',
        'review',
        'storing the review band thresholds failed; pair_review keeps the earlier ones',
        err,
      ),
    );
  const route = (
    method: string,
    path: string,
    handle: (caller: ReviewCaller, req: IncomingMessage, url: URL) => Promise<unknown>,
  ): ReceiverRoute => {
    return {
      method,
      path,
      ownAuth: true,
      handle: async (req, res) => {
        const caller = callerOf(req);
        if (!caller) {
          // The challenge header, as the receiver's own refusals carry it.
          res.setHeader('WWW-Authenticate', 'Bearer');
          sendJson(res, 401, { error: 'missing or wrong credentials (Authorization: Bearer <token>)' });
          return;
        }
        await jsonHandler(async (r, url) => {
          try {
            return await handle(caller, r, url);
          } catch (err) {
            if (err instanceof LabelProblems) throw new ApiError(400, err.message, err.problems);
            throw err;
          }
        })(req, res);
      },
    };
  };
  const body = async (req: IncomingMessage): Promise<unknown[]> => {
    const value = await readJsonBody(req, o.maxBodyBytes);
    return Array.isArray(value) ? value : [value];
  };

  return [
    route('GET', PATHS.reviewQueue, async (caller, _req, url) => {
      const annotator =
        url.searchParams.get('annotator') ?? (caller.kind === 'annotator' ? caller.annotator : '');
      if (annotator === '') throw new ApiError(400, 'name the annotator: ?annotator=NAME');
      ownOnly(caller, [annotator]);
      return annotatorQueue(store, annotator, countParam(url, 'limit', DEFAULT_QUEUE));
    }),
    route('POST', PATHS.reviewLabels, async (caller, req) => {
      const rows = await body(req);
      const own = caller.kind === 'annotator' ? caller.annotator : undefined;
      if (own !== undefined) {
        const others = rows.flatMap((r, i) => {
          const a = (r as { annotator_id?: unknown } | null)?.annotator_id;
          return a !== undefined && a !== own
            ? [`row ${i}: annotator_id ${JSON.stringify(a)} is not you (${own})`]
            : [];
        });
        if (others.length) throw new ApiError(403, 'an annotator token labels only its own items', others);
      }
      const { stored, unchanged } = await storeLabels(store, rows, {
        via: 'api',
        ...(own !== undefined ? { defaultAnnotator: own } : {}),
      });
      return { stored, unchanged };
    }),
    route('POST', PATHS.reviewUndo, async (caller, req) => {
      const value = (await readJsonBody(req, o.maxBodyBytes)) as { annotator_id?: unknown } | null;
      const annotator = value?.annotator_id ?? (caller.kind === 'annotator' ? caller.annotator : undefined);
      if (typeof annotator !== 'string' || annotator === '')
        throw new ApiError(400, 'name the annotator: {"annotator_id": NAME}');
      ownOnly(caller, [annotator]);
      const undone = await undoLast(store, annotator);
      if (undone === undefined) throw new ApiError(404, `annotator ${annotator} has no label to undo`);
      // The item id only: an annotator's page never learns a pair id (a hash of the texts in chosen order).
      return { item_id: undone.item_id };
    }),
    route('GET', PATHS.reviewDisputes, async (caller, _req, url) => {
      reviewerOnly(caller);
      const items = await disputes(store, countParam(url, 'limit', MAX_LIST));
      return { disputes: items };
    }),
    route('POST', PATHS.reviewResolutions, async (caller, req) => {
      reviewerOnly(caller);
      return { stored: await storeResolutions(store, await body(req)) };
    }),
  ];
}

function ownOnly(caller: ReviewCaller, annotators: readonly string[]): void {
  if (caller.kind !== 'annotator') return;
  const others = annotators.filter((a) => a !== caller.annotator);
  if (others.length)
    throw new ApiError(
      403,
      `an annotator token opens only its own items (${caller.annotator}), not ${others.join(', ')}'s`,
    );
}

function reviewerOnly(caller: ReviewCaller): void {
  if (caller.kind === 'annotator')
    throw new ApiError(
      403,
      'disputes and resolutions show other annotators\u2019 labels: they need an ingest token',
    );
}

function countParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST)
    throw new ApiError(
      400,
      `${name} must be a whole number from 1 to ${MAX_LIST}, got ${JSON.stringify(raw)}`,
    );
  return n;
}
