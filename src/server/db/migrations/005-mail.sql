-- 005: e-mail notices. Shipped migrations never change; add a new file instead.
--
-- A person's choice (opt-in): the address and the kinds of notice they want (src/core/notify/settings.ts). Only its
-- owner and the school's administrators read it; it goes when the person goes (src/server/mail/). Notices go only to
-- a confirmed address (`confirmed_at`): the staff list's address of the person is confirmed by the school; any other
-- by a link sent to it, whose token is kept as its SHA-256 (`confirm_hash`, made at `confirm_sent_at`).
CREATE TABLE mail_settings (
  school_id text NOT NULL REFERENCES schools (id),
  person_id text NOT NULL,
  address text NOT NULL,
  kinds jsonb NOT NULL,
  updated_at bigint NOT NULL,
  confirmed_at bigint,
  confirm_hash text,
  confirm_sent_at bigint,
  PRIMARY KEY (school_id, person_id)
);

-- The outbox of e-mail: one row per notice, put in by the transaction that caused it (a push) or by the reminder
-- round, and sent by the mail loop. `key` names what the notice is about (`handedOver:<observation>`,
-- `reminder:<observation>:read:2`): a notice with a key the school has is never put in again, so it is never sent
-- twice, across restarts and processes. A row holds no content: the message is written when it is sent, from the
-- records as they are then, and says only that something waits. Attempts back off; a row given up keeps why.
CREATE TABLE mail_queue (
  id text PRIMARY KEY,
  school_id text NOT NULL REFERENCES schools (id),
  person_id text NOT NULL,
  kind text NOT NULL,
  key text NOT NULL,
  subject_id text NOT NULL,
  created_at bigint NOT NULL,
  next_attempt_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at bigint,
  given_up_at bigint,
  -- A calendar invitation's SEQUENCE as sent: the next one to this person for this visit is always higher.
  sequence bigint,
  UNIQUE (school_id, key)
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
CREATE INDEX mail_queue_by_person ON mail_queue (school_id, person_id, sent_at);

-- The key that signs unsubscribe links (RFC 8058): one per server, made at first use. A link says whose e-mail it
-- stops and carries its HMAC, so no token per person is stored.
CREATE TABLE mail_keys (
  id text PRIMARY KEY,
  secret text NOT NULL,
  created_at bigint NOT NULL
);

-- A colleague's e-mail address now reaches only that person and the administrators (src/core/sync/audience.ts,
-- `asReceived`). Devices that were sent people's records with addresses before get those records again, without
-- them: each such record takes the next versions of its school's counter, so every device's next pull meets it.
WITH numbered AS (
  SELECT school_id, id, row_number() OVER (PARTITION BY school_id ORDER BY version) AS n
    FROM records WHERE kind = 'person' AND data ? 'email'
), counts AS (
  SELECT school_id, max(n) AS n FROM numbered GROUP BY school_id
), taken AS (
  UPDATE school_versions v SET version = v.version + c.n FROM counts c
   WHERE v.school_id = c.school_id
  RETURNING v.school_id, v.version - c.n AS base
)
UPDATE records r SET version = t.base + nb.n
  FROM numbered nb JOIN taken t ON t.school_id = nb.school_id
 WHERE r.school_id = nb.school_id AND r.kind = 'person' AND r.id = nb.id;
