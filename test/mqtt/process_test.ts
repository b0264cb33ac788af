// deno-lint-ignore-file no-console
/**
 * `mbusgw run` processes with an `mqtt` section against a real mosquitto: the Last Will
 * when the process is killed, a restart of the gateway during a broker outage with no
 * reading lost, and a bad `mqtt` section refused with exit 2.
 */
import assert from "node:assert/strict";
import { createSimulation, startTcpEndpoint } from "../../sim/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import { MAIN_PATH } from "../_helpers/cli.ts";
import { freePort, until } from "../_helpers/net.ts";
import { skipReason, startBroker, subscribe } from "./_broker.ts";

const skip = skipReason();
if (skip) console.log(`skipping MQTT broker tests: ${skip}`);

interface Child {
  process: Deno.ChildProcess;
  stderr: string[];
}

function spawnRun(configPath: string, api = false): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      MAIN_PATH,
      "run",
      "--config",
      configPath,
      ...(api ? [] : ["--no-api"]),
    ],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr: string[] = [];
  (async () => {
    const dec = new TextDecoderStream();
    for await (const chunk of process.stderr.pipeThrough(dec)) {
      stderr.push(chunk);
    }
  })().catch(() => {});
  return { process, stderr };
}

async function writeConfig(
  dir: string,
  tcpPort: number,
  mqtt: Record<string, unknown>,
  apiPort?: number,
): Promise<string> {
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      gateways: [{
        name: "heat",
        cluster: 3,
        type: "tcp",
        host: "127.0.0.1",
        port: tcpPort,
        polling: 150,
        requestTimeout: 200,
        idleTimeout: 5,
        addresses: [{ name: "1" }, { name: "2" }],
      }],
      mqtt,
      ...(apiPort === undefined ? {} : { api: { port: apiPort } }),
    }),
  );
  return path;
}

