/**
 * A gateway on the simulator's demo bus (real TCP endpoint, real transport and master)
 * with the MQTT bridge attached, for the broker tests.
 *
 * @module
 */
import {
  ConfigStore,
  GatewayHost,
  openSource,
  parseConfig,
} from "../../src/gateway/mod.ts";
import { mqttSchema } from "../../src/gateway/mod.ts";
import { MqttBridge, ReadingTap } from "../../src/mqtt/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import {
  createSimulation,
  startTcpEndpoint,
  type VirtualBus,
} from "../../sim/mod.ts";

/** A running gateway with its bridge. */
export interface BridgedGateway {
  bus: VirtualBus;
  host: GatewayHost;
  bridge: MqttBridge;
  /** Successful reads seen by the tap: meter and time. */
  reads: { meter: string; readAt: number }[];
  /** Log lines of the bridge. */
  logs: string[];
  /** Stops the bridge (`offline: false` like a killed process) and the gateway. */
  close(options?: { offline?: boolean }): Promise<void>;
}

/** Options of {@link startBridged}. */
export interface StartOptions {
  /** The raw `mqtt` section (url required). */
  mqtt: Record<string, unknown>;
  /** Primary addresses to configure. @default the demo's 1..6 */
  addresses?: string[];
  /** Polling period, ms. @default 300 */
  polling?: number;
  /** The simulated bus (to share one across restarts). */
  bus?: VirtualBus;
  /** `onlyValues` of the instance. @default true */
  onlyValues?: boolean;
  /** Write the gateway's configuration to this file and run from it (live edits). */
  configFile?: string;
}

/**
 * Starts the simulated bus, a gateway instance "heat" (cluster 2) polling it, and the bridge.
 *
 * @param options MQTT section, addresses, polling.
 * @returns The running set.
 */
export async function startBridged(
  options: StartOptions,
): Promise<BridgedGateway> {
  const clock = new RealClock();
  const bus = options.bus ?? createSimulation("demo");
  const tcp = startTcpEndpoint(bus, { host: "127.0.0.1", port: 0, clock });
  const raw = {
    gateways: [{
      name: "heat",
      cluster: 2,
      type: "tcp",
      host: tcp.host,
      port: tcp.port,
      polling: options.polling ?? 300,
      requestTimeout: 150,
      idleTimeout: 5,
      onlyValues: options.onlyValues ?? true,
      emitOnlyChanges: "changes",
      addresses: (options.addresses ?? ["1", "2", "3", "4", "5", "6"]).map((
        name,
      ) => ({ name, description: name === "1" ? "Heat meter flat 1" : "" })),
    }],
  };
  let store: ConfigStore | undefined;
  if (options.configFile) {
    await Deno.writeTextFile(options.configFile, JSON.stringify(raw));
    store = await ConfigStore.open(options.configFile);
  }
  const config = store ? store.current : parseConfig(raw);
  const tap = new ReadingTap();
  const reads: BridgedGateway["reads"] = [];
  tap.listen((_i, meter, o) => {
    if (o.ok) reads.push({ meter, readAt: o.reading.readAt });
  });
  const host = await GatewayHost.create(config, {
    clock,
    openSource: tap.wrap(openSource),
    ...(store ? { store } : {}),
  });
  const logs: string[] = [];
  const bridge = await MqttBridge.start(mqttSchema.parse(options.mqtt), {
    host,
    tap,
    clock,
    log: (l) => logs.push(l),
    housekeepingMs: 200,
  });
  host.start();
  return {
    bus,
    host,
    bridge,
    reads,
    logs,
    async close(o = {}) {
      await host.stop();
      await bridge.stop(o);
      await tcp.close().catch(() => {});
    },
  };
}
