import assert from "node:assert/strict";
import { ConfigError } from "../../src/util/mod.ts";
import { parseConfig } from "../../src/gateway/mod.ts";

function gw(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "heat",
    host: "10.0.0.5",
    addresses: [{ name: "1" }],
    ...extra,
  };
}

Deno.test("parseConfig() fills every default", () => {
  const c = parseConfig({
    gateways: [{ name: "heat", addresses: [{ name: "005" }] }],
  });
  const g = c.gateways[0];
  assert.ok(g);
  assert.equal(g.cluster, 0);
  assert.equal(g.type, "tcp");
  assert.equal(g.onlyValues, true);
  assert.equal(g.emitOnlyChanges, "changes");
  assert.equal(g.serialBaudRate, 2400);
  assert.equal(g.host, "192.168.1.1");
  assert.equal(g.port, 10001);
  assert.equal(g.polling, 1000);
  assert.equal(g.requestTimeout, 5000);
  assert.equal(g.idleTimeout, 1000);
  assert.equal(g.retry, 0);
  assert.equal(g.applyUnitFactor, true);
  assert.equal(g.legacyDriver, false);
  assert.equal(g.tcpServer, false);
  assert.equal(g.tcpServerPort, 8222);
  assert.deepEqual(g.addresses[0], {
    name: "5",
    description: "",
    scale: 1,
    offset: 0,
    maxFrames: 16,
    maxRecords: 1000,
    skipLoops: 0,
    log: "never",
  });
  assert.deepEqual(c.api, { host: "127.0.0.1", port: 8080 });
  assert.deepEqual(c.history, { path: ":memory:", retentionDays: 30 });
});

Deno.test("parseConfig() normalises addresses, emit modes and polling", () => {
  const c = parseConfig({
    gateways: [
      gw({
        emitOnlyChanges: true,
        polling: "0 * * * * ; 30 12 * * 6-7",
        addresses: [
          { name: "12345678" },
          { name: "1234567824c40107", polling: "5000", log: 60000 },
          7,
        ],
      }),
      gw({ name: "b", cluster: 1, emitOnlyChanges: false }),
      gw({
        name: "c",
        cluster: 2,
        emitOnlyChanges: 30000,
      }),
    ],
  });
  const [a, b, cc] = c.gateways;
  assert.equal(a?.emitOnlyChanges, "changes");
  assert.equal(b?.emitOnlyChanges, "cycle");
  assert.equal(cc?.emitOnlyChanges, 30000);
  assert.equal(a?.addresses[1]?.name, "1234567824C40107");
  assert.equal(a?.addresses[1]?.polling, 5000);
  assert.equal(a?.addresses[1]?.log, 60000);
  assert.equal(a?.addresses[2]?.name, "7");
});

