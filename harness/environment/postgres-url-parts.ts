import { redactUrl } from './redact-url.ts';

/** The parts of a Postgres connection URL that the environment hands on. */
export interface PostgresUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

const DEFAULT_PORT = 5432;

/** Splits a `postgres://` or `postgresql://` URL; throws an `Error` naming the redacted value. */
export function parsePostgresUrl(url: string): PostgresUrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new Error(`${redactUrl(url)} is not a valid URL; use postgres://user:password@host:port/database`, {
      cause: error,
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`${redactUrl(url)} does not start with postgres:// or postgresql://`);
  }
  if (parsed.hostname === '') {
    throw new Error(`${redactUrl(url)} has no host; use postgres://user:password@host:port/database`);
  }

  const user = decodeURIComponent(parsed.username);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
    user,
    password: decodeURIComponent(parsed.password),
    // libpq and pg use the user name when the URL names no database.
    database: database === '' ? user : database,
  };
}

/** Builds `postgres://user:password@host:port/database`, escaping each part. */
export function buildPostgresUrl(parts: PostgresUrlParts): string {
  const url = new URL('postgres://placeholder');
  url.username = encodeURIComponent(parts.user);
  url.password = encodeURIComponent(parts.password);
  url.hostname = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  url.port = String(parts.port);
  url.pathname = `/${encodeURIComponent(parts.database)}`;
  return url.toString();
}

/** Returns `url` pointing at `host:port`, keeping credentials, database and query parameters. */
export function withHostPort(url: string, host: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = host.includes(':') ? `[${host}]` : host;
  parsed.port = String(port);
  return parsed.toString();
}
