import assert from "node:assert/strict";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

/** True when a connection is refused, or (while the listener winds down) reset or closed at once. */
async function refusedOrClosed(port: number): Promise<boolean> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch (e) {
    return e instanceof Deno.errors.ConnectionRefused;
  }
  try {
    return await conn.read(new Uint8Array(8)) === null;
  } catch (e) {
    return e instanceof Deno.errors.ConnectionReset;
  } finally {
    conn.close();
  }
}

Deno.test("mbusgw sim --faults takes fault commands on stdin and reports their start and end", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "sim", "--tcp", "127.0.0.1:0", "--faults"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const waitFor = async (re: RegExp) => {
    while (!re.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    return re.exec(text);
  };
  const writer = child.stdin.getWriter();
  try {
    const m = await waitFor(/listening tcp 127\.0\.0\.1:(\d+)\n/);
    assert.ok(m, text);
    await writer.write(new TextEncoder().encode("refuse 300\nexplode\n"));
    assert.ok(await waitFor(/fault refuse 300 started (\d+)\n/), text);
    assert.ok(await waitFor(/error Unknown fault "explode"/), text);
    assert.ok(
      await refusedOrClosed(Number(m[1])),
      "refused while the fault holds",
    );
    assert.ok(await waitFor(/fault refuse 300 ended (\d+)\n/), text);
  } finally {
    await writer.close().catch(() => {});
    child.kill("SIGTERM");
    await reader.cancel();
    await child.stderr.cancel();
  }
  assert.equal((await child.status).code, 0);
});
