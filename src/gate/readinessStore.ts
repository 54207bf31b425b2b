// Reads the facts readiness decides on from the store (src/gate/sql/readiness_*.sql).
import { COMBINED_RUBRIC_ID, GATE, SYNTH, TABLES, VIEWS } from '../names.js';
import type { Store } from '../sink/Store.js';
import { gateSql } from './gateSql.js';
import { fleissKappa } from './readiness.js';
import type { ReadinessFacts } from './readiness.js';

const DAY = 86_400_000;
const REVIEW_VIEW = VIEWS.pairReview;
const JUDGE_TABLE = TABLES.judgeCalibrations;

const n = (v: unknown): number => Number(v ?? 0);
const orNull = (v: unknown): number | null =>
  v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v);

export async function readinessFacts(store: Store, now = new Date()): Promise<ReadinessFacts> {
  const until = now.getTime();
  const [volume] = await store.query(gateSql('readiness_volume'), {
    since_ms: until - 30 * DAY,
    until_ms: until,
    gate_service: GATE.serviceName,
    synth_service: SYNTH.serviceName,
  });
  const versions = await store.query<{ rubric: string; versions: unknown }>(gateSql('readiness_versions'), {
    since_ms: until - 90 * DAY,
  });
  const [files] = await store.query(gateSql('readiness_files'), { since_ms: until - 90 * DAY });
  const calibration = await store.query<{
    rubric: string;
    human_pairs: unknown;
    agreement: unknown;
    status: string;
  }>(gateSql('readiness_calibration'));
  const density = await store.query<{ prompt_class: string; pairs: unknown }>(gateSql('readiness_density'));
  const [spread] = await store.query(gateSql('readiness_spread'));
  const tables = new Set(
    (
      await store.query<{ name: string }>(gateSql('readiness_tables'), { names: [REVIEW_VIEW, JUDGE_TABLE] })
    ).map((t) => t.name),
  );
  const judges = tables.has(JUDGE_TABLE)
    ? (
        await store.query<{ judge_version: string; status: string; kappa: unknown }>(
          gateSql('readiness_judges'),
        )
      ).map((j) => ({ version: j.judge_version, status: j.status, kappa: orNull(j.kappa) }))
    : null;
  const labelled = tables.has(REVIEW_VIEW)
    ? (
        await store.query<{ n_chosen: unknown; n_rejected: unknown; n_tie: unknown }>(
          gateSql('readiness_labels'),
        )
      ).map((r) => [n(r.n_chosen), n(r.n_rejected), n(r.n_tie)])
    : [];
  const perClass = density.map((d) => n(d.pairs)).sort((a, b) => a - b);
  const combined = calibration.find((c) => c.rubric === COMBINED_RUBRIC_ID);
  return {
    conversations30d: n(volume?.conversations),
    maxRubricVersions90d: Math.max(0, ...versions.map((v) => n(v.versions))),
    rubricFileVersions90d: n(files?.file_versions),
    combined: combined
      ? {
          status: combined.status,
          agreement: orNull(combined.agreement),
          humanPairs: n(combined.human_pairs),
        }
      : null,
    rubricStatuses: calibration
      .filter((c) => c.rubric !== COMBINED_RUBRIC_ID)
      .map((c) => ({ rubric: c.rubric, status: c.status, agreement: orNull(c.agreement) })),
    judges,
    pairs: perClass.reduce((a, b) => a + b, 0),
    classesWithPairs: perClass.length,
    medianPairsPerClass: perClass.length === 0 ? 0 : perClass[Math.floor((perClass.length - 1) / 2)]!,
    scoredClasses: n(spread?.classes),
    separatedClasses: n(spread?.separated),
    labelKappa: fleissKappa(labelled),
    labelledPairs: labelled.filter((c) => c[0]! + c[1]! + c[2]! >= 2).length,
  };
}
