-- A claim's cost inside PostgreSQL (docs/factory-broker.md, "PostgreSQL's share of a claim").

-- Room for every row of a page to take a new version on the same page: a claim, then a report,
-- each writes a new row version. At fillfactor 80 a page of ~45 rows had room for ~11 new ones,
-- and the lines claim neighbouring rows at once, so pruning (which needs the page to itself) often
-- could not run: 12% of the claims were not HOT updates and wrote into all four indexes. At 50 a
-- page holds ~29 rows and room for as many new versions. Applies to pages written from now on.
ALTER TABLE package SET (fillfactor = 50);

-- PostgreSQL parses and plans a table's CHECK constraints again on every UPDATE (stringToNode,
-- expression_planner: about a tenth of a claim's CPU in PostgreSQL for the two). A domain's check
-- is parsed once per connection, so the list of states moves to a domain; the cross-column check
-- (a claimed package names its line and lease) stays on the table.
CREATE DOMAIN package_state AS varchar(16)
    CONSTRAINT package_state_values CHECK (VALUE IN ('AVAILABLE', 'CLAIMED', 'REPORTED', 'PURGED'));
ALTER TABLE package DROP CONSTRAINT package_state_check;
ALTER TABLE package ALTER COLUMN state TYPE package_state;
