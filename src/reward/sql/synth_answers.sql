-- Synthetic answers already stored (by their derived span ids), so a second `prefloop synth` run reuses them.
SELECT SpanId, any(Response) AS Response
FROM otel_traces
WHERE ServiceName = {service:String} AND SpanId IN {ids:Array(String)}
GROUP BY SpanId
