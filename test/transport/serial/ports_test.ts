import assert from "node:assert/strict";
import {
  listSerialPorts,
  readLinks,
  readUsbInfo,
  recommendedName,
} from "../../../src/transport/serial/ports.ts";

/** A fake sysfs + /dev tree: an FTDI adapter, an Arduino (cdc_acm), a phantom 8250 UART, a vt. */
async function fakeTree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "mbusgw-ports-" });
  const mk = (p: string) => Deno.mkdir(`${root}/${p}`, { recursive: true });
  const write = (p: string, text: string) =>
    Deno.writeTextFile(`${root}/${p}`, `${text}\n`);
  const link = (target: string, at: string) =>
    Deno.symlink(target, `${root}/${at}`);
  const usb = "sys/devices/pci0000:00/0000:00:14.0/usb1";
  await mk("sys/bus/usb-serial/drivers/ftdi_sio");
  await mk("sys/bus/usb/drivers/cdc_acm");
  await mk("sys/bus/platform/drivers/serial8250");
  await mk(`${usb}/1-2/1-2:1.0/ttyUSB0`);
  await write(`${usb}/1-2/idVendor`, "0403");
  await write(`${usb}/1-2/idProduct`, "6001");
  await write(`${usb}/1-2/manufacturer`, "FTDI");
  await write(`${usb}/1-2/product`, "FT232R USB UART");
  await write(`${usb}/1-2/serial`, "A50285BI");
  await link(
    `${root}/sys/bus/usb-serial/drivers/ftdi_sio`,
    `${usb}/1-2/1-2:1.0/ttyUSB0/driver`,
  );
  await link(
    `${root}/sys/bus/usb-serial`,
    `${usb}/1-2/1-2:1.0/ttyUSB0/subsystem`,
  );
  await mk(`${usb}/1-3/1-3:1.0`);
  await write(`${usb}/1-3/idVendor`, "2341");
  await write(`${usb}/1-3/idProduct`, "0043");
  await link(
    `${root}/sys/bus/usb/drivers/cdc_acm`,
    `${usb}/1-3/1-3:1.0/driver`,
  );
  await link(`${root}/sys/bus/usb`, `${usb}/1-3/1-3:1.0/subsystem`);
  await mk("sys/devices/platform/serial8250");
  await link(
    `${root}/sys/bus/platform/drivers/serial8250`,
    "sys/devices/platform/serial8250/driver",
  );
  await link(
    `${root}/sys/bus/platform`,
    "sys/devices/platform/serial8250/subsystem",
  );
  for (const t of ["ttyUSB0", "ttyACM0", "ttyS3", "tty0"]) {
    await mk(`sys/class/tty/${t}`);
  }
  await link(
    `${root}/${usb}/1-2/1-2:1.0/ttyUSB0`,
    "sys/class/tty/ttyUSB0/device",
  );
  await link(
    `../../../devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0`,
    "sys/class/tty/ttyACM0/device",
  );
  await link(
    `${root}/sys/devices/platform/serial8250`,
    "sys/class/tty/ttyS3/device",
  );
  await mk("dev/serial/by-id");
  await mk("dev/serial/by-path");
  await link(
    "../../ttyUSB0",
    "dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
  );
  await link(
    "../../ttyUSB0",
    "dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0",
  );
  await link(
    "../../ttyACM0",
    "dev/serial/by-path/pci-0000:00:14.0-usb-0:3:1.0",
  );
  return root;
}

function roots(root: string) {
  return {
    sysClassTty: `${root}/sys/class/tty`,
    dev: "/dev",
    byId: `${root}/dev/serial/by-id`,
    byPath: `${root}/dev/serial/by-path`,
  };
}

Deno.test("listSerialPorts() lists USB adapters with stable names, USB identity and driver; skips phantom UARTs and vts", async () => {
  const root = await fakeTree();
  try {
    const ports = await listSerialPorts(roots(root));
    assert.deepEqual(ports.map((p) => p.device), [
      "/dev/ttyACM0",
      "/dev/ttyUSB0",
    ]);
    const [acm, ftdi] = ports;
    assert.deepEqual(ftdi, {
      device: "/dev/ttyUSB0",
      byId:
        `${root}/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0`,
      byPath: `${root}/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0`,
      recommended:
        `${root}/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0`,
      driver: "ftdi_sio",
      usb: {
        vendorId: "0403",
        productId: "6001",
        manufacturer: "FTDI",
        product: "FT232R USB UART",
        serial: "A50285BI",
      },
    });
    assert.equal(acm?.byId, null);
    assert.equal(
      acm?.recommended,
      `${root}/dev/serial/by-path/pci-0000:00:14.0-usb-0:3:1.0`,
    );
    assert.equal(acm?.driver, "cdc_acm");
    assert.deepEqual(acm?.usb, {
      vendorId: "2341",
      productId: "0043",
      manufacturer: null,
      product: null,
      serial: null,
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("listSerialPorts() on missing folders answers an empty list; readLinks and readUsbInfo tolerate absence", async () => {
  const root = await Deno.makeTempDir({ prefix: "mbusgw-ports-" });
  try {
    assert.deepEqual(await listSerialPorts(roots(root)), []);
    assert.equal((await readLinks(`${root}/none`)).size, 0);
    assert.equal(await readUsbInfo(`${root}/none/deeper`), null);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("recommendedName() prefers by-id, then by-path, then the device", () => {
  assert.equal(
    recommendedName({ device: "/dev/ttyUSB0", byId: "/a", byPath: "/b" }),
    "/a",
  );
  assert.equal(
    recommendedName({ device: "/dev/ttyUSB0", byId: null, byPath: "/b" }),
    "/b",
  );
  assert.equal(
    recommendedName({ device: "/dev/ttyUSB0", byId: null, byPath: null }),
    "/dev/ttyUSB0",
  );
});
