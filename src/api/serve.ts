/**
 * Serves the API with `Deno.serve`. Refuses to listen beyond the loopback interface without a
 * token, since the API can change meters' addresses and baud rates.
 *
 * @module
 */
import { API_DEFAULTS } from "../gateway/mod.ts";
import { ConfigError } from "../util/mod.ts";
import type { ApiBackend } from "./backend.ts";
import { createApp, type CreateAppOptions } from "./create_app.ts";

/** Options of {@link serveApi}. */
export interface ServeApiOptions extends CreateAppOptions {
  /**
   * Interface to listen on.
   * @default API_DEFAULTS.host (config schema)
   */
  hostname?: string;
  /**
   * TCP port; 0 picks a free one.
   * @default API_DEFAULTS.port (config schema)
   */
  port?: number;
  /**
   * Aborting it shuts the server down (like {@link ApiServer.shutdown}).
   * @default undefined
   */
  signal?: AbortSignal;
}

/** A running API server. */
export interface ApiServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  /** Ends event streams, stops accepting requests and waits for the server to stop. */
  shutdown(): Promise<void>;
}

/**
 * Whether a host name is a loopback address.
 *
 * @param hostname Host name or IP text.
 * @returns True for `localhost`, 127.0.0.0/8 and ::1.
 */
export function isLoopback(hostname: string): boolean {
  const h = hostname.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Starts the HTTP API.
 *
 * @example
 * ```ts ignore
 * await using server = serveApi(host, { port: 0 });
 * const res = await fetch(`${server.url}/healthz`);
 * ```
 * @param backend The gateway host.
 * @param options Host, port, token, signal, and the {@link CreateAppOptions}.
 * @returns The running server.
 * @throws {ConfigError} On a non-loopback host without a token, or when the port is taken.
 */
export function serveApi(
  backend: ApiBackend,
  options: ServeApiOptions = {},
): ApiServer {
  const hostname = options.hostname ?? API_DEFAULTS.host;
  const port = options.port ?? API_DEFAULTS.port;
  if (!isLoopback(hostname) && !options.token) {
    throw new ConfigError(
      "api.host",
      `Cannot listen on "${hostname}" without a token: set api.token or use 127.0.0.1`,
    );
  }
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const app = createApp(backend, {
    ...options,
    signal: stop.signal,
    guard: { ...options.guard, listenHost: hostname },
  });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname,
      port,
      onListen: () => {},
    }, app.fetch);
  } catch (e) {
    options.signal?.removeEventListener("abort", onOuterAbort);
    stop.abort();
    throw new ConfigError(
      "api.port",
      `Cannot listen on ${hostname}:${port}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
  const bound = server.addr;
  const host = bound.hostname.includes(":")
    ? `[${bound.hostname}]`
    : bound.hostname;
  const finished = server.finished.finally(() => {
    options.signal?.removeEventListener("abort", onOuterAbort);
  });
  let stopping: Promise<void> | undefined;
  function shutdown(): Promise<void> {
    // Event streams end first, so the graceful shutdown does not wait on them forever.
    stopping ??= (async () => {
      stop.abort();
      await server.shutdown();
      await finished;
    })();
    return stopping;
  }
  stop.signal.addEventListener("abort", () => void shutdown(), { once: true });
  if (options.signal?.aborted) stop.abort();
  return {
    url: `http://${host}:${bound.port}`,
    port: bound.port,
    finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
