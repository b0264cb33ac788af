import assert from "node:assert/strict";
import { type ApiServer, serveApi } from "../../src/api/mod.ts";
import { hostName, isAllowedHost } from "../../src/api/guard.ts";
import { ConfigStore, GatewayHost, History } from "../../src/gateway/mod.ts";
import { FakeSource } from "../gateway/_fake_source.ts";

const INITIAL = {
  gateways: [{ name: "heat", host: "127.0.0.1", addresses: [{ name: "1" }] }],
};

interface Served {
  server: ApiServer;
  /** Names of the configured meters of "heat", read from the file. */
  meters(): Promise<string[]>;
}

/** A file-backed gateway host served over real HTTP on a free port, without a token. */
async function withServer(
  fn: (s: Served) => Promise<void>,
  allowedHosts: string[] = [],
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-guard-" });
  const path = `${dir}/mbusgw.json`;
  await Deno.writeTextFile(path, JSON.stringify(INITIAL));
  const store = await ConfigStore.open(path);
  const history = new History();
  const host = await GatewayHost.create(store.current, {
    store,
    history,
    openSource: (_g, clock) => new FakeSource(clock),
  });
  const server = serveApi(host, { port: 0, guard: { allowedHosts } });
  try {
    await fn({
      server,
      async meters() {
        const raw = JSON.parse(await Deno.readTextFile(path));
        return raw.gateways[0].addresses.map((a: { name: string }) => a.name);
      },
    });
  } finally {
    await server.shutdown();
    await host.stop();
    history.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** One raw HTTP/1.1 exchange, so the Host header is exactly what a browser would send. */
async function rawRequest(
  port: number,
  lines: string[],
  body = "",
): Promise<{ status: number; text: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head = [...lines, "Connection: close"];
    if (body) {
      head.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
    }
    await conn.write(
      new TextEncoder().encode(`${head.join("\r\n")}\r\n\r\n${body}`),
    );
    let text = "";
    const dec = new TextDecoder();
    const buf = new Uint8Array(4096);
    for (;;) {
      // An event stream never ends: the status line and headers are enough.
      if (text.includes("\r\n\r\n") && text.includes("text/event-stream")) {
        break;
      }
      const n = await conn.read(buf);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n), { stream: true });
    }
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
    return { status, text };
  } finally {
    conn.close();
  }
}

function codeOf(text: string): string | undefined {
  return /"code":"([A-Z_]+)"/.exec(text)?.[1];
}

Deno.test("guard: a cross-site text/plain POST (a form on a foreign page) adds no meter (403 CROSS_SITE)", async () => {
  await withServer(async ({ server, meters }) => {
    const res = await fetch(`${server.url}/api/instances/heat/addresses`, {
      method: "POST",
      headers: {
        "Content-Type": "text/plain",
        Origin: "http://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
      body: JSON.stringify({ name: "99" }),
    });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, "CROSS_SITE");
    // A page on another port of localhost is "same-site" for the browser, yet foreign.
    const sameSite = await fetch(`${server.url}/api/instances/heat/addresses`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Origin: "http://localhost:3000",
        "Sec-Fetch-Site": "same-site",
      },
      body: JSON.stringify({ name: "98" }),
    });
    assert.equal(sameSite.status, 403);
    await sameSite.body?.cancel();
    // Origin alone (an older browser without Fetch Metadata) is enough.
    const origin = await fetch(`${server.url}/api/instances/heat/addresses`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: "null" },
      body: JSON.stringify({ name: "97" }),
    });
    assert.equal(origin.status, 403);
    await origin.body?.cancel();
    assert.deepEqual(await meters(), ["1"]);
  });
});

Deno.test("guard: a body that is not JSON gets 415 UNSUPPORTED_MEDIA_TYPE and changes nothing", async () => {
  await withServer(async ({ server, meters }) => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const res = await fetch(`${server.url}/api/instances/heat/addresses`, {
        method: "POST",
        headers: { "Content-Type": type },
        body: JSON.stringify({ name: "99" }),
      });
      assert.equal(res.status, 415, type);
      assert.equal((await res.json()).error.code, "UNSUPPORTED_MEDIA_TYPE");
    }
    // A body without any Content-Type (fetch with an untyped Blob) is no JSON either.
    const untyped = await rawRequest(server.port, [
      "POST /api/instances/heat/addresses HTTP/1.1",
      `Host: 127.0.0.1:${server.port}`,
    ], JSON.stringify({ name: "99" }));
    assert.equal(untyped.status, 415, untyped.text);
    assert.deepEqual(await meters(), ["1"]);
  });
});

