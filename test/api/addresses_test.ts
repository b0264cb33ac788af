import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import {
  ConfigStore,
  GatewayHost,
  History,
  loadConfig,
  parseConfig,
  WiredSource,
} from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { createSimulation } from "../../sim/mod.ts";
import { FakeSource } from "../gateway/_fake_source.ts";

const TOKEN = "s3cret-token";
const KEY = "000102030405060708090a0b0c0d0e0f";
const INITIAL = {
  gateways: [{
    name: "heat",
    host: "127.0.0.1",
    addresses: [{ name: "1" }, { name: "2" }],
  }],
};

async function withHost(
  fn: (app: ReturnType<typeof createApp>, path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-api-config-" });
  const path = `${dir}/mbusgw.json`;
  await Deno.writeTextFile(path, JSON.stringify(INITIAL));
  const store = await ConfigStore.open(path);
  const history = new History();
  const host = await GatewayHost.create(store.current, {
    store,
    history,
    openSource: (_g, clock) => new FakeSource(clock),
  });
  try {
    await fn(createApp(host, { token: TOKEN }), path);
  } finally {
    await host.stop();
    history.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function send(
  app: ReturnType<typeof createApp>,
  method: string,
  url: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return Promise.resolve(app.request(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
}

async function configuredNames(path: string): Promise<string[]> {
  return (await loadConfig(path)).gateways[0]?.addresses.map((a) => a.name) ??
    [];
}

Deno.test("POST /api/instances/:name/addresses adds meters to the file, atomically and validated", async () => {
  await withHost(async (app, path) => {
    const denied = await send(app, "POST", "/api/instances/heat/addresses", {
      name: "5",
    }, null);
    assert.equal(denied.status, 401);
    assert.deepEqual(await configuredNames(path), ["1", "2"]);

    const one = await send(app, "POST", "/api/instances/heat/addresses", {
      name: "5",
      scale: 1000,
    });
    assert.equal(one.status, 201);
    const body = await one.json();
    assert.equal(body.restartRequired, false, "applied live");
    assert.deepEqual(await configuredNames(path), ["1", "2", "5"]);
    assert.equal(
      (await loadConfig(path)).gateways[0]?.addresses[2]?.scale,
      1000,
    );

    const many = await send(app, "POST", "/api/instances/heat/addresses", {
      addresses: [{ name: "12345678" }, { name: "7", key: KEY }],
    });
    assert.equal(many.status, 201);
    assert.ok(
      !(await many.text()).toUpperCase().includes(KEY.toUpperCase()),
      "keys never leave the API",
    );
    assert.deepEqual(await configuredNames(path), [
      "1",
      "2",
      "5",
      "12345678",
      "7",
    ]);
    assert.equal(
      (await loadConfig(path)).gateways[0]?.addresses[4]?.key,
      KEY.toUpperCase(),
    );

    const twice = await send(app, "POST", "/api/instances/heat/addresses", {
      name: "5",
    });
    assert.equal(twice.status, 400);
    assert.match((await twice.json()).error.message, /configured already/);

    const invalid = await send(app, "POST", "/api/instances/heat/addresses", {
      name: "999",
    });
    assert.equal(invalid.status, 400);
    assert.equal((await invalid.json()).error.code, "INVALID_CONFIG");
    assert.deepEqual(await configuredNames(path), [
      "1",
      "2",
      "5",
      "12345678",
      "7",
    ]);

    const unknown = await send(app, "POST", "/api/instances/nope/addresses", {
      name: "9",
    });
    assert.equal(unknown.status, 404);
  });
});

Deno.test("DELETE /api/instances/:name/addresses/:address removes a meter from the file", async () => {
  await withHost(async (app, path) => {
    const gone = await send(app, "DELETE", "/api/instances/heat/addresses/2");
    assert.equal(gone.status, 200);
    assert.equal((await gone.json()).restartRequired, false, "applied live");
    assert.deepEqual(await configuredNames(path), ["1"]);
    const missing = await send(
      app,
      "DELETE",
      "/api/instances/heat/addresses/2",
    );
    assert.equal(missing.status, 404);
    assert.deepEqual(await configuredNames(path), ["1"]);
  });
});

Deno.test("POST /api/instances/:name/addresses: a meter added to a running gateway is polled at once and shows in the tree", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-api-live-" });
  const path = `${dir}/mbusgw.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      gateways: [{
        name: "heat",
        host: "127.0.0.1",
        polling: 1000,
        idleTimeout: 0,
        addresses: [{ name: "1" }],
      }],
    }),
  );
  const clock = new VirtualClock();
  const store = await ConfigStore.open(path);
  const history = new History();
  let source: FakeSource | undefined;
  const host = await GatewayHost.create(store.current, {
    store,
    clock,
    history,
    openSource: (_g, c) => {
      source = new FakeSource(c);
      source.values.set("1", [1]);
      source.values.set("5", [42, 7]);
      return source;
    },
  });
  try {
    const app = createApp(host, {
      clock,
      token: TOKEN,
      heartbeatMs: 3_600_000,
    });
    const t0 = clock.now();
    host.start();
    await clock.advance(250);
    const meterUrl = `/api/values/${encodeURIComponent("%mbus:5")}`;
    assert.equal(
      (await send(app, "GET", meterUrl, undefined, null)).status,
      404,
    );
    const added = await send(app, "POST", "/api/instances/heat/addresses", {
      name: "5",
      scale: 1000,
    });
    assert.equal(added.status, 201);
    assert.equal((await added.json()).restartRequired, false);
    const node = await send(app, "GET", meterUrl, undefined, null);
    assert.equal(node.status, 200, "in the tree at once");
    assert.deepEqual((await node.json()).value.records, []);
    await clock.advance(1_000);
    assert.deepEqual(
      source?.log.filter((l) => l.meter === "5").map((l) => l.at - t0),
      [1_100],
      "polled in the next cycle",
    );
    const value = await send(
      app,
      "GET",
      `/api/values/${encodeURIComponent("%mbus:5/0/value")}`,
      undefined,
      null,
    );
    assert.equal(value.status, 200);
    assert.equal((await value.json()).value.value, 42_000);

    const changed = await send(app, "POST", "/api/instances/heat/addresses", {
      name: "6",
    });
    assert.equal((await changed.json()).restartRequired, false);
    await host.updateConfig((raw) => {
      const g = (raw.gateways as Record<string, unknown>[])[0];
      if (g) g.port = 10002;
    });
    const pending = await send(
      app,
      "DELETE",
      "/api/instances/heat/addresses/6",
    );
    assert.deepEqual((await pending.json()).restartRequired, ["heat"]);
  } finally {
    await host.stop();
    history.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("address edits answer UNSUPPORTED when the gateway did not start from a file", async () => {
  const history = new History();
  const host = await GatewayHost.create(parseConfig(INITIAL), {
    history,
    openSource: (_g, clock) => new FakeSource(clock),
  });
  try {
    const res = await send(
      createApp(host),
      "POST",
      "/api/instances/heat/addresses",
      {
        name: "5",
      },
      null,
    );
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error.code, "UNSUPPORTED");
  } finally {
    await host.stop();
    history.close();
  }
});

/** Runs virtual timers while real file I/O (the config write) completes. */
async function driveWithFiles<T>(
  clock: VirtualClock,
  p: Promise<T>,
): Promise<T> {
  let settled = false;
  p.then(() => settled = true, () => settled = true);
  for (let i = 0; i < 20_000 && !settled; i++) {
    await clock.advance(20);
    await new Promise((r) => setTimeout(r, 0));
  }
  return await p;
}

Deno.test("set-primary renames the meter's entry in the config file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-api-config-" });
  const path = `${dir}/mbusgw.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      gateways: [{
        name: "demo",
        host: "127.0.0.1",
        polling: 600_000,
        idleTimeout: 0,
        requestTimeout: 300,
        addresses: [
          { name: "5", description: "heat cost allocator", scale: 2 },
          {
            name: "6",
          },
        ],
      }],
    }),
  );
  const clock = new VirtualClock();
  const store = await ConfigStore.open(path);
  const history = new History();
  const host = await GatewayHost.create(store.current, {
    store,
    clock,
    history,
    openSource: (g, c) =>
      new WiredSource({
        transport: createSimulation("demo").connect({ clock: c }),
        clock: c,
        requestTimeoutMs: g.requestTimeout,
        idleTimeoutMs: g.idleTimeout,
      }),
  });
  try {
    const app = createApp(host, {
      clock,
      token: TOKEN,
      heartbeatMs: 3_600_000,
    });
    const moved = await driveWithFiles(
      clock,
      Promise.resolve(app.request(
        "/api/instances/demo/set-primary",
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${TOKEN}`,
          },
          body: JSON.stringify({ address: "5", newAddress: 60, confirm: true }),
        },
      )),
    );
    assert.equal(moved.status, 200);
    const body = await moved.json();
    assert.equal(body.configUpdated, true);
    const entries = (await loadConfig(path)).gateways[0]?.addresses ?? [];
    assert.deepEqual(entries.map((a) => a.name), ["60", "6"]);
    assert.equal(entries[0]?.description, "heat cost allocator");
    assert.equal(entries[0]?.scale, 2);
    assert.deepEqual(host.restartRequired, [], "the rename applied live");
    assert.equal(host.lookup("%mbus:demo/5"), undefined);
    const renamed = host.lookup("%mbus:demo/60");
    assert.ok(renamed && "description" in renamed);
    assert.equal(renamed.description, "heat cost allocator");
  } finally {
    await host.stop();
    history.close();
    await Deno.remove(dir, { recursive: true });
  }
});
