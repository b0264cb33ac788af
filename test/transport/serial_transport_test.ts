// deno-lint-ignore-file no-console
import assert from "node:assert/strict";
import {
  openError,
  openPty,
  SerialTransport,
} from "../../src/transport/mod.ts";
import { TransportError, VirtualClock } from "../../src/util/mod.ts";
import {
  cString,
  libc,
  O_NOCTTY,
  O_NONBLOCK,
  O_RDWR,
} from "../../src/transport/serial/libc_ffi.ts";
import { getAttr, SPEED_CODES } from "../../src/transport/serial/termios.ts";
import { transportConformance } from "../_conformance/transport_conformance.ts";

transportConformance("SerialTransport over a pty", async () => {
  const pty = openPty();
  try {
    const transport = await SerialTransport.open(pty.slavePath, {
      baudRate: 2400,
    });
    return { transport, peer: pty };
  } catch (e) {
    await pty.close();
    throw e;
  }
});

function hasCode(code: string, text?: RegExp): (e: unknown) => boolean {
  return (e) =>
    e instanceof TransportError && e.code === code &&
    (text === undefined || text.test(e.message));
}

Deno.test("SerialTransport.open() names a missing port PORT_NOT_FOUND", async () => {
  await assert.rejects(
    SerialTransport.open("/dev/ttyDOES_NOT_EXIST0"),
    (e) =>
      hasCode("PORT_NOT_FOUND")(e) &&
      (e as Error).message ===
        'Cannot open serial port "/dev/ttyDOES_NOT_EXIST0": no such file',
  );
});

