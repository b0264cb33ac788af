// In its own file: Deno prints its request.signal warning once per process.
// deno-lint-ignore-file no-console
import assert from "node:assert/strict";
import { serveApi } from "../../src/api/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

/** Sends raw HTTP/1.1 (chunked bodies, no Content-Length) and returns the status. */
async function raw(port: number, head: string, body?: string): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    let text = `${head}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
    if (body !== undefined) {
      const size = new TextEncoder().encode(body).length;
      text += `Transfer-Encoding: chunked\r\n\r\n${
        size.toString(16)
      }\r\n${body}\r\n0\r\n\r\n`;
    } else {
      text += "\r\n";
    }
    await conn.write(new TextEncoder().encode(text));
    let answer = "";
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      answer += new TextDecoder().decode(buf.subarray(0, n));
    }
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  } finally {
    conn.close();
  }
}

Deno.test("serveApi() answers bodies without Content-Length, bodiless DELETEs and reads on demand without Deno's request.signal warning", async () => {
  const warnings: string[] = [];
  const { warn } = console;
  console.warn = (...a: unknown[]) => warnings.push(a.join(" "));
  try {
    const backend = new FakeBackend(new RealClock() as never);
    await using server = serveApi(backend, { port: 0 });
    const p = server.port;
    const json = "Content-Type: application/json";
    assert.equal(
      await raw(
        p,
        `POST /api/instances/heat/read HTTP/1.1\r\n${json}`,
        '{"address":1}',
      ),
      200,
    );
    const scan = await raw(
      p,
      `POST /api/instances/heat/scans HTTP/1.1\r\n${json}`,
      '{"kind":"primary","from":1,"to":2}',
    );
    assert.equal(scan, 202);
    // curl -X DELETE / POST without -d: no Content-Length, no body.
    assert.equal(
      await raw(p, "DELETE /api/instances/heat/scans/1 HTTP/1.1"),
      200,
    );
    assert.equal(
      await raw(
        p,
        `POST /api/values/${encodeURIComponent("%mbus:1")}/read HTTP/1.1`,
      ),
      422,
    );
    const big = await raw(
      p,
      `POST /api/instances/heat/read HTTP/1.1\r\n${json}`,
      `{"address":1,"pad":"${"x".repeat(70_000)}"}`,
    );
    assert.equal(big, 413);
    const read = await fetch(`${server.url}/api/instances/heat/read`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"address":1}',
    });
    assert.equal(read.status, 200);
    await read.body?.cancel();
    // The warning is printed when the response has gone out.
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, []);
});
