import assert from "node:assert/strict";
import { formatPorts } from "../../src/cli/ports.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

async function cli(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("mbusgw ports --json prints this machine's ports as a JSON array; --help; a bad option exits 2", async () => {
  const json = await cli(["ports", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const ports = JSON.parse(json.stdout);
  assert.ok(Array.isArray(ports));
  for (const p of ports) {
    assert.match(p.device, /^\/dev\//);
    assert.equal(typeof p.recommended, "string");
  }
  const help = await cli(["ports", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /by-id/);
  const bad = await cli(["ports", "--bogus"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
});

Deno.test("formatPorts() leads with the recommended name and warns when there is no stable one", () => {
  const text = formatPorts([
    {
      device: "/dev/ttyUSB0",
      byId: "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
      byPath: null,
      recommended:
        "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
      driver: "ftdi_sio",
      usb: {
        vendorId: "0403",
        productId: "6001",
        manufacturer: "FTDI",
        product: "FT232R USB UART",
        serial: "A50285BI",
      },
    },
    {
      device: "/dev/ttyS0",
      byId: null,
      byPath: null,
      recommended: "/dev/ttyS0",
      driver: "serial",
      usb: null,
    },
  ]);
  assert.equal(
    text,
    [
      "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
      "  device /dev/ttyUSB0 · USB 0403:6001 FTDI FT232R USB UART (serial A50285BI) · driver ftdi_sio",
      "/dev/ttyS0",
      "  device /dev/ttyS0 · not USB · driver serial",
      "  (no stable by-id name: the device name may change)",
    ].join("\n"),
  );
  assert.equal(formatPorts([]), "No serial interfaces found.");
});
