import assert from "node:assert/strict";
import { ConfigError } from "../../src/util/mod.ts";
import {
  ADDRESS_DEFAULTS,
  API_DEFAULTS,
  configJsonSchema,
  GATEWAY_DEFAULTS,
  HISTORY_DEFAULTS,
  parseConfig,
} from "../../src/gateway/mod.ts";
import {
  DEFAULT_MAX_FRAMES,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "../../src/master/mod.ts";

function gw(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "heat",
    host: "10.0.0.5",
    addresses: [{ name: "1" }],
    ...extra,
  };
}

function rejects(json: unknown, path: string, ...texts: string[]): void {
  assert.throws(() => parseConfig(json), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.path, path, e.message);
    for (const t of texts) {
      assert.ok(e.message.includes(t), `"${e.message}" lacks "${t}"`);
    }
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

Deno.test("parseConfig() refuses a bridge port equal to api.port, naming both keys", () => {
  rejects(
    { api: { port: 8222 }, gateways: [gw({ tcpServer: true })] },
    "gateways[0].tcpServerPort",
    "8222",
    '"api.port"',
  );
  rejects(
    {
      api: { port: 9000 },
      gateways: [gw({ tcpServer: true, tcpServerPort: 9000 })],
    },
    "gateways[0].tcpServerPort",
    '"api.port"',
  );
  // A bridge that is off does not listen; api.port 0 picks a free port.
  parseConfig({ api: { port: 8222 }, gateways: [gw()] });
  parseConfig({
    api: { port: 0 },
    gateways: [gw({ tcpServer: true, tcpServerPort: 1 })],
  });
});

Deno.test("parseConfig() names the other bridge's key when two bridge ports clash", () => {
  rejects(
    {
      gateways: [
        gw({ tcpServer: true, tcpServerPort: 9100 }),
        gw({ name: "b", cluster: 1, tcpServer: true, tcpServerPort: 9100 }),
      ],
    },
    "gateways[1].tcpServerPort",
    "9100",
    "gateways[0].tcpServerPort",
  );
});

Deno.test("parseConfig() names the upper bound of durations and periods", () => {
  const c = parseConfig({
    gateways: [gw({
      emitOnlyChanges: 3_000_000_000,
      addresses: [{ name: "1", log: 31_536_000_000 }],
    })],
  });
  assert.equal(c.gateways[0]?.emitOnlyChanges, 3_000_000_000);
  assert.equal(c.gateways[0]?.addresses[0]?.log, 31_536_000_000);
  rejects(
    { gateways: [gw({ emitOnlyChanges: 31_536_000_001 })] },
    "gateways[0].emitOnlyChanges",
    "31536000000",
    "365 days",
  );
  rejects(
    { gateways: [gw({ addresses: [{ name: "1", log: 1e12 }] })] },
    "gateways[0].addresses[0].log",
    "31536000000",
  );
  rejects(
    { gateways: [gw({ requestTimeout: 600_001 })] },
    "gateways[0].requestTimeout",
    "600000",
    "10 min",
  );
  rejects(
    { gateways: [gw({ tcpServerIdleTimeout: 86_400_001 })] },
    "gateways[0].tcpServerIdleTimeout",
    "86400000",
    "1 day",
  );
  rejects(
    { gateways: [gw({ polling: 2_147_483_648 })] },
    "gateways[0].polling",
    "2147483647",
  );
  rejects(
    { history: { retentionDays: 36_501 }, gateways: [gw()] },
    "history.retentionDays",
    "36500",
  );
});

Deno.test("parseConfig() takes api.allowedHosts as a list of host names, absent by default", () => {
  assert.equal(parseConfig({ gateways: [gw()] }).api.allowedHosts, undefined);
  const c = parseConfig({
    api: { allowedHosts: ["gateway.local", "plant-7"] },
    gateways: [gw()],
  });
  assert.deepEqual(c.api.allowedHosts, ["gateway.local", "plant-7"]);
  rejects(
    { api: { allowedHosts: ["ok", ""] }, gateways: [gw()] },
    "api.allowedHosts[1]",
    "host name",
  );
  rejects(
    { api: { allowedHosts: "gateway.local" }, gateways: [gw()] },
    "api.allowedHosts",
    "array",
  );
});

Deno.test("parseConfig() never prints the API token in an error", () => {
  assert.throws(
    () => parseConfig({ api: { token: "SECRET" }, gateways: [gw()] }),
    (e: unknown) => e instanceof ConfigError && !e.message.includes("SECRET"),
  );
});

Deno.test("parseConfig() shows the bad value of a bare address entry and of an unknown kind of entry", () => {
  rejects(
    { gateways: [gw({ addresses: [300] })] },
    "gateways[0].addresses[0].name",
    "300",
    "0..250",
  );
  rejects(
    { gateways: [gw({ addresses: [null] })] },
    "gateways[0].addresses[0]",
    "null",
    "address object",
  );
});

Deno.test("the exported defaults are the schema's, and the master's constants feed it", () => {
  const c = parseConfig({
    gateways: [{ name: "heat", addresses: [{ name: "1" }] }],
  });
  const g = c.gateways[0];
  assert.ok(g);
  const { name: _n, addresses: _a, ...rest } = g;
  assert.deepEqual(rest, GATEWAY_DEFAULTS);
  const { name: _m, ...address } = g.addresses[0] ?? {};
  assert.deepEqual(address, ADDRESS_DEFAULTS);
  assert.deepEqual(c.api, API_DEFAULTS);
  assert.deepEqual(c.history, HISTORY_DEFAULTS);
  assert.equal(GATEWAY_DEFAULTS.requestTimeout, DEFAULT_REQUEST_TIMEOUT_MS);
  assert.equal(ADDRESS_DEFAULTS.maxFrames, DEFAULT_MAX_FRAMES);
});

type Schema = {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema | { anyOf: Schema[] };
  anyOf?: Schema[];
  default?: unknown;
};

function objectsOf(s: Schema, path: string, out: [string, Schema][]): void {
  if (s.properties) out.push([path, s]);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    objectsOf(v, `${path}.${k}`, out);
  }
  const items = s.items as Schema | undefined;
  if (items) objectsOf(items, `${path}[]`, out);
  for (const [i, v] of (s.anyOf ?? []).entries()) {
    objectsOf(v, `${path}|${i}`, out);
  }
}

