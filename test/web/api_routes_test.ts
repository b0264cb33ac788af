/**
 * The routes the console added, over real HTTP against a gateway started from a config
 * file on simulated buses: meter identity, settings edits, serial ports.
 */
import assert from "node:assert/strict";
import { serialPortRoutes } from "../../src/api/routes/serial_ports.ts";
import { startConsole } from "./_console.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function until<T>(
  get: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Row = Record<string, unknown>;

Deno.test({
  name:
    "GET /api/instances/:name/meters lists identity, addresses and last read; on air also RSSI and the meters heard but not configured",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const get = async (name: string) =>
      (await (await fetch(`${c.url}/api/instances/${name}/meters`)).json()) as {
        type: string;
        meters: Row[];
      };
    const bus = await until(
      () => get("bus"),
      (b) => b.meters.every((m) => m.readAt !== null),
    );
    assert.equal(bus.type, "tcp");
    assert.deepEqual(bus.meters.map((m) => m.name), ["1", "2", "3"]);
    const one = bus.meters[0] ?? {};
    assert.equal(one.primary, 1);
    assert.equal(one.manufacturer, "KAM");
    assert.match(String(one.id), /^\d{8}$/);
    assert.match(String(one.secondary), /^[0-9A-F]{16}$/);
    assert.equal(String(one.secondary).slice(0, 8), one.id);
    assert.equal(one.medium, 4);
    assert.ok(Number(one.records) > 0);
    assert.equal(one.error, null);

    const radio = await until(
      () => get("radio"),
      (r) => r.meters.some((m) => m.configured === false),
    );
    assert.equal(radio.type, "wireless");
    const configured = radio.meters.filter((m) => m.configured);
    assert.equal(configured.length, 3);
    const heardOnly = radio.meters.filter((m) => !m.configured);
    assert.ok(heardOnly.length >= 1, JSON.stringify(radio.meters));
    for (const m of heardOnly) {
      assert.equal(typeof m.rssi, "number");
      assert.match(String(m.lastHeardAt), /^\d{4}-\d\d-\d\dT/);
    }
    const missing = await fetch(`${c.url}/api/instances/none/meters`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  },
});

Deno.test({
  name:
    "POST /api/instances/:name/addresses/:address and …/settings edit the config file, validated, with restartRequired",
  ...opts,
  async fn() {
    await using c = await startConsole({ token: "tok" });
    const send = (path: string, body: unknown, token = "tok") =>
      fetch(`${c.url}${path}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const file = async () =>
      JSON.parse(await Deno.readTextFile(c.configPath)) as {
        gateways: Row[];
      };
    const entry = async (name: string) =>
      ((await file()).gateways[0]?.addresses as Row[]).find((a) =>
        a.name === name
      );

    const refused = await send("/api/instances/bus/addresses/2", {
      maxFrames: 4,
    }, "");
    assert.equal(refused.status, 401);
    await refused.body?.cancel();

    const ok = await send("/api/instances/bus/addresses/2", {
      maxFrames: 4,
      scale: 0.001,
    });
    const okBody = await ok.json();
    assert.equal(ok.status, 200, JSON.stringify(okBody));
    assert.equal(okBody.restartRequired, false);
    assert.equal((await entry("2"))?.maxFrames, 4);
    assert.equal((await entry("2"))?.scale, 0.001);

    const removed = await send("/api/instances/bus/addresses/2", {
      scale: null,
    });
    assert.equal(removed.status, 200);
    await removed.body?.cancel();
    assert.equal((await entry("2"))?.scale, undefined);
    assert.equal((await entry("2"))?.maxFrames, 4, "other keys kept");

    const bad = await send("/api/instances/bus/addresses/2", {
      maxFrames: "lots",
    });
    const badBody = await bad.json();
    assert.equal(bad.status, 400);
    assert.equal(badBody.error.code, "INVALID_CONFIG");
    assert.match(badBody.error.message, /maxFrames/);
    assert.equal((await entry("2"))?.maxFrames, 4, "file unchanged");

    for (
      const [path, body, status] of [
        ["/api/instances/bus/addresses/2", { name: "9" }, 400],
        ["/api/instances/bus/addresses/77", { scale: 2 }, 404],
        ["/api/instances/bus/settings", { addresses: [] }, 400],
        ["/api/instances/none/settings", { retry: 1 }, 404],
      ] as const
    ) {
      const r = await send(path, body);
      assert.equal(r.status, status, `${path} ${JSON.stringify(body)}`);
      await r.body?.cancel();
    }

    const inst = await send("/api/instances/bus/settings", {
      requestTimeout: 400,
    });
    const instBody = await inst.json();
    assert.equal(inst.status, 200, JSON.stringify(instBody));
    assert.deepEqual(instBody.restartRequired, ["bus"]);
    assert.equal((await file()).gateways[0]?.requestTimeout, 400);
    const badInst = await send("/api/instances/bus/settings", {
      requestTimeout: -1,
    });
    assert.equal(badInst.status, 400);
    assert.match((await badInst.json()).error.message, /requestTimeout/);
  },
});

Deno.test({
  name:
    "GET /api/serial-ports answers the machine's ports (and what the lister finds)",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const res = await fetch(`${c.url}/api/serial-ports`);
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(body.ports));
    for (const p of body.ports) assert.match(p.device, /^\/dev\//);

    const port = {
      device: "/dev/ttyUSB0",
      byId: "/dev/serial/by-id/usb-FTDI_X-if00-port0",
      byPath: null,
      recommended: "/dev/serial/by-id/usb-FTDI_X-if00-port0",
      driver: "ftdi_sio",
      usb: {
        vendorId: "0403",
        productId: "6001",
        manufacturer: "FTDI",
        product: "FT232R",
        serial: "X",
      },
    };
    const app = serialPortRoutes(() => Promise.resolve([port]));
    const fake = await app.request("/api/serial-ports");
    assert.deepEqual(await fake.json(), { ports: [port] });
  },
});
