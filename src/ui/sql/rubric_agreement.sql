-- Each rubric version's latest measured agreement with people.
SELECT RubricId, RubricVersion, toString(MeasuredAt) AS MeasuredAt, HumanPairs, Separated, Agreed, Agreement,
    Lower, Upper, Floor, Status
FROM rubric_agreement_current
ORDER BY RubricId, RubricVersion
LIMIT 100