Deno.test({
  name:
    "mqtt: the Last Will marks the gateway offline when its process is killed",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const bus = createSimulation("demo");
    const tcp = startTcpEndpoint(bus, { port: 0, clock: new RealClock() });
    const dir = await Deno.makeTempDir();
    const sub = await subscribe(broker.url, ["p1/#"]);
    const apiPort = freePort();
    const child = spawnRun(
      await writeConfig(dir, tcp.port, {
        url: broker.url,
        clientId: "gw-kill",
        topicPrefix: "p1",
        keepaliveSeconds: 5,
        storeAndForward: { path: `${dir}/outbox.db` },
      }, apiPort),
      true,
    );
    try {
      await sub.waitFor(
        "p1/gateway/gw-kill/status",
        (p) => p === "online",
        "online",
      );
      await sub.waitFor("p1/3/heat/1/state", () => true, "a reading");
      // The bridge's counters are in the gateway's Prometheus metrics.
      const metrics = await (await fetch(
        `http://127.0.0.1:${apiPort}/metrics`,
      )).text();
      assert.match(metrics, /^mbusgw_mqtt_up 1$/m);
      assert.match(
        metrics,
        /^# TYPE mbusgw_mqtt_dropped_messages_total counter$/m,
      );
      const readings = /^mbusgw_mqtt_readings_total (\d+)$/m.exec(metrics);
      assert.ok(readings && Number(readings[1]) > 0, metrics.slice(0, 200));
      const statusMessages = () =>
        sub.seen.filter((s) => s.topic === "p1/gateway/gw-kill/status").length;
      const before = statusMessages();
      child.process.kill("SIGKILL");
      await child.process.status;
      await sub.waitFor(
        "p1/gateway/gw-kill/status",
        (p) => p === "offline",
        "the Last Will",
      );
      assert.equal(statusMessages(), before + 1);
      // The instance did not say goodbye: only the Will speaks for a killed process.
      assert.equal(sub.last("p1/3/heat/status"), "online");
    } finally {
      try {
        child.process.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.process.status;
      await sub.close();
      await tcp.close().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "mqtt: a gateway restarted during a broker outage delivers the readings of both runs afterwards",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const bus = createSimulation("demo");
    const tcp = startTcpEndpoint(bus, { port: 0, clock: new RealClock() });
    const dir = await Deno.makeTempDir();
    const sub = await subscribe(broker.url, ["p2/3/heat/+/state"], {
      clientId: "sub-p2",
    });
    const config = await writeConfig(dir, tcp.port, {
      url: broker.url,
      clientId: "gw-restart",
      topicPrefix: "p2",
      reconnectMs: 200,
      discovery: { enabled: false },
      valueTopics: false,
      storeAndForward: { path: `${dir}/outbox.db` },
    });
    let child = spawnRun(config);
    try {
      await sub.waitFor("p2/3/heat/1/state", () => true, "a reading");
      await broker.stop();
      const outageStart = Date.now();
      await new Promise((r) => setTimeout(r, 1200));
      child.process.kill("SIGTERM");
      await child.process.status;
      child = spawnRun(config);
      await new Promise((r) => setTimeout(r, 2500));
      const outageEnd = Date.now();
      await broker.start();
      // Readings stamped inside the outage reach the subscriber after the broker is back.
      const inOutage = () =>
        sub.seen.map((s) => JSON.parse(s.payload)).filter((j) => {
          const t = Date.parse(j.timestamp);
          return t > outageStart && t < outageEnd;
        });
      await until(
        () => {
          const ts = inOutage().map((j) => Date.parse(j.timestamp));
          // From the first run (before the restart) and from the second.
          return ts.some((t) => t < outageStart + 1200) &&
            ts.some((t) => t > outageStart + 1500);
        },
        "readings of both runs taken during the outage",
        2000,
      );
      const meters = new Set(inOutage().map((j) => j.meter));
      assert.deepEqual([...meters].sort(), ["1", "2"]);
      assert.ok(inOutage().length >= 6, `readings kept: ${inOutage().length}`);
    } finally {
      child.process.kill("SIGTERM");
      await child.process.status;
      await sub.close();
      await tcp.close().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("mbusgw run refuses a bad mqtt section with one line naming the key and exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await writeConfig(dir, 1, { url: "http://example.invalid" });
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        MAIN_PATH,
        "run",
        "--config",
        path,
        "--no-api",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 2);
    assert.equal(err.split("\n").length, 1, err);
    assert.match(err, /mqtt\.url/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "mbusgw --simulate --mqtt URL publishes the demo's meters and goes offline on SIGTERM",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, ["mbusgw/#", "homeassistant/#"]);
    const process = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        MAIN_PATH,
        "--simulate",
        "--port",
        "0",
        "--bridge-port",
        String(freePort()),
        "--polling",
        "500",
        "--mqtt",
        broker.url,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const state = JSON.parse(
        await sub.waitFor(
          "mbusgw/0/sim/1/state",
          () => true,
          "the demo's meter 1",
        ),
      );
      assert.equal(state.path, "%mbus:1");
      // The wireless demo meters come in the wmbusmeters shape.
      await until(
        () =>
          sub.seen.some((s) =>
            /^mbusgw\/1\/radio\/[0-9A-F]{8}\/state$/.test(s.topic)
          ),
        "a wireless meter's state",
        1500,
      );
      const radio = sub.seen.find((s) =>
        /^mbusgw\/1\/radio\/[0-9A-F]{8}\/state$/.test(s.topic)
      );
      assert.equal(JSON.parse(radio?.payload ?? "{}")._, "telegram");
      assert.ok(
        sub.seen.some((s) =>
          s.topic.startsWith("homeassistant/sensor/mbusgw_0_sim_1/")
        ),
        "discovery is on in the demo",
      );
      process.kill("SIGTERM");
      const [status, err] = await Promise.all([
        process.status,
        new Response(process.stderr).text(),
      ]);
      assert.equal(status.code, 0, err);
      await sub.waitFor(
        "mbusgw/gateway/mbusgw-sim/status",
        (p) => p === "offline",
      );
      assert.equal(sub.last("mbusgw/0/sim/status"), "offline");
    } finally {
      try {
        process.kill("SIGKILL");
      } catch {
        // gone
      }
      await process.status;
      await sub.close();
    }
  },
});

Deno.test("mbusgw run stops reading a TLS file at its limit: /dev/zero as mqtt.tls.ca is one line and exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await writeConfig(dir, 1, {
      url: "mqtts://127.0.0.1:1",
      tls: { ca: "/dev/zero" },
    });
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        "--v8-flags=--max-old-space-size=256",
        MAIN_PATH,
        "run",
        "--config",
        path,
        "--no-api",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr).trim();
    assert.equal(out.code, 2, err);
    assert.equal(err.split("\n").length, 1, err);
    assert.match(err, /mqtt\.tls\.ca.*larger than the limit/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