Deno.test("SerialTransport.open() refuses a directory and a plain file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(SerialTransport.open(dir), hasCode("NOT_A_TTY"));
    const file = `${dir}/not_a_port`;
    await Deno.writeTextFile(file, "x");
    await assert.rejects(SerialTransport.open(file), hasCode("NOT_A_TTY"));
    await Deno.chmod(file, 0o000);
    if (Deno.uid() === 0) {
      console.log(
        "  (root ignores file modes: PERMISSION_DENIED not provoked)",
      );
    } else {
      await assert.rejects(
        SerialTransport.open(file),
        hasCode("PERMISSION_DENIED"),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SerialTransport.open() twice on one port gives PORT_BUSY", async () => {
  await using pty = openPty();
  await using first = await SerialTransport.open(pty.slavePath);
  await assert.rejects(
    SerialTransport.open(pty.slavePath),
    (e) =>
      hasCode("PORT_BUSY")(e) && /device is busy/.test((e as Error).message),
  );
  await first.close();
  // The lock goes with the fd.
  await using again = await SerialTransport.open(pty.slavePath);
  assert.equal(again.name, `serial:${pty.slavePath}`);
});

Deno.test("SerialTransport sets every EN 13757-2 baud rate and refuses others", async () => {
  await using pty = openPty();
  await using port = await SerialTransport.open(pty.slavePath, {
    baudRate: 9600,
  });
  assert.equal(port.baudRate, 9600);
  for (const b of [300, 600, 1200, 2400, 4800, 9600, 19200, 38400]) {
    await port.setBaudRate(b);
    assert.equal(port.baudRate, b);
  }
  await assert.rejects(port.setBaudRate(250000), RangeError);
  await assert.rejects(
    SerialTransport.open(pty.slavePath, { baudRate: 1234 }),
    RangeError,
  );
});

Deno.test("SerialTransport measures read timeouts on its clock", async () => {
  const clock = new VirtualClock();
  await using pty = openPty();
  await using port = await SerialTransport.open(pty.slavePath, { clock });
  const p = port.read(10, 60_000);
  await clock.advance(60_000);
  assert.equal((await p).length, 0);
});

Deno.test("a serial port whose pty master goes away fails with IO", async () => {
  const pty = openPty({ holdSlave: false });
  await using port = await SerialTransport.open(pty.slavePath);
  await pty.close();
  await assert.rejects(port.read(1, 1000), hasCode("IO"));
});

Deno.test("a pty slave opens again and again although it drops parity", async () => {
  await using pty = openPty();
  for (let i = 0; i < 3; i++) {
    await using port = await SerialTransport.open(pty.slavePath);
    assert.equal(port.evenParity, false);
    await port.setBaudRate(9600);
  }
});

function settingsOf(path: string) {
  const fd = libc().open(cString(path), O_RDWR | O_NOCTTY | O_NONBLOCK, 0);
  assert.ok(fd >= 0);
  try {
    const t = getAttr(fd);
    assert.ok(typeof t !== "number");
    return t;
  } finally {
    libc().close(fd);
  }
}

Deno.test("SerialTransport leaves the line raw at the chosen speed", async () => {
  await using pty = openPty();
  await using port = await SerialTransport.open(pty.slavePath, {
    baudRate: 300,
  });
  let t = settingsOf(pty.slavePath);
  assert.equal(t.isRaw, true);
  assert.equal(t.isLocalReceiver, true);
  assert.equal(t.speedCode, SPEED_CODES.get(300));
  await port.setBaudRate(38400);
  t = settingsOf(pty.slavePath);
  assert.equal(t.speedCode, SPEED_CODES.get(38400));
});

Deno.test("SerialTransport opens 8N1 at 57600 for a receiver dongle", async () => {
  await using pty = openPty();
  await using port = await SerialTransport.open(pty.slavePath, {
    baudRate: 57600,
    parity: "none",
  });
  assert.equal(port.evenParity, false);
  assert.equal(settingsOf(pty.slavePath).speedCode, SPEED_CODES.get(57600));
  await pty.write(Uint8Array.of(0xa5, 0x00));
  assert.deepEqual(await port.read(4, 2000), Uint8Array.of(0xa5, 0x00));
});

Deno.test("SerialTransport reopens the device after it hung up, with back-off", async () => {
  const dir = await Deno.makeTempDir();
  const link = `${dir}/ttyMBUS`;
  const clock = new VirtualClock();
  try {
    const a = openPty({ holdSlave: false });
    await Deno.symlink(a.slavePath, link);
    await using port = await SerialTransport.open(link, {
      clock,
      backoff: { initialMs: 1000, maxMs: 4000 },
    });
    await port.setBaudRate(9600);
    await a.close(); // the adapter is unplugged
    await assert.rejects(port.read(1, 1000), hasCode("IO", /hung up/));
    await Deno.remove(link);
    await assert.rejects(
      port.write(Uint8Array.of(1)),
      hasCode("PORT_NOT_FOUND", /next attempt in 1000 ms/),
    );
    await assert.rejects(
      port.write(Uint8Array.of(1)),
      hasCode("PORT_NOT_FOUND", /retrying in 1000 ms/),
    );
    // Plugged in again (maybe under another pts number behind the same link).
    await using b = openPty();
    await Deno.symlink(b.slavePath, link);
    await clock.advance(1000);
    await port.write(Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16));
    assert.equal(port.reopens, 1);
    assert.equal(port.baudRate, 9600);
    assert.deepEqual(
      await b.read(5, 2000),
      Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openError() maps errno values to codes and one-line messages", () => {
  const table: ReadonlyArray<[number, string, string]> = [
    [2, "PORT_NOT_FOUND", "no such file"],
    [6, "PORT_NOT_FOUND", "no such device"],
    [13, "PERMISSION_DENIED", "permission denied"],
    [1, "PERMISSION_DENIED", "permission denied"],
    [16, "PORT_BUSY", "device is busy"],
    [21, "NOT_A_TTY", "is a directory"],
    [25, "NOT_A_TTY", "not a terminal"],
    [71, "IO", "errno 71"],
  ];
  for (const [errno, code, text] of table) {
    const e = openError("/dev/ttyUSB0", errno);
    assert.equal(e.code, code);
    assert.equal(e.message, `Cannot open serial port "/dev/ttyUSB0": ${text}`);
  }
});
