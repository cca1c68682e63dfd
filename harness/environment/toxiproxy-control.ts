import { Toxiproxy } from 'toxiproxy-node-client';

import { HarnessError, ToxiproxyApiError } from '../errors.ts';
import type { ProxyStats, ToxicSpec } from '../model/environment.ts';
import { describeError } from './describe-error.ts';
import { maskUrlPassword, redactBaseUrl } from './redact-url.ts';

/** A proxy as the Toxiproxy API returns it. */
export interface ProxyRecord {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: { name: string; type: string }[];
}

interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

/** Body of the built-in server's `GET /proxies/:name/stats`. */
interface StatsReply {
  bytes_upstream: number;
  bytes_downstream: number;
  connections: number;
}

const REFETCH_TIMEOUT_MS = 5_000;

/** Deadline of one API call, in ms; every call the built-in server serves takes a few ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface ToxiproxyControlOptions {
  /** Deadline of each API call, in ms. @default DEFAULT_REQUEST_TIMEOUT_MS */
  requestTimeoutMs?: number;
}

/**
 * The Toxiproxy HTTP API through `toxiproxy-node-client`, with every failure turned into a
 * `ToxiproxyApiError` that carries the HTTP status and the response body. Client 4.1 rejects
 * with a `ToxiproxyError` that keeps the status only inside its message and drops the body.
 */
export class ToxiproxyControl {
  readonly apiUrl: string;
  readonly #client: Toxiproxy;
  readonly #requestTimeoutMs: number;

  constructor(apiUrl: string, options: ToxiproxyControlOptions = {}) {
    this.apiUrl = apiUrl.replace(/\/+$/, '');
    this.#client = new Toxiproxy(this.apiUrl);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Returns the server's version, from `{"version": "2.12.0"}` or a plain-text body. */
  async version(): Promise<string> {
    const reply = await this.#call({ method: 'GET', path: '/version' }, () => this.#client.getVersion());
    return readVersion(reply);
  }

  async getProxy(name: string): Promise<ProxyRecord> {
    const path = proxyPath(name);
    const api = this.#client.getApi();
    const reply = await this.#call({ method: 'GET', path }, () => api.get<ProxyRecord>(this.#url(path)));
    return reply.data;
  }

  async createProxy(body: { name: string; listen: string; upstream: string }): Promise<ProxyRecord> {
    const request = { method: 'POST', path: '/proxies', body: { ...body, enabled: true } } as const;
    const proxy = await this.#call(request, () => this.#client.createProxy(request.body));
    return { ...proxy.toJson(), toxics: [] };
  }

  async updateProxy(name: string, body: { enabled?: boolean }): Promise<void> {
    const request = { method: 'POST', path: proxyPath(name), body } as const;
    await this.#call(request, () => this.#client.getApi().post(this.#url(request.path), body));
  }

  async deleteProxy(name: string): Promise<void> {
    const path = proxyPath(name);
    await this.#call({ method: 'DELETE', path }, () => this.#client.getApi().delete(this.#url(path)));
  }

  /** Deletes proxy `name` if it exists, so it can be created anew. */
  async deleteProxyIfPresent(name: string): Promise<void> {
    try {
      await this.deleteProxy(name);
    } catch (error) {
      if (!(error instanceof ToxiproxyApiError && error.status === 404)) throw error;
    }
  }

  /** Returns proxy `name`, or `undefined` when the server has none of that name. */
  async findProxy(name: string): Promise<ProxyRecord | undefined> {
    try {
      return await this.getProxy(name);
    } catch (error) {
      if (error instanceof ToxiproxyApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async addToxic(proxyName: string, toxic: ToxicSpec): Promise<void> {
    // A toxic without `stream` goes out without one, so the server's own default applies.
    const body = { toxicity: 1, ...toxic };
    const request = { method: 'POST', path: `${proxyPath(proxyName)}/toxics`, body } as const;
    await this.#call(request, () => this.#client.getApi().post(this.#url(request.path), body));
  }

  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    const path = `${proxyPath(proxyName)}/toxics/${encodeURIComponent(toxicName)}`;
    await this.#call({ method: 'DELETE', path }, () => this.#client.getApi().delete(this.#url(path)));
  }

  /** Reads the built-in server's byte counters; real Toxiproxy has no such endpoint. */
  async proxyStats(name: string): Promise<ProxyStats> {
    const path = `${proxyPath(name)}/stats`;
    const api = this.#client.getApi();
    const reply = await this.#call({ method: 'GET', path }, () => api.get<StatsReply>(this.#url(path)));
    const { bytes_upstream, bytes_downstream, connections } = reply.data;
    return { bytesUpstream: bytes_upstream, bytesDownstream: bytes_downstream, connections };
  }

  #url(path: string): string {
    return `${this.apiUrl}${path}`;
  }

  async #call<T>(request: ApiRequest, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.#timeoutError(request)), this.#requestTimeoutMs);
    });
    try {
      // NOTE: the client takes no abort signal, so a call past its deadline is abandoned, not
      // cancelled: its socket stays open until the server responds or closes it.
      return await Promise.race([run(), deadline]);
    } catch (error) {
      if (error instanceof HarnessError) throw error;
      throw await toApiError(this.apiUrl, request, error);
    } finally {
      clearTimeout(timer);
    }
  }

  #timeoutError(request: ApiRequest): HarnessError {
    return new HarnessError(
      'WUC_ERR_TOXIPROXY_TIMEOUT',
      `Toxiproxy API ${request.method} ${redactBaseUrl(this.apiUrl)}${request.path} got no response within ${this.#requestTimeoutMs} ms, ` +
        `so the proxy at ${redactBaseUrl(this.apiUrl)} is not responding; restart it or point TOXIPROXY_URL at one that responds`,
    );
  }
}

