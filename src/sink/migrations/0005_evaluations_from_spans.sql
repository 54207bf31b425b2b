-- prefloop's rubric results live on the span as OpenInference `evaluations.{i}.evaluation.*` attributes;
-- this materialized view copies them into `evaluations` as the span row is inserted, so each result is
-- written once by the pipeline and read per span by the views. It also fills `evaluations` for spans
-- another writer stored (the Collector's clickhouseexporter behind an app running RubricSpanProcessor).
-- Only prefloop's own results are taken: their metadata names "rubric_file_hash" (the same raw-text test as
-- hasRubricFileHash in src/normalize/extractFeedback.ts, which leaves them to this view). Other upstream
-- evaluators' results are still written as rows by the pipeline, with their own ids. A result describes the
-- span that carries it, links or not: prefloop scored that span.
-- The row is the one the pipeline used to write: EvaluationId `<trace>:<span>:<rubric id>@<version>`,
-- Origin 'prefloop' (PREFLOOP_ORIGIN in src/sink/rows.ts), RubricVersion after the identifier's first '@'
-- (rubric ids cannot hold one; versions can); Timestamp is the span's (views order a session's results by it).
-- mapFilter first: the lookups then scan ~49 evaluation keys, not every attribute. Each joined row carries
-- its span's evaluation map, so the work grows with the square of the results: a span with more than 1,792
-- evaluation attributes (256 results) is stored, but none of its results is copied — a hostile span with
-- thousands would otherwise make one insert run for minutes (README, "Rubrics").
CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.evaluations_from_spans_mv ${on_cluster}
TO ${db}.evaluations AS
WITH mapFilter((k, v) -> startsWith(k, 'evaluations.'), SpanAttributes) AS ev
SELECT
    Timestamp,
    TraceId,
    SpanId,
    '' AS SessionId,
    concat(TraceId, ':', SpanId, ':', ev[concat(p, 'identifier')]) AS EvaluationId,
    ev[concat(p, 'name')] AS Name,
    -- As the pipeline wrote it: a score that is not a finite number is NULL.
    if(isFinite(toFloat64OrZero(ev[concat(p, 'score')])), toFloat64OrNull(ev[concat(p, 'score')]), NULL) AS Score,
    ev[concat(p, 'label')] AS Label,
    ev[concat(p, 'explanation')] AS Explanation,
    ev[concat(p, 'annotator_kind')] AS AnnotatorKind,
    '' AS AnnotatorId,
    ev[concat(p, 'identifier')] AS Identifier,
    substring(Identifier, position(Identifier, '@') + 1) AS RubricVersion,
    'prefloop' AS Origin,
    ev[concat(p, 'metadata')] AS Metadata
FROM ${db}.otel_traces
ARRAY JOIN
    if(
        length(ev) <= 7 * 256,
        arrayMap(k -> substring(k, 1, length(k) - 8), arrayFilter(k -> endsWith(k, '.evaluation.metadata'), mapKeys(ev))),
        []
    ) AS p
WHERE position(Metadata, '"rubric_file_hash"') > 0;
