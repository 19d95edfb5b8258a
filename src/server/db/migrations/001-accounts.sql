-- 001: schools and their accounts (set-up tokens, sign-in codes, sessions), and the synced records.
--
-- A migration file never changes once shipped: the server keeps each applied file's SHA-256 in schema_migrations
-- and refuses to start when the file differs (src/server/db/migrate.ts). Change the schema with a new numbered file.
--
-- Times are bigint epoch milliseconds, as on the devices (Date.now()), never timestamptz. Secrets (set-up tokens,
-- sign-in codes, session tokens) are stored only as their SHA-256, hex. A person is not a table here: people are
-- synced records (kind 'person'), so sessions and codes name a person_id that lives in `records`.

CREATE TABLE schools (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at bigint NOT NULL
);

-- The school's change counter: every record write takes the next number (src/server/db/records.ts), so a device
-- pulls "everything after version n" in the order the server committed it, whatever the tablets' clocks say.
CREATE TABLE school_versions (
  school_id text PRIMARY KEY REFERENCES schools (id),
  version bigint NOT NULL DEFAULT 0
);

-- Every synced record (kinds: src/core/sync/change.ts) as the devices hold it, with the version of its last write.
CREATE TABLE records (
  school_id text NOT NULL REFERENCES schools (id),
  kind text NOT NULL,
  id text NOT NULL,
  data jsonb NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (school_id, kind, id)
);
CREATE INDEX records_by_version ON records (school_id, version);

-- A set-up link opens one new school, once. school_id is the school it opened.
CREATE TABLE setup_tokens (
  token_hash text PRIMARY KEY,
  created_at bigint NOT NULL,
  used_at bigint,
  school_id text REFERENCES schools (id)
);

-- Single-use sign-in codes an administrator issues for a person. A wrong code matches no row, so failed attempts
-- are counted per address and per server (rate limits), not per code.
CREATE TABLE sign_in_codes (
  id text PRIMARY KEY,
  school_id text NOT NULL REFERENCES schools (id),
  person_id text NOT NULL,
  code_hash text NOT NULL UNIQUE,
  created_by text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  used_at bigint
);
CREATE INDEX sign_in_codes_by_person ON sign_in_codes (school_id, person_id);

-- A signed-in device. Revoking sets revoked_at; the row stays, so the list of devices can say what was revoked.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  school_id text NOT NULL REFERENCES schools (id),
  person_id text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  device_label text NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX sessions_by_person ON sessions (school_id, person_id);
