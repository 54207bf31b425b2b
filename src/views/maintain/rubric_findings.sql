-- pair_keys_rubric for the given prompt classes only (issue 28's maintained pairs, src/views/README.md "Pairs
-- at scale"): the same rule and columns (span_rubric_scores → rubric_matches → pair_keys_rubric), reading the
-- classes' spans and only their evaluations. Kept equal to
-- `pair_keys_rubric WHERE prompt_class IN {classes}` by test/integration/views/classFindings.test.ts; a change
-- to those view files goes here too. Not a view: run as a query with {classes:Array(String)}.
WITH
    ifNull(nullIf((
        SELECT any(a.Status)
        FROM ${db}.rubric_agreement_current AS a
        INNER JOIN ${db}.rubric_combination AS k ON a.RubricId = k.RubricId AND a.RubricVersion = k.RubricVersion
    ), ''), 'unknown') AS gate,
    unit_spans AS
    (
        SELECT TraceId, SpanId, Timestamp, SessionId, PromptHash, PromptClass, ResponseHash
        FROM ${db}.llm_span_index
        WHERE PromptClass IN {classes:Array(String)}
        LIMIT 1 BY TraceId, SpanId
    ),
    -- span_rubric_scores for the classes' spans.
    scores AS
    (
        SELECT
            e.SpanId AS SpanId,
            sum(c.Weight * if(c.HigherIsBetter = 1, e.LatestScore, -e.LatestScore)) / sum(c.Weight) AS Combined,
            sum(c.Weight * c.NoiseFloor) / sum(c.Weight) AS NoiseFloor,
            arrayStringConcat(arraySort(groupArray(toString(e.Name))), ',') AS Applied,
            toJSONString(mapFromArrays(groupArray(e.Name), groupArray(e.LatestScore))) AS Scores,
            toJSONString(mapFromArrays(groupArray(e.Name), groupArray(e.RubricVersion))) AS Versions
        FROM
        (
            SELECT SpanId, Name, RubricVersion, argMax(assumeNotNull(Score), IngestedAt) AS LatestScore
            FROM ${db}.evaluations
            WHERE Score IS NOT NULL
                AND SpanId IN (SELECT SpanId FROM unit_spans)
            GROUP BY SpanId, Name, RubricVersion
        ) AS e
        INNER JOIN ${db}.rubric_config_current AS c ON c.RubricId = e.Name AND c.RubricVersion = e.RubricVersion
        WHERE c.Weight > 0
        GROUP BY e.SpanId
    ),
    -- rubric_matches within the classes.
    ranked AS
    (
        SELECT
            s.PromptClass AS PromptClass,
            arraySort(x -> (-x.2, x.1), groupArray(tuple(s.SpanId, r.Combined, r.NoiseFloor, r.Scores, r.Versions, s.PromptHash, s.ResponseHash, s.Timestamp))) AS answers
        FROM scores AS r
        INNER JOIN unit_spans AS s ON s.SpanId = r.SpanId
        GROUP BY s.PromptClass, r.Applied
        HAVING length(answers) >= 2
    ),
    matches AS
    (
        SELECT
            PromptClass,
            answers[k + 1] AS high,
            answers[length(answers) - k] AS low,
            high.2 - low.2 AS gap,
            greatest(high.3, low.3) AS noise_floor
        FROM ranked
        ARRAY JOIN range(intDiv(length(answers), 2)) AS k
    )
SELECT
    'rubric' AS source,
    high.6 AS prompt_hash,
    PromptClass AS prompt_class,
    high.1 AS prompt_span_id,
    high.1 AS chosen_span_id,
    low.1 AS rejected_span_id,
    high.7 AS chosen_hash,
    low.7 AS rejected_hash,
    '' AS fix_response,
    toFloat64(gap) AS margin,
    greatest(high.8, low.8) AS created,
    CAST(NULL, 'Nullable(Float64)') AS agreement,
    concat(
        '{"chosen_score":', toString(round(high.2, 9)),
        ',"rejected_score":', toString(round(low.2, 9)),
        ',"noise_floor":', toString(round(noise_floor, 9)),
        ',"chosen_scores":', high.4,
        ',"rejected_scores":', low.4,
        ',"rubric_versions":', high.5,
        ',"rejected_prompt_hash":', toJSONString(low.6),
        ',"gate":', toJSONString(gate), '}') AS metadata
FROM matches
WHERE gap > noise_floor
