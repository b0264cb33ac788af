/**
 * Shared setup of the end-to-end API tests: the real gateway (WiredSource over the Master)
 * on simulated demo buses, on a virtual clock, with the API app over it.
 *
 * @module
 */
import type { Hono } from "hono";
import {
  createApp,
  serveApi,
  type ServeApiOptions,
} from "../../src/api/mod.ts";
import {
  type GatewayConfig,
  GatewayHost,
  History,
  openSource,
  parseConfig,
  WiredSource,
} from "../../src/gateway/mod.ts";
import { RealClock, VirtualClock } from "../../src/util/mod.ts";
import {
  createSimulation,
  startTcpEndpoint,
  type VirtualBus,
} from "../../sim/mod.ts";

/** A meter key that must never show up in an answer. */
export const KEY = "000102030405060708090A0B0C0D0E0F";

/** What {@link simApi} sets up. */
export interface SimApi extends AsyncDisposable {
  /** The gateway host. */
  host: GatewayHost;
  /** Its virtual clock. */
  clock: VirtualClock;
  /** The simulated bus of each instance. */
  buses: Map<string, VirtualBus>;
  /** The history store. */
  history: History;
  /** The API app. */
  app: Hono;
  /** `app.request` driven on the virtual clock until it answers. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** A host whose every instance has its own simulated demo bus, and the API app over it. */
export async function simApi(
  gateways: Record<string, unknown>[],
  options: { token?: string } = {},
): Promise<SimApi> {
  const clock = new VirtualClock();
  const buses = new Map<string, VirtualBus>();
  const history = new History();
  const config = parseConfig({
    gateways: gateways.map((g) => ({
      host: "127.0.0.1",
      idleTimeout: 0,
      requestTimeout: 300,
      ...g,
    })),
  });
  const host = await GatewayHost.create(config, {
    clock,
    history,
    tz: "UTC",
    openSource: (g: GatewayConfig, c) => {
      const bus = createSimulation("demo");
      buses.set(g.name, bus);
      return new WiredSource({
        transport: bus.connect({ clock: c }),
        clock: c,
        requestTimeoutMs: g.requestTimeout,
        idleTimeoutMs: g.idleTimeout,
        retry: g.retry,
      });
    },
  });
  const stop = new AbortController();
  const app = createApp(host, {
    clock,
    signal: stop.signal,
    heartbeatMs: 3_600_000,
    ...options,
  });
  /** A request whose handler may wait on the virtual clock. */
  function request(path: string, init?: RequestInit): Promise<Response> {
    return clock.drive(Promise.resolve(app.request(path, init)));
  }
  return {
    host,
    clock,
    buses,
    history,
    app,
    request,
    async [Symbol.asyncDispose]() {
      stop.abort();
      await host.stop();
      history.close();
    },
  };
}

/** A JSON POST, with a bearer token when given. */
export function post(body: unknown, token?: string): RequestInit {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** A value entry as the API returns it. */
export interface Entry {
  path: string;
  record: number;
  value: number | string | null;
  unit?: string;
  timestamp: string;
}

/** What {@link tcpApi} sets up. */
export interface TcpApi extends AsyncDisposable {
  /** Base URL of the API server. */
  url: string;
  /** The gateway host (not started). */
  host: GatewayHost;
}

/**
 * One instance "bus" on the simulated demo bus behind a real TCP endpoint (a converter),
 * on the real clock, and the API served over real HTTP.
 *
 * @param addresses The instance's meters (primary addresses).
 * @param options More instance keys, and serve options.
 * @returns The running server and host; dispose to stop everything.
 */
export async function tcpApi(
  addresses: readonly string[],
  options: {
    gateway?: Record<string, unknown>;
    serve?: Omit<ServeApiOptions, "hostname" | "port">;
  } = {},
): Promise<TcpApi> {
  const clock = new RealClock();
  const bus = createSimulation("demo");
  const tcp = startTcpEndpoint(bus, { host: "127.0.0.1", port: 0, clock });
  const history = new History();
  const config = parseConfig({
    gateways: [{
      name: "bus",
      type: "tcp",
      host: tcp.host,
      port: tcp.port,
      polling: 3_600_000,
      requestTimeout: 150,
      idleTimeout: 0,
      addresses: addresses.map((name) => ({ name })),
      ...options.gateway,
    }],
  });
  const host = await GatewayHost.create(config, { openSource, clock, history });
  const server = serveApi(host, {
    hostname: "127.0.0.1",
    port: 0,
    ...options.serve,
  });
  return {
    url: server.url,
    host,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await host.stop();
      history.close();
      await clock.sleep(50);
      await tcp.close().catch(() => {});
    },
  };
}
