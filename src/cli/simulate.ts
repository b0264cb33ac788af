// deno-lint-ignore-file no-console
/**
 * `mbusgw --simulate`: the demo bus of the simulator behind a TCP endpoint on 127.0.0.1
 * (like an M-Bus-to-TCP converter, paced in real time), a gateway polling it through the
 * real TCP transport and master, and the HTTP API, in one process. Prints one line: the URL to open. Stops on SIGINT/SIGTERM.
 *
 * @module
 */
import { serveApi } from "../api/mod.ts";
import {
  API_DEFAULTS,
  GATEWAY_DEFAULTS,
  GatewayHost,
  openSource,
  parseConfig,
} from "../gateway/mod.ts";
import { ReadingTap } from "../mqtt/mod.ts";
import { RealClock } from "../util/mod.ts";
import {
  createSimulation,
  createWirelessSimulation,
  loadScenario,
  serveWirelessSimulation,
  startTcpEndpoint,
} from "../../sim/mod.ts";
import { parseCommandArgs, UsageError } from "./_command.ts";
import { waitForSignal } from "./run.ts";
import { startMqtt } from "./_mqtt.ts";

const HELP =
  `Usage: mbusgw --simulate [--scenario NAME|FILE] [--port 8080] [--polling MS]
                         [--bridge-port 8222] [--no-wireless] [--mqtt URL]

Runs the simulator's scenario (default "demo") in real time, its counters growing with
each reading (unless the scenario sets "liveValues": false), a gateway instance "sim"
polling it with its TCP bridge for third-party M-Bus tools on 127.0.0.1:8222, a few
virtual wireless meters heard by a second instance "radio" (cluster 1), and the HTTP
API on 127.0.0.1. Prints one line: the URL to open, and where the bridge listens.
--mqtt URL also publishes every reading to that broker (Home Assistant discovery on,
client id mbusgw-sim, outbox in memory).`;

function intOption(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < min || n > max) {
    throw new UsageError(
      `Invalid --${name} "${text}": expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/**
 * The `simulate` subcommand (`mbusgw --simulate`).
 *
 * @param args Arguments after `--simulate`.
 * @returns The exit code.
 */
export async function simulateCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    scenario: { type: "string" },
    port: { type: "string" },
    polling: { type: "string" },
    "bridge-port": { type: "string" },
    "no-wireless": { type: "boolean" },
    mqtt: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const port = intOption(values.port, "port", 0, 65535, API_DEFAULTS.port);
  const polling = intOption(values.polling, "polling", 100, 86_400_000, 15_000);
  const bridgePort = intOption(
    values["bridge-port"],
    "bridge-port",
    0,
    65535,
    GATEWAY_DEFAULTS.tcpServerPort,
  );
  const scenario = await loadScenario(values.scenario ?? "demo");
  // Counters grow with each reading (unless the scenario says otherwise), so the console's
  // values and /events change in the demo as they do on a real bus.
  const bus = createSimulation(scenario, {
    liveValues: scenario.liveValues ?? true,
  });
  const clock = new RealClock();
  const primaries = [...new Set(bus.slaves.map((s) => s.primaryAddress))]
    .filter((a) => a > 0 && a <= 250)
    .sort((a, b) => a - b);
  const tcp = startTcpEndpoint(bus, {
    host: "127.0.0.1",
    port: 0,
    realtime: true,
    clock,
  });
  const air = values["no-wireless"]
    ? undefined
    : createWirelessSimulation({ clock, liveValues: true });
  const radio = air ? serveWirelessSimulation(air) : undefined;
  air?.start();
  try {
    const config = parseConfig({
      gateways: [
        {
          name: "sim",
          description: `Simulated bus: scenario "${scenario.name}"`,
          type: "tcp",
          host: tcp.host,
          port: tcp.port,
          serialBaudRate: bus.baudRate,
          polling,
          requestTimeout: 1000,
          idleTimeout: 50,
          onlyValues: false,
          tcpServer: true,
          tcpServerPort: bridgePort,
          addresses: primaries.map((a) => ({ name: String(a), log: "update" })),
        },
        ...(air && radio
          ? [{
            name: "radio",
            cluster: 1,
            description: "Simulated wireless meters (rtl_wmbus lines over TCP)",
            type: "wireless",
            serialPort: radio.serialPort,
            polling,
            onlyValues: false,
            addresses: air.addressConfig({ log: "update" }),
          }]
          : []),
      ],
      ...(values.mqtt === undefined ? {} : {
        mqtt: {
          url: values.mqtt,
          clientId: "mbusgw-sim",
          storeAndForward: { path: ":memory:" },
        },
      }),
    });
    const tap = new ReadingTap();
    const host = await GatewayHost.create(config, {
      clock,
      openSource: config.mqtt ? tap.wrap(openSource) : openSource,
    });
    const mqtt = await startMqtt(config.mqtt, { host, tap, clock }).catch(
      async (e) => {
        await host.stop();
        throw e;
      },
    );
    try {
      host.start();
      const server = serveApi(host, { hostname: "127.0.0.1", port });
      try {
        const bridge = host.get("sim")?.bridge?.listening;
        const wireless = air
          ? `, ${air.addressConfig().length} wireless meters`
          : "";
        console.log(
          `Open ${server.url}/ (simulated "${scenario.name}" bus on tcp ${tcp.host}:${tcp.port}, ${primaries.length} meters${wireless}; M-Bus tools: tcp ${bridge}${
            mqtt ? `; MQTT as ${mqtt.clientId}` : ""
          }; Ctrl-C stops)`,
        );
        await waitForSignal();
      } finally {
        await server.shutdown();
      }
    } finally {
      await host.stop();
      await mqtt?.stop();
    }
  } finally {
    // Let the endpoint see the client's EOF first: closing it mid-answer rejects its session.
    await air?.stop();
    await radio?.close();
    await clock.sleep(200);
    await tcp.close().catch(() => {});
  }
  return 0;
}
