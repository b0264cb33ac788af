// deno-lint-ignore-file no-console
/**
 * `mbusgw sim`: the virtual M-Bus behind a TCP port (like an M-Bus-to-TCP converter) or a
 * pseudo-terminal (like a USB converter), for our master and third-party masters alike.
 * Prints exactly one line once listening; SIGINT/SIGTERM write the statistics and exit 0;
 * SIGUSR1 rewrites them.
 *
 * @module
 */
import {
  createSimulation,
  type FaultInjector,
  generateBus,
  loadScenario,
  parseFaultCommand,
  type Scenario,
  startPtyEndpoint,
  startTcpEndpoint,
  type VirtualBus,
} from "../../sim/mod.ts";
import { WIRELESS_METERS } from "../../sim/wmbus/mod.ts";
import { BAUD_RATES } from "../transport/mod.ts";
import { parseCommandArgs, UsageError } from "./_command.ts";
import { simWireless } from "./sim_wireless.ts";

const HELP =
  `Usage: mbusgw sim (--tcp [HOST:]PORT | --pty) [--scenario NAME|FILE] [--meters N --seed S]
                  [--realtime] [--baud 2400] [--echo] [--live] [--stats FILE] [--faults]
       mbusgw sim --wireless im871a|amb8465 (--tcp [HOST:]PORT | --pty)
                  [--wireless-meters A,B] [--interval MS] [--live]
       mbusgw sim --wireless rtlwmbus [--tcp [HOST:]PORT] [--wireless-meters A,B] [--interval MS]

Serves a virtual M-Bus. --tcp listens like an M-Bus-to-TCP converter (one client at a
time, 127.0.0.1 unless HOST is given); --pty opens a pseudo-terminal whose path a serial
master opens. --scenario picks a built-in scenario or a JSON file (default "demo");
--meters N --seed S adds N generated meters (alone unless --scenario is given).
--realtime paces answers at the baud rate; otherwise they are sent at once.
--echo hands the master its own bytes back first, as some level converters do.
--live makes counters (energy, volume, hours, ...) grow with each fresh reading.
--stats FILE writes the bus statistics as JSON on exit and on SIGUSR1.
--faults reads fault commands from stdin, one per line, and answers each on stdout
("fault stall 2000 started T", "... ended T" with T in ms since the epoch, or "error
..."): drop (cut the next answer mid-frame, drop
the TCP client), stall MS, refuse MS (TCP: refuse connections; pty: deaf), garbage [N],
slow MS [GAP] (bytes one by one), silence ADDRESS MS (a meter goes silent).
Prints "listening tcp HOST:PORT" or "listening pty /dev/pts/N" when ready.

--wireless runs the simulated wireless meters alone: behind a virtual iM871A or AMB8465
(a receiver such as wmbusmeters opens the pty, or the TCP port as a stick behind ser2net),
or as rtl_wmbus lines (on stdout, or to every client of --tcp). --wireless-meters picks
fixtures (${Object.keys(WIRELESS_METERS).join(", ")});
--interval MS overrides every meter's transmit interval.`;

