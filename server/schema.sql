-- Schema and seed rows of the reference server. Safe to apply any number of times: tables are
-- created only when missing and seed rows are skipped when present. The advisory lock keeps two
-- processes that apply it at once from racing on CREATE TABLE.
BEGIN;

SELECT pg_advisory_xact_lock(hashtext('ws-upgrade-chaos schema'));

CREATE TABLE IF NOT EXISTS users (
  id text PRIMARY KEY,
  disabled boolean NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS permissions (
  user_id text NOT NULL REFERENCES users (id),
  channel text NOT NULL,
  PRIMARY KEY (user_id, channel)
);

CREATE TABLE IF NOT EXISTS revoked_tokens (
  jti text PRIMARY KEY,
  revoked_at timestamptz NOT NULL DEFAULT now()
);

-- Counters of the rate limiter with RATE_LIMIT_STORE=postgres, in the layout rate-limiter-flexible
-- 11 (RateLimiterPostgres) reads and writes: key, points used, expiry in ms since the epoch.
CREATE TABLE IF NOT EXISTS rate_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- user-0001 ... user-1000, each allowed on channel lobby.
INSERT INTO users (id)
SELECT 'user-' || lpad(n::text, 4, '0') FROM generate_series(1, 1000) AS n
ON CONFLICT DO NOTHING;

INSERT INTO permissions (user_id, channel)
SELECT 'user-' || lpad(n::text, 4, '0'), 'lobby' FROM generate_series(1, 1000) AS n
ON CONFLICT DO NOTHING;

-- A disabled user that still has a permission row, so only the disabled flag rejects it.
INSERT INTO users (id, disabled) VALUES ('user-disabled', true) ON CONFLICT DO NOTHING;
INSERT INTO permissions (user_id, channel) VALUES ('user-disabled', 'lobby') ON CONFLICT DO NOTHING;

-- An enabled user without any permission row.
INSERT INTO users (id) VALUES ('user-no-permission') ON CONFLICT DO NOTHING;

INSERT INTO revoked_tokens (jti) VALUES ('revoked-token-id') ON CONFLICT DO NOTHING;

COMMIT;
