-- An exemplar whose fix is being re-scored: its prompt, answer, documents and attributes (so the
-- rubric file's applies_to sees what it saw), and the rubrics whose latest result for it missed the
-- threshold: those the fix must pass. No row when the span is not a stored LLM span.
WITH failed AS
(
    SELECT groupUniqArray(toString(Name)) AS Names
    FROM
    (
        SELECT Name, argMax(Metadata, IngestedAt) AS Meta
        FROM evaluations
        WHERE SpanId = {span_id:String}
        GROUP BY Name
    )
    WHERE JSONHas(Meta, 'passed') AND NOT JSONExtractBool(Meta, 'passed')
)
SELECT
    TraceId AS traceId,
    SpanId AS spanId,
    PromptMessages AS prompt,
    Response AS response,
    RetrievalDocuments AS documents,
    ModelName AS model,
    ServiceName AS service,
    SpanAttributes AS attributes,
    (SELECT Names FROM failed) AS failedRubrics
FROM otel_traces
WHERE SpanId = {span_id:String} AND (IsLlm = 1 OR LlmKind = 'LLM')
LIMIT 1
