// deno-lint-ignore-file no-console
/**
 * `mbusgw ports [--json]`: the machine's serial interfaces with their stable
 * `/dev/serial/by-id/…` names (the ones to configure), USB vendor and product, driver and the
 * plain device.
 *
 * @module
 */
import { listSerialPorts, type SerialPortInfo } from "../transport/mod.ts";
import { parseCommandArgs } from "./_command.ts";

const HELP = `Usage: mbusgw ports [--json]

Lists the serial interfaces (USB converters, wireless dongles, built-in UARTs) with the
name to put in a config's "serialPort": the stable /dev/serial/by-id/… link when udev made
one (it survives re-plugging and reboots), else /dev/serial/by-path/…, else the device.

  --json    one JSON array: device, byId, byPath, recommended, driver, usb`;

/**
 * The text table of the ports.
 *
 * @param ports The ports.
 * @returns Lines, one block per port.
 */
export function formatPorts(ports: readonly SerialPortInfo[]): string {
  if (ports.length === 0) return "No serial interfaces found.";
  return ports.map((p) => {
    const usb = p.usb
      ? `USB ${p.usb.vendorId}:${p.usb.productId}${
        p.usb.manufacturer || p.usb.product
          ? ` ${[p.usb.manufacturer, p.usb.product].filter(Boolean).join(" ")}`
          : ""
      }${p.usb.serial ? ` (serial ${p.usb.serial})` : ""}`
      : "not USB";
    const lines = [
      p.recommended,
      `  device ${p.device} · ${usb} · driver ${p.driver ?? "unknown"}`,
    ];
    if (p.recommended === p.device) {
      lines.push("  (no stable by-id name: the device name may change)");
    }
    return lines.join("\n");
  }).join("\n");
}

/**
 * The `ports` command.
 *
 * @param args Arguments after `ports`.
 * @returns The exit code.
 */
export async function portsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const ports = await listSerialPorts();
  console.log(
    values.json ? JSON.stringify(ports, null, 2) : formatPorts(ports),
  );
  return 0;
}
