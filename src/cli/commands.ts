// deno-lint-ignore-file no-console
/**
 * The small master commands: `set-primary`, `set-baudrate` (both permanent, so they need
 * `--yes`), `ping` and `reset` (application reset).
 *
 * @module
 */
import { parseCommandArgs, UsageError } from "./_command.ts";
import {
  addressOption,
  BUS_HELP,
  BUS_OPTIONS,
  intOption,
  parseBusSettings,
  withMaster,
} from "./read.ts";
import { formatMeterAddress, NoResponseError } from "../master/mod.ts";
import { MbusError } from "../util/mod.ts";
import { BAUD_RATES } from "../transport/mod.ts";

const OPTIONS = {
  ...BUS_OPTIONS,
  address: { type: "string" },
  yes: { type: "boolean" },
} as const;

function help(usage: string, text: string): string {
  return `Usage: mbusgw ${usage}\n\n${text}\n\n  --address A          primary address 0-250, 8-digit ID, or 16 hex digits\n${BUS_HELP}`;
}

function confirm(yes: boolean | undefined, what: string): void {
  if (!yes) {
    throw new UsageError(
      `Cannot ${what} without --yes: the change is permanent`,
    );
  }
}

/**
 * `mbusgw set-primary --address A --new N --yes`.
 *
 * @param args Arguments after the command.
 * @returns The exit code.
 */
export async function setPrimaryCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    ...OPTIONS,
    new: { type: "string" },
  });
  if (values.help) {
    console.log(help(
      "set-primary (--tcp HOST:PORT | --serial PATH) --address A --new N --yes",
      "Sets a meter's primary address (0-250) and reads it back at the new address.",
    ));
    return 0;
  }
  const address = addressOption(values.address);
  const next = intOption("new", values.new, 250);
  if (next === undefined) throw new UsageError("Missing --new N (0 to 250)");
  const settings = parseBusSettings(values);
  confirm(values.yes, `change the primary address of ${values.address}`);
  await withMaster(settings, (m) => m.setPrimaryAddress(address, next));
  console.log(`Meter ${formatMeterAddress(address)} now answers at ${next}`);
  return 0;
}

/**
 * `mbusgw set-baudrate --address A --rate N --yes`.
 *
 * @param args Arguments after the command.
 * @returns The exit code.
 */
export async function setBaudRateCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    ...OPTIONS,
    rate: { type: "string" },
  });
  if (values.help) {
    console.log(help(
      "set-baudrate (--tcp HOST:PORT | --serial PATH) --address A --rate N --yes",
      `Switches a meter to another baud rate (${
        BAUD_RATES.join(", ")
      }) and verifies it.\nOver a TCP converter, its serial side keeps its own rate: the check fails unless it is\nchanged too.`,
    ));
    return 0;
  }
  const address = addressOption(values.address);
  const rate = intOption("rate", values.rate);
  if (rate === undefined || !(BAUD_RATES as readonly number[]).includes(rate)) {
    throw new UsageError(
      `Cannot use --rate ${values.rate ?? "(missing)"}: expected one of ${
        BAUD_RATES.join(", ")
      }`,
    );
  }
  const settings = parseBusSettings(values);
  confirm(values.yes, `change the baud rate of ${values.address}`);
  await withMaster(settings, (m) => m.setBaudRate(address, rate)).catch(
    (e: unknown) => {
      // Only the check at the new rate (the meter's acknowledge at the old one came).
      if (
        !(e instanceof NoResponseError && e.address.endsWith(` ${rate} Bd`))
      ) {
        throw e;
      }
      // The meter acknowledged the switch: it most likely talks at the new rate now, which
      // a TCP converter's serial side (not switched by us) does not.
      throw new MbusError(
        "NO_RESPONSE",
        `Meter ${values.address} acknowledged the switch but did not answer at ${rate} Bd: it may now talk at ${rate} Bd only (${
          settings.endpoint.kind === "tcp"
            ? `set the converter's serial side to ${rate} Bd`
            : `try --baud ${rate}`
        }, or switch it back from there)`,
      );
    },
  );
  console.log(`Meter ${formatMeterAddress(address)} now talks at ${rate} Bd`);
  return 0;
}

/**
 * `mbusgw ping --address A`: exit 0 when the meter acknowledges, 1 when not.
 *
 * @param args Arguments after the command.
 * @returns The exit code.
 */
export async function pingCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    console.log(help(
      "ping (--tcp HOST:PORT | --serial PATH) --address A",
      "Sends SND_NKE (or a selection for a secondary address); exit 0 on an acknowledge.",
    ));
    return 0;
  }
  const address = addressOption(values.address);
  const settings = parseBusSettings(values);
  const ok = await withMaster(settings, (m) => m.ping(address));
  console.log(
    `Meter ${formatMeterAddress(address)} ${
      ok ? "answered" : "did not answer"
    }`,
  );
  return ok ? 0 : 1;
}

/**
 * `mbusgw reset --address A [--subcode N]`: application reset.
 *
 * @param args Arguments after the command.
 * @returns The exit code.
 */
export async function resetCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    ...OPTIONS,
    subcode: { type: "string" },
  });
  if (values.help) {
    console.log(help(
      "reset (--tcp HOST:PORT | --serial PATH) --address A [--subcode N]",
      "Sends an application reset (CI 50), optionally with a subcode byte 0-255.",
    ));
    return 0;
  }
  const address = addressOption(values.address);
  const subcode = intOption("subcode", values.subcode, 255);
  const settings = parseBusSettings(values);
  await withMaster(
    settings,
    (m) =>
      m.applicationReset(address, subcode === undefined ? {} : { subcode }),
  );
  console.log(`Meter ${formatMeterAddress(address)} acknowledged the reset`);
  return 0;
}
