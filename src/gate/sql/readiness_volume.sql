-- Readiness: LLM conversations in the window (a session counts once; a span without a session is its own
-- conversation), the gate's and synth's own answers left out (they are not production traffic).
SELECT
    uniqExact(if(SessionId != '', concat('s:', SessionId), concat('t:', TraceId))) AS conversations,
    count() AS spans
FROM llm_spans
WHERE Timestamp >= fromUnixTimestamp64Milli({since_ms:Int64})
    AND Timestamp < fromUnixTimestamp64Milli({until_ms:Int64})
    AND ServiceName NOT IN ({gate_service:String}, {synth_service:String})