function parseInt(
  text: string,
  name: string,
  min: number,
  max: number,
): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < min || n > max) {
    throw new UsageError(
      `Invalid --${name} "${text}": expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

function parseTcp(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(":");
  const host = i < 0 ? "127.0.0.1" : text.slice(0, i).replace(/^\[|\]$/g, "");
  const port = parseInt(i < 0 ? text : text.slice(i + 1), "tcp", 0, 65535);
  if (host === "") {
    throw new UsageError(`Invalid --tcp "${text}": expected [HOST:]PORT`);
  }
  return { host, port };
}

async function buildScenario(
  scenario: string | undefined,
  meters: string | undefined,
  seed: string | undefined,
): Promise<Scenario> {
  if (meters === undefined && seed !== undefined) {
    throw new UsageError("Option --seed needs --meters");
  }
  const generated = meters === undefined ? undefined : {
    meters: parseInt(meters, "meters", 0, 100_000),
    seed: seed === undefined ? 1 : parseInt(seed, "seed", 0, 2 ** 32 - 1),
  };
  if (generated && scenario === undefined) return generateBus(generated);
  const base = await loadScenario(scenario ?? "demo");
  return generated ? { ...base, generate: generated } : base;
}

async function writeStats(
  bus: VirtualBus,
  scenario: string,
  path: string,
): Promise<void> {
  const tmp = `${path}.tmp`;
  const stats = {
    scenario,
    writtenAt: new Date().toISOString(),
    ...bus.stats(),
  };
  await Deno.writeTextFile(tmp, JSON.stringify(stats, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

/**
 * Applies fault commands read from stdin until the returned controller aborts.
 *
 * @param faults The endpoint's injector.
 * @returns Stops reading.
 */
function readFaults(faults: FaultInjector): AbortController {
  const stop = new AbortController();
  (async () => {
    const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
    let text = "";
    for await (const chunk of lines.values({ preventCancel: false })) {
      if (stop.signal.aborted) break;
      text += chunk;
      const parts = text.split("\n");
      text = parts.pop() ?? "";
      for (const line of parts.filter((l) => l.trim() !== "")) {
        try {
          const e = faults.apply(parseFaultCommand(line));
          console.log(`fault ${line.trim()} started ${e.at}`);
          const off = faults.onFault((x) => {
            if (x === e && x.endedAt !== undefined) {
              console.log(`fault ${line.trim()} ended ${x.endedAt}`);
              off();
            }
          });
        } catch (err) {
          console.log(`error ${err instanceof Error ? err.message : err}`);
        }
      }
    }
  })().catch(() => {});
  return stop;
}

/**
 * The `sim` subcommand.
 *
 * @param args Arguments after `sim`.
 * @returns The exit code.
 */
export async function simCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    tcp: { type: "string" },
    pty: { type: "boolean" },
    scenario: { type: "string" },
    meters: { type: "string" },
    seed: { type: "string" },
    realtime: { type: "boolean" },
    echo: { type: "boolean" },
    live: { type: "boolean" },
    baud: { type: "string" },
    stats: { type: "string" },
    faults: { type: "boolean" },
    wireless: { type: "string" },
    "wireless-meters": { type: "string" },
    interval: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  }
  if (values.wireless !== undefined) {
    const wired = [
      "scenario",
      "meters",
      "seed",
      "realtime",
      "echo",
      "baud",
      "stats",
    ]
      .find((k) => values[k as keyof typeof values] !== undefined);
    if (wired) {
      throw new UsageError(
        `Option --${wired} is for the wired simulator, not --wireless`,
      );
    }
    return simWireless({
      via: values.wireless,
      ...(values.tcp === undefined ? {} : { tcp: parseTcp(values.tcp) }),
      pty: values.pty ?? false,
      ...(values["wireless-meters"] === undefined
        ? {}
        : { meters: values["wireless-meters"].split(",").filter((m) => m) }),
      ...(values.interval === undefined ? {} : {
        intervalMs: parseInt(values.interval, "interval", 100, 86_400_000),
      }),
      live: values.live ?? false,
    });
  }
  if (
    values["wireless-meters"] !== undefined || values.interval !== undefined
  ) {
    throw new UsageError(
      "Options --wireless-meters and --interval need --wireless",
    );
  }
  if ((values.tcp === undefined) === (values.pty !== true)) {
    throw new UsageError("Give exactly one of --tcp [HOST:]PORT or --pty");
  }
  let baudRate: number | undefined;
  if (values.baud !== undefined) {
    baudRate = parseInt(values.baud, "baud", 300, 38_400);
    if (!(BAUD_RATES as readonly number[]).includes(baudRate)) {
      throw new UsageError(
        `Invalid --baud "${values.baud}": expected one of ${
          BAUD_RATES.join(", ")
        }`,
      );
    }
  }
  const tcp = values.tcp === undefined ? undefined : parseTcp(values.tcp);
  const scenario = await buildScenario(
    values.scenario,
    values.meters,
    values.seed,
  );
  const bus = createSimulation(scenario, {
    ...(baudRate === undefined ? {} : { baudRate }),
    ...(values.live ? { liveValues: true } : {}),
  });
  const realtime = values.realtime ?? false;
  const echo = values.echo ?? false;
  const endpoint = tcp
    ? startTcpEndpoint(bus, { ...tcp, realtime, echo })
    : startPtyEndpoint(bus, { realtime, echo });
  const statsPath = values.stats;
  const save = async () => {
    if (statsPath !== undefined) {
      await writeStats(bus, scenario.name, statsPath);
    }
  };
  const onUsr1 = () => {
    save().catch((e) =>
      console.error(
        `mbusgw: Cannot write stats: ${e instanceof Error ? e.message : e}`,
      )
    );
  };
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  try {
    for (const s of signals) Deno.addSignalListener(s, stop);
    Deno.addSignalListener("SIGUSR1", onUsr1);
    await save();
    console.log(
      "port" in endpoint
        ? `listening tcp ${endpoint.host}:${endpoint.port}`
        : `listening pty ${endpoint.path}`,
    );
    const control = values.faults ? readFaults(endpoint.faults) : undefined;
    await stopped;
    control?.abort();
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, stop);
    Deno.removeSignalListener("SIGUSR1", onUsr1);
    await endpoint.close();
  }
  await save();
  return 0;
}