Deno.test("guard: same-origin pages and tools without Origin still add and remove meters", async () => {
  await withServer(async ({ server, meters }) => {
    const page = await fetch(`${server.url}/api/instances/heat/addresses`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        Origin: server.url,
        "Sec-Fetch-Site": "same-origin",
      },
      body: JSON.stringify({ name: "7" }),
    });
    assert.equal(page.status, 201, await page.text());
    const tool = await fetch(`${server.url}/api/instances/heat/addresses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "8" }),
    });
    assert.equal(tool.status, 201);
    await tool.body?.cancel();
    // Behind a TLS-terminating proxy the page's origin is https on the same host and port.
    const proxied = await fetch(`${server.url}/api/instances/heat/addresses`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Origin: server.url.replace("http:", "https:"),
      },
      body: JSON.stringify({ name: "9" }),
    });
    assert.equal(proxied.status, 201);
    await proxied.body?.cancel();
    const otherPort = await fetch(
      `${server.url}/api/instances/heat/addresses`,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Origin: `http://127.0.0.1:${server.port === 1 ? 2 : server.port - 1}`,
        },
        body: JSON.stringify({ name: "10" }),
      },
    );
    assert.equal(otherPort.status, 403);
    await otherPort.body?.cancel();
    // DELETE has no body and needs no content type.
    const del = await fetch(`${server.url}/api/instances/heat/addresses/7`, {
      method: "DELETE",
    });
    assert.equal(del.status, 200);
    await del.body?.cancel();
    assert.deepEqual(await meters(), ["1", "8", "9"]);
  });
});

Deno.test("guard: a foreign Host (DNS rebinding) is refused on reads and on the event stream", async () => {
  await withServer(async ({ server }) => {
    const p = server.port;
    for (const path of ["/api/instances", "/events", "/metrics"]) {
      const res = await rawRequest(p, [
        `GET ${path} HTTP/1.1`,
        `Host: rebind.evil.example:${p}`,
      ]);
      assert.equal(res.status, 403, `${path}: ${res.text}`);
      assert.equal(codeOf(res.text), "HOST_NOT_ALLOWED");
    }
    for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`]) {
      const res = await rawRequest(p, [
        "GET /api/instances HTTP/1.1",
        `Host: ${host}`,
      ]);
      assert.equal(res.status, 200, `${host}: ${res.text}`);
    }
    const stream = await rawRequest(p, [
      "GET /events HTTP/1.1",
      `Host: localhost:${p}`,
    ]);
    assert.equal(stream.status, 200);
  });
});

Deno.test("guard: a name in allowedHosts is served, others still refused", async () => {
  await withServer(async ({ server }) => {
    const p = server.port;
    const ok = await rawRequest(p, [
      "GET /api/instances HTTP/1.1",
      `Host: GW.Plant.local:${p}`,
    ]);
    assert.equal(ok.status, 200);
    const no = await rawRequest(p, [
      "GET /api/instances HTTP/1.1",
      `Host: other.plant.local:${p}`,
    ]);
    assert.equal(no.status, 403);
  }, ["gw.plant.local"]);
});

Deno.test("hostName() and isAllowedHost() parse Host values and accept IP literals and loopback names", () => {
  assert.equal(hostName("Example.COM:8080"), "example.com");
  assert.equal(hostName("[::1]:80"), "::1");
  assert.equal(hostName("a b"), undefined);
  assert.equal(hostName("evil.example@127.0.0.1"), undefined);
  const none = new Set<string>();
  for (
    const h of ["127.0.0.1", "10.1.2.3", "::1", "localhost", "app.localhost"]
  ) {
    assert.equal(isAllowedHost(h, none), true, h);
  }
  for (
    const h of [
      "evil.example",
      "127.0.0.1.nip.io",
      "localhost.evil.example",
      "999.1.1.1",
    ]
  ) {
    assert.equal(isAllowedHost(h, none), false, h);
  }
  assert.equal(isAllowedHost("any.name", new Set(["*"])), true);
});
