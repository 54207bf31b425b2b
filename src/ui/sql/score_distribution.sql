-- Each rubric's score distribution over its automatic results (code and LLM judges), in up to 10 bins.
SELECT
    Name AS rubric,
    count() AS results,
    arrayMap(b -> (b.1, b.2, round(b.3)), histogram(10)(assumeNotNull(Score))) AS bins
FROM evaluations
WHERE Score IS NOT NULL AND AnnotatorKind != 'HUMAN'
GROUP BY Name
ORDER BY Name
LIMIT 50
