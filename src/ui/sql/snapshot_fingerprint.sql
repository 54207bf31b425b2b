-- What the pair views read ({tables}), per table as its active rows and highest block number (from the
-- catalogue: no table is scanned). Every insert takes a new block number, so an insert shows even when a
-- merge has since folded a replaced row away and the row count is back where it was.
SELECT arrayStringConcat(groupArray(concat(table, ':', toString(rows), ':', toString(block))), ',') AS fingerprint
FROM
(
    SELECT table, sum(rows) AS rows, max(max_block_number) AS block
    FROM system.parts
    WHERE database = currentDatabase() AND active AND has({tables:Array(String)}, table)
    GROUP BY table
    ORDER BY table
)
