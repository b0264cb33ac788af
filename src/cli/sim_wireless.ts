// deno-lint-ignore-file no-console
/**
 * `mbusgw sim --wireless …`: the simulated wireless meters alone, behind a virtual iM871A
 * or AMB8465 (on a pseudo-terminal or a TCP port, as a stick behind ser2net) or as
 * rtl_wmbus lines (on stdout, or on a TCP port). Prints `listening pty PATH` or
 * `listening tcp HOST:PORT` once ready (nothing on stdout but the lines in rtl_wmbus
 * stdout mode); SIGINT/SIGTERM stop it with exit 0.
 *
 * @module
 */
import {
  createWirelessSimulation,
  rtlWmbusStream,
  startDonglePty,
  startDongleTcp,
  startRtlWmbusTcp,
  WIRELESS_METERS,
} from "../../sim/wmbus/mod.ts";
import { UsageError } from "./_command.ts";

/** Receivers the wireless simulator can imitate. */
export const WIRELESS_VIA = ["im871a", "amb8465", "rtlwmbus"] as const;

/** What `sim --wireless` needs from the parsed options. */
export interface SimWirelessOptions {
  /** `im871a`, `amb8465` or `rtlwmbus`. */
  via: string;
  /** TCP address, when serving on TCP. */
  tcp?: { host: string; port: number };
  /** Serve on a pseudo-terminal. */
  pty: boolean;
  /** Meter fixture names (default: every wireless fixture). */
  meters?: string[];
  /** Override every meter's transmit interval (ms). */
  intervalMs?: number;
  /** Counters grow with each telegram. */
  live: boolean;
}

function waitForSignal(): { stopped: Promise<void>; remove: () => void } {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, stop);
  return {
    stopped,
    remove: () => {
      for (const s of signals) Deno.removeSignalListener(s, stop);
    },
  };
}

/**
 * Runs the wireless simulation until SIGINT/SIGTERM.
 *
 * @param o The options.
 * @returns The exit code.
 * @throws {UsageError} For an unknown receiver, meter, or a missing endpoint.
 */
export async function simWireless(o: SimWirelessOptions): Promise<number> {
  if (!(WIRELESS_VIA as readonly string[]).includes(o.via)) {
    throw new UsageError(
      `Invalid --wireless "${o.via}": expected one of ${
        WIRELESS_VIA.join(", ")
      }`,
    );
  }
  const via = o.via as typeof WIRELESS_VIA[number];
  if (via !== "rtlwmbus" && (o.tcp === undefined) === !o.pty) {
    throw new UsageError(
      `Give exactly one of --tcp [HOST:]PORT or --pty with --wireless ${via}`,
    );
  }
  if (via === "rtlwmbus" && o.pty) {
    throw new UsageError(
      "Option --pty needs a dongle: --wireless im871a or amb8465",
    );
  }
  const fixtures = (o.meters ?? Object.keys(WIRELESS_METERS)).map((name) => {
    const f = WIRELESS_METERS[name];
    if (!f) {
      throw new UsageError(
        `Unknown wireless meter "${name}": known are ${
          Object.keys(WIRELESS_METERS).join(", ")
        }`,
      );
    }
    return o.intervalMs === undefined ? f : { ...f, intervalMs: o.intervalMs };
  });
  const air = createWirelessSimulation({
    meters: fixtures,
    liveValues: o.live,
  });
  const { stopped, remove } = waitForSignal();
  let close: () => Promise<void>;
  if (via === "rtlwmbus" && o.tcp === undefined) {
    const stop = new AbortController();
    const piping = rtlWmbusStream(air, stop.signal)
      .pipeTo(Deno.stdout.writable, { preventClose: true })
      .catch(() => {});
    close = async () => {
      stop.abort();
      await piping;
    };
  } else if (via === "rtlwmbus") {
    const tcp = startRtlWmbusTcp(air, o.tcp);
    console.log(`listening tcp ${tcp.host}:${tcp.port}`);
    close = () => tcp.close();
  } else if (o.tcp) {
    const tcp = startDongleTcp(air, via, o.tcp);
    console.log(`listening tcp ${tcp.host}:${tcp.port}`);
    close = () => tcp.close();
  } else {
    const pty = startDonglePty(air, via);
    console.log(`listening pty ${pty.path}`);
    close = () => pty.close();
  }
  air.start();
  try {
    await stopped;
  } finally {
    remove();
    await air.stop();
    await close();
  }
  return 0;
}
