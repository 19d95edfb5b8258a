-- 002: sync. Shipped migrations never change; add a new file instead.
--
-- Every record a device may push lives in `records` (001), numbered by the school's version counter
-- (`school_versions`, 001): a push locks the school's counter row for its whole transaction, so versions are handed
-- out in commit order and a pull cursor never skips a change that commits late.

-- The observation a record belongs to (itself for an observation), so a change of who may see an observation can
-- renumber everything recorded in it and a pull can look its observation up.
ALTER TABLE records ADD COLUMN observation_id text;
CREATE INDEX records_by_observation ON records (school_id, observation_id) WHERE observation_id IS NOT NULL;

-- Each change id is applied once: a device that did not hear the answer sends it again and is told "duplicate".
CREATE TABLE applied_changes (
  school_id text NOT NULL,
  change_id text NOT NULL,
  person_id text NOT NULL,
  kind text NOT NULL,
  record_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('applied', 'refused')),
  reason text,
  version bigint,
  received_at bigint NOT NULL,
  PRIMARY KEY (school_id, change_id)
);

-- Which observations a device (session) has been sent: when its person may no longer see one (a share taken
-- back, a role changed), that device, and only a device that had it, is told the observation is gone.
CREATE TABLE deliveries (
  session_id text NOT NULL,
  observation_id text NOT NULL,
  PRIMARY KEY (session_id, observation_id)
);

-- What team figures read instead of every response: each completed observation's summary (src/core/insight/
-- summary.ts), computed by the server from the responses it holds whenever the observation or a response changes.
-- Devices compute their own; a summary never travels.
CREATE TABLE summaries (
  school_id text NOT NULL,
  observation_id text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (school_id, observation_id)
);