function proxyPath(name: string): string {
  return `/proxies/${encodeURIComponent(name)}`;
}

/** Reads the string that client 4.1 returns or the `{ data }` response of axios-based releases. */
function readVersion(reply: unknown): string {
  const raw = isRecord(reply) && 'data' in reply ? reply['data'] : reply;
  if (isRecord(raw) && typeof raw['version'] === 'string') return raw['version'];

  const text = String(raw).trim();
  const parsed = parseJson(text);
  return isRecord(parsed) && typeof parsed['version'] === 'string' ? parsed['version'] : text;
}

async function toApiError(apiUrl: string, request: ApiRequest, error: unknown): Promise<ToxiproxyApiError> {
  const kept = readKeptResponse(error);
  // Messages show the URL without its password; the request itself keeps it.
  const redactedUrl = redactBaseUrl(apiUrl);
  const where = `${request.method} ${redactedUrl}${request.path}`;
  if (kept.status === undefined) {
    const message =
      `Toxiproxy API ${where} failed: ${maskUrlPassword(describeError(error), apiUrl)}; ` +
      `check that a Toxiproxy API responds at ${redactedUrl}`;
    return new ToxiproxyApiError(message, 0, null, { cause: error });
  }

  const body = kept.body !== undefined ? kept.body : await refetchBody(apiUrl, request, kept.status);
  const detail = isRecord(body) && typeof body['error'] === 'string' ? body['error'] : maskUrlPassword(describeError(error), apiUrl);
  const message = `Toxiproxy API ${where} returned ${kept.status}: ${detail}`;
  return new ToxiproxyApiError(message, kept.status, body, { cause: error });
}

/** Finds the status (and body, when kept) on the rejection of any client release. */
function readKeptResponse(error: unknown): { status?: number; body?: unknown } {
  if (isRecord(error) && isRecord(error['response']) && typeof error['response']['status'] === 'number') {
    return { status: error['response']['status'], body: error['response']['data'] };
  }
  if (isRecord(error) && typeof error['status'] === 'number') return { status: error['status'] };

  let message = '';
  if (error instanceof Error) message = error.message;
  else if (isRecord(error)) message = String(error['message']);
  const match = /status code (\d{3})/.exec(message);
  return match === null ? {} : { status: Number(match[1]) };
}

/**
 * Sends the failed request again with `fetch` to read the error body the client dropped.
 * NOTE: this repeats a POST or DELETE. Toxiproxy's error statuses (400, 404, 409, and 500 for a
 * listen failure) depend only on the request and the proxies, which only this harness changes,
 * so the repeat fails the same way. A repeat that returns another status gives no body, and
 * if it succeeded, its change stays.
 */
async function refetchBody(apiUrl: string, request: ApiRequest, status: number): Promise<unknown> {
  try {
    const response = await fetch(`${apiUrl}${request.path}`, {
      method: request.method,
      headers: request.body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(REFETCH_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== status) return null;
    return parseJson(text) ?? text;
  } catch {
    // The body only adds detail to an error that is already being reported.
    return null;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: the caller keeps the text.
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
