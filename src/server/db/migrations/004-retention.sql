-- 004: retention of the sync bookkeeping. Shipped migrations never change; add a new file instead.
--
-- `applied_changes` keeps each change id so a change sent again (its answer lost on the way back) is answered as
-- before, never applied twice. A row may go once the device that sent it can no longer send it again: when that
-- session pushes a change the device numbered later (it removes a change from its outbox only after hearing the
-- answer, and pushes the oldest first), or long after that session ended (src/server/sync/retention.ts).
ALTER TABLE applied_changes ADD COLUMN session_id text;
ALTER TABLE applied_changes ADD COLUMN seq bigint;
CREATE INDEX applied_changes_by_session ON applied_changes (session_id, seq) WHERE session_id IS NOT NULL;
CREATE INDEX applied_changes_by_age ON applied_changes (received_at);
