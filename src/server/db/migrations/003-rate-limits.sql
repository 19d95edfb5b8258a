-- 003: rate limits shared by every server process on this database. Shipped migrations never change; add a new file.
--
-- One row per limited thing (`key`: the sign-in attempts of one address, the failed sign-ins of the whole server):
-- a fixed window that starts at its first counted request and ends `window_ends` (epoch milliseconds), with how many
-- were counted in it. Counting is one upsert (src/server/http/rate-limits.ts), so processes never lose a count
-- between them. Rows whose window has ended mean nothing any more and are deleted now and then.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  window_ends bigint NOT NULL,
  count integer NOT NULL
);

CREATE INDEX rate_limits_by_end ON rate_limits (window_ends);