Deno.test("configJsonSchema(): every key is described, unknown keys are refused, defaults are given", () => {
  const schema = configJsonSchema() as Schema & { $schema?: string };
  assert.match(String(schema.$schema), /json-schema\.org/);
  const objects: [string, Schema][] = [];
  objectsOf(schema, "", objects);
  const paths = objects.map(([p]) => p);
  for (const want of [".api", ".history", ".gateways[]"]) {
    assert.ok(paths.includes(want), `${want} in ${paths.join(" ")}`);
  }
  let keys = 0;
  for (const [path, obj] of objects) {
    assert.equal(obj.additionalProperties, false, path);
    for (const [k, v] of Object.entries(obj.properties ?? {})) {
      assert.ok(v.description, `${path}.${k} has a description`);
      keys++;
    }
  }
  assert.ok(keys >= 40, `${keys} keys`);
  const g = schema.properties?.gateways?.items as Schema;
  assert.equal(g.properties?.requestTimeout?.default, 5000);
  assert.equal(g.properties?.polling?.default, 1000);
  assert.equal(g.properties?.tcpServerPort?.default, 8222);
});

Deno.test("parseConfig() names the instance of a bad key, in one line", () => {
  rejects(
    { gateways: [gw({ name: "boiler", port: 0 })] },
    "gateways[0].port",
    '(instance "boiler")',
  );
  rejects(
    { gateways: [gw({ name: "a\nb", port: 0 })] },
    "gateways[0].name",
  );
  rejects(
    { gateways: [gw(), gw({ name: "b", cluster: 1, retry: 99 })] },
    "gateways[1].retry",
    '(instance "b")',
    "0 to 9",
  );
});
