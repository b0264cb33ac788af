import assert from "node:assert/strict";
import { openPty, SerialTransport } from "../../src/transport/mod.ts";
import { TransportError } from "../../src/util/mod.ts";

Deno.test("openPty() gives a /dev/pts slave path and raw bytes both ways", async () => {
  await using pty = openPty();
  assert.match(pty.slavePath, /^\/dev\/pts\/\d+$/);
  await using port = await SerialTransport.open(pty.slavePath);
  // Bytes a cooked tty would translate or swallow.
  const raw = Uint8Array.of(0x0d, 0x0a, 0x03, 0x04, 0x11, 0x13, 0x7f, 0x00);
  await pty.write(raw);
  assert.deepEqual(await port.read(16, 2000), raw);
  await port.write(raw);
  assert.deepEqual(await pty.read(16, 2000), raw);
});

Deno.test("a pty master reads silence while no client holds the slave", async () => {
  await using pty = openPty({ holdSlave: false });
  assert.equal((await pty.read(16, 30)).length, 0);
  {
    await using port = await SerialTransport.open(pty.slavePath);
    await port.write(Uint8Array.of(1, 2, 3));
    const got = await pty.read(16, 2000);
    assert.deepEqual(got, Uint8Array.of(1, 2, 3));
  }
  // The client is gone (EIO on the master): still silence, no error, no spin.
  assert.equal((await pty.read(16, 50)).length, 0);
  await using again = await SerialTransport.open(pty.slavePath);
  await again.write(Uint8Array.of(9));
  assert.deepEqual(await pty.read(16, 2000), Uint8Array.of(9));
});

Deno.test("pty close is idempotent", async () => {
  const pty = openPty();
  await pty.close();
  await pty.close();
  await assert.rejects(pty.read(1, 10));
});

Deno.test("a second read while one is waiting is refused", async () => {
  await using pty = openPty();
  const first = pty.read(1, 5000);
  await assert.rejects(pty.read(1, 10), TypeError);
  await pty.close();
  // Closing wakes the waiting read, which then fails as closed.
  await assert.rejects(
    first,
    (e) => e instanceof TransportError && e.code === "CLOSED",
  );
});
