// deno-lint-ignore-file no-console
/**
 * `mbusgw run --config FILE`: starts every gateway instance of the file and the HTTP API.
 * Stops cleanly on SIGINT/SIGTERM.
 *
 * @module
 */
import { type ApiServer, serveApi } from "../api/mod.ts";
import { ConfigStore, GatewayHost, openSource } from "../gateway/mod.ts";
import { ReadingTap } from "../mqtt/mod.ts";
import { RealClock } from "../util/mod.ts";
import { mqttMetrics, prepareMqtt, startMqtt } from "./_mqtt.ts";
import { parseCommandArgs, UsageError } from "./_command.ts";

const HELP = `Usage: mbusgw run --config FILE [--no-api]

Starts the gateway instances of FILE (JSON; see examples/) and the HTTP API
(api.host:api.port, default 127.0.0.1:8080). SIGINT or SIGTERM stops it.`;

/** Resolves on the first SIGINT or SIGTERM. */
export function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    const handlers = signals.map((s) => {
      const h = () => {
        for (const [i, sig] of signals.entries()) {
          const hh = handlers[i];
          if (hh) Deno.removeSignalListener(sig, hh);
        }
        resolve(s);
      };
      Deno.addSignalListener(s, h);
      return h;
    });
  });
}

/**
 * The `run` subcommand.
 *
 * @param args Arguments after `run`.
 * @returns The exit code.
 */
export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    config: { type: "string", short: "c" },
    "no-api": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.config) {
    throw new UsageError('Missing "--config FILE": run "mbusgw run --help"');
  }
  const store = await ConfigStore.open(values.config);
  const config = store.current;
  // A bad TLS file or outbox path is a config error before any bus is opened.
  const tls = await prepareMqtt(config.mqtt);
  const tap = new ReadingTap();
  const clock = new RealClock();
  const host = await GatewayHost.create(config, {
    openSource: config.mqtt ? tap.wrap(openSource) : openSource,
    store,
    clock,
    // Incidents worth a line: a bus offline or back, a damaged history file moved aside.
    log: (line) => console.error(`mbusgw: ${line}`),
  });
  let server: ApiServer | undefined;
  let mqtt: Awaited<ReturnType<typeof startMqtt>>;
  try {
    mqtt = await startMqtt(config.mqtt, {
      host,
      tap,
      clock,
      ...(tls === undefined ? {} : { tls }),
    });
    host.start();
    if (!values["no-api"]) {
      server = serveApi(host, {
        hostname: config.api.host,
        port: config.api.port,
        ...(config.api.token === undefined ? {} : { token: config.api.token }),
        guard: { allowedHosts: config.api.allowedHosts ?? [] },
        ...(mqtt ? { extraMetrics: mqttMetrics(mqtt) } : {}),
      });
    }
    const names = host.instances.map((g) => g.name).join(", ");
    console.log(
      `mbusgw: running ${host.instances.length} instance(s) (${names})${
        server ? `; API at ${server.url}` : ""
      }${mqtt ? `; MQTT client ${mqtt.clientId}` : ""}`,
    );
    await waitForSignal();
  } finally {
    await server?.shutdown();
    await host.stop();
    await mqtt?.stop();
  }
  return 0;
}