/** [test name, config, expected key path, text the message must contain] */
const BAD: [string, unknown, string, string][] = [
  ["top level not an object", [], "(top level)", "an object"],
  [
    "unknown top-level key",
    { gateways: [gw()], extra: 1 },
    "(top level).extra",
    "unknown key",
  ],
  ["no gateways", {}, "gateways", "non-empty array"],
  ["empty gateways", { gateways: [] }, "gateways", "non-empty array"],
  [
    "unknown gateway key",
    { gateways: [gw({ baud: 1 })] },
    "gateways[0].baud",
    "unknown key",
  ],
  [
    "missing name",
    { gateways: [{ host: "x" }] },
    "gateways[0].name",
    "a letter",
  ],
  [
    "name like an ID",
    { gateways: [gw({ name: "CAFEBABE" })] },
    "gateways[0].name",
    "CAFEBABE",
  ],
  [
    "bad type",
    { gateways: [gw({ type: "udp" })] },
    "gateways[0].type",
    '"udp"',
  ],
  [
    "serial without port",
    { gateways: [gw({ type: "serial" })] },
    "gateways[0].serialPort",
    "device path",
  ],
  [
    "bad baud",
    { gateways: [gw({ serialBaudRate: 1234 })] },
    "gateways[0].serialBaudRate",
    "300, 600",
  ],
  [
    "bad port",
    { gateways: [gw({ port: 70000 })] },
    "gateways[0].port",
    "1 to 65535",
  ],
  [
    "string port",
    { gateways: [gw({ port: "10001" })] },
    "gateways[0].port",
    "integer",
  ],
  [
    "bad polling",
    { gateways: [gw({ polling: "every minute" })] },
    "gateways[0].polling",
    "every minute",
  ],
  [
    "zero polling",
    { gateways: [gw({ polling: 0 })] },
    "gateways[0].polling",
    "1 ms",
  ],
  [
    "bad cron",
    { gateways: [gw({ polling: "0 * * * * ; 99 * * * *" })] },
    "gateways[0].polling",
    "99",
  ],
  [
    "empty cron part",
    { gateways: [gw({ polling: "0 * * * * ;" })] },
    "gateways[0].polling",
    "empty",
  ],
  [
    "negative timeout",
    { gateways: [gw({ requestTimeout: -1 })] },
    "gateways[0].requestTimeout",
    "-1",
  ],
  [
    "retry too high",
    { gateways: [gw({ retry: 10 })] },
    "gateways[0].retry",
    "0 to 9",
  ],
  [
    "bad emit",
    { gateways: [gw({ emitOnlyChanges: "sometimes" })] },
    "gateways[0].emitOnlyChanges",
    "sometimes",
  ],
  [
    "bad onlyValues",
    { gateways: [gw({ onlyValues: "yes" })] },
    "gateways[0].onlyValues",
    "true or false",
  ],
  [
    "addresses not array",
    { gateways: [gw({ addresses: {} })] },
    "gateways[0].addresses",
    "array",
  ],
  [
    "address 251",
    { gateways: [gw({ addresses: [{ name: "251" }] })] },
    "gateways[0].addresses[0].name",
    "0..250",
  ],
  [
    "address junk",
    { gateways: [gw({ addresses: [{ name: "meter" }] })] },
    "gateways[0].addresses[0].name",
    '"meter"',
  ],
  [
    "unknown address key",
    { gateways: [gw({ addresses: [{ name: "1", factor: 2 }] })] },
    "gateways[0].addresses[0].factor",
    "unknown key",
  ],
  [
    "duplicate address",
    { gateways: [gw({ addresses: [{ name: "1" }, { name: "001" }] })] },
    "gateways[0].addresses[1].name",
    "addresses[0]",
  ],
  [
    "bad scale",
    { gateways: [gw({ addresses: [{ name: "1", scale: "2" }] })] },
    "gateways[0].addresses[0].scale",
    "finite number",
  ],
  [
    "bad log",
    { gateways: [gw({ addresses: [{ name: "1", log: "sometimes" }] })] },
    "gateways[0].addresses[0].log",
    '"never"',
  ],
  [
    "bad maxFrames",
    { gateways: [gw({ addresses: [{ name: "1", maxFrames: 0 }] })] },
    "gateways[0].addresses[0].maxFrames",
    "1 to 255",
  ],
  [
    "bad skipLoops",
    { gateways: [gw({ addresses: [{ name: "1", skipLoops: 1.5 }] })] },
    "gateways[0].addresses[0].skipLoops",
    "integer",
  ],
  [
    "bad address polling",
    { gateways: [gw({ addresses: [{ name: "1", polling: "x y" }] })] },
    "gateways[0].addresses[0].polling",
    "fields",
  ],
  [
    "bad key",
    { gateways: [gw({ addresses: [{ name: "1", key: "00" }] })] },
    "gateways[0].addresses[0].key",
    "32 hex",
  ],
  [
    "wireless ID",
    {
      gateways: [
        gw({
          type: "wireless",
          serialPort: "/dev/ttyUSB0",
          addresses: [{ name: "5" }],
        }),
      ],
    },
    "gateways[0].addresses[0].name",
    "8 hex",
  ],
  [
    "duplicate name",
    { gateways: [gw(), gw({ cluster: 1 })] },
    "gateways[1].name",
    "gateways[0]",
  ],
  [
    "duplicate cluster",
    { gateways: [gw(), gw({ name: "b" })] },
    "gateways[1].cluster",
    "cluster number",
  ],
  [
    "duplicate bridge port",
    {
      gateways: [
        gw({ tcpServer: true }),
        gw({ name: "b", cluster: 1, tcpServer: true }),
      ],
    },
    "gateways[1].tcpServerPort",
    "8222",
  ],
  [
    "legacy with requestTimeout",
    { gateways: [gw({ legacyDriver: true, requestTimeout: 100 })] },
    "gateways[0].requestTimeout",
    "legacyDriver",
  ],
  [
    "legacy with idleTimeout",
    { gateways: [gw({ legacyDriver: true, idleTimeout: 0 })] },
    "gateways[0].idleTimeout",
    "legacyDriver",
  ],
  [
    "legacy with retry",
    { gateways: [gw({ legacyDriver: true, retry: 2 })] },
    "gateways[0].retry",
    "legacyDriver",
  ],
  [
    "legacy with address polling",
    {
      gateways: [
        gw({ legacyDriver: true, addresses: [{ name: "1", polling: 5000 }] }),
      ],
    },
    "gateways[0].addresses[0].polling",
    "legacyDriver",
  ],
  [
    "api off loopback without token",
    { api: { host: "0.0.0.0" }, gateways: [gw()] },
    "api.token",
    "0.0.0.0",
  ],
  [
    "short token",
    { api: { token: "abc" }, gateways: [gw()] },
    "api.token",
    "8 or more",
  ],
  [
    "unknown api key",
    { api: { tls: true }, gateways: [gw()] },
    "api.tls",
    "unknown key",
  ],
  [
    "bad retention",
    { history: { retentionDays: 0 }, gateways: [gw()] },
    "history.retentionDays",
    "1 to",
  ],
];

for (const [name, json, path, text] of BAD) {
  Deno.test(`parseConfig() rejects ${name} naming "${path}"`, () => {
    assert.throws(() => parseConfig(json), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.path, path);
      assert.equal(e.code, "INVALID_CONFIG");
      assert.ok(e.message.includes(text), `"${e.message}" lacks "${text}"`);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
}

Deno.test("parseConfig() never prints a meter key in an error", () => {
  assert.throws(
    () =>
      parseConfig({
        gateways: [gw({ addresses: [{ name: "1", key: "SECRETSECRET" }] })],
      }),
    (e: unknown) => e instanceof ConfigError && !e.message.includes("SECRET"),
  );
});

Deno.test("parseConfig() takes a DES key of 16 hex digits and refuses other lengths", () => {
  const c = parseConfig({
    gateways: [{
      name: "radio",
      type: "wireless",
      serialPort: "/dev/ttyUSB0",
      addresses: [{ name: "12345678", key: "0123456789abcdef" }],
    }],
  });
  assert.equal(c.gateways[0]?.addresses[0]?.key, "0123456789ABCDEF");
  assert.throws(
    () =>
      parseConfig({
        gateways: [{
          name: "radio",
          type: "wireless",
          serialPort: "/dev/ttyUSB0",
          addresses: [{ name: "12345678", key: "0123456789abcdef00" }],
        }],
      }),
    /DES key of 16/,
  );
});
