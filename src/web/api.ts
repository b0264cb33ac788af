/**
 * Talking to the gateway's HTTP API from the page: JSON requests with the bearer token, a
 * login prompt when a request is refused for want of one, and one shared event stream.
 *
 * @module
 */

/** An API error answer. */
export class ApiFailure extends Error {
  /** HTTP status. */
  readonly status: number;
  /** The API's error code (`INVALID_CONFIG`, `NO_RESPONSE`, …). */
  readonly code: string;
  /** Details of the answer (e.g. `path` of a config error). */
  readonly details: Record<string, unknown>;
  /**
   * @param status HTTP status.
   * @param code Error code.
   * @param message Error message.
   * @param details Further fields.
   */
  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiFailure";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const TOKEN_KEY = "mbusgw-token";
let token = sessionStorage.getItem(TOKEN_KEY) ?? "";
let askToken: (() => Promise<string | null>) | null = null;

/** The token in use ("" when none). */
export function currentToken(): string {
  return token;
}

/**
 * Sets the token for this browser tab.
 *
 * @param value The token ("" signs out).
 */
export function setToken(value: string): void {
  token = value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Registers what asks the user for a token when the API answers 401.
 *
 * @param ask Resolves with the token, or null when the user gives up.
 */
export function onTokenNeeded(ask: () => Promise<string | null>): void {
  askToken = ask;
}

async function send(
  method: string,
  path: string,
  body: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  return await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * One API call; asks for a token and repeats once when the API wants one.
 *
 * @param method HTTP method.
 * @param path Path under the server, e.g. `/api/instances`.
 * @param body JSON body.
 * @returns The parsed answer.
 * @throws {ApiFailure} When the API answers with an error.
 */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  let res = await send(method, path, body);
  if (res.status === 401 && askToken) {
    const t = await askToken();
    if (t !== null) {
      setToken(t);
      res = await send(method, path, body);
    }
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { message: text };
  }
  if (!res.ok) {
    const d = (data ?? {}) as Record<string, unknown>;
    const err = (d.error ?? d) as Record<string, unknown>;
    throw new ApiFailure(
      res.status,
      String(err.code ?? res.status),
      String(err.message ?? res.statusText),
      err,
    );
  }
  return data as T;
}

/** A live event from `GET /events`. */
export interface LiveEvent {
  /** Event name. */
  type: string;
  /** Instance it belongs to. */
  instance?: string;
  /** Further fields. */
  [field: string]: unknown;
}

type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;
const TYPES = [
  "valueChanged",
  "scanProgress",
  "scanFinished",
  "busState",
  "bridgeState",
  "readFailed",
];

/**
 * Subscribes to the live events (one shared `EventSource`).
 *
 * @param listener Called with each event.
 * @returns Unsubscribes.
 */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource("/events");
    for (const t of TYPES) {
      source.addEventListener(t, (m) => {
        let e: LiveEvent;
        try {
          e = JSON.parse((m as MessageEvent<string>).data) as LiveEvent;
        } catch {
          return;
        }
        for (const l of [...listeners]) l(e);
      });
    }
  }
  return () => {
    listeners.delete(listener);
  };
}

/**
 * The URL of an instance's resource.
 *
 * @param name Instance name.
 * @param rest Path after the instance.
 * @returns `/api/instances/NAME/rest`.
 */
export function instanceUrl(name: string, rest = ""): string {
  return `/api/instances/${encodeURIComponent(name)}${rest}`;
}
