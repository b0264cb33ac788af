/**
 * Shared setup of gateway tests: a host over fake sources on a virtual clock.
 *
 * @module
 */
import { VirtualClock } from "../../src/util/mod.ts";
import {
  type GatewayEvent,
  GatewayHost,
  History,
  parseConfig,
} from "../../src/gateway/mod.ts";
import { FakeSource } from "./_fake_source.ts";

export interface FakeHost {
  host: GatewayHost;
  clock: VirtualClock;
  sources: Map<string, FakeSource>;
  events: GatewayEvent[];
  history: History;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds a host from a config object; every instance gets a FakeSource. */
export async function fakeHost(
  json: unknown,
  options: {
    readMs?: number;
    values?: Record<string, (number | string | null)[]>;
  } = {},
): Promise<FakeHost> {
  const clock = new VirtualClock();
  const sources = new Map<string, FakeSource>();
  const history = new History();
  const host = await GatewayHost.create(parseConfig(json), {
    clock,
    history,
    tz: "UTC",
    openSource: (g) => {
      const s = new FakeSource(clock, {
        readMs: options.readMs ?? 100,
        kind: g.type === "wireless" ? "wireless" : "wired",
      });
      for (const [k, v] of Object.entries(options.values ?? {})) {
        s.values.set(k, v);
      }
      sources.set(g.name, s);
      return s;
    },
  });
  const events: GatewayEvent[] = [];
  host.events.subscribe((e) => events.push(e));
  return {
    host,
    clock,
    sources,
    events,
    history,
    async [Symbol.asyncDispose]() {
      await host.stop();
      history.close();
    },
  };
}

/** Minimal one-instance config. */
export function oneGateway(
  extra: Record<string, unknown> = {},
  addresses: unknown[] = [{ name: "1" }],
): unknown {
  return {
    gateways: [{
      name: "heat",
      host: "127.0.0.1",
      idleTimeout: 0,
      addresses,
      ...extra,
    }],
  };
}

/** The `value` of whatever a path names, or undefined. */
export function valueAt(host: GatewayHost, path: string): unknown {
  const x = host.lookup(path);
  return x !== undefined && "value" in x ? x.value : undefined;
}
