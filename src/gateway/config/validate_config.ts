/**
 * Validation of the configuration file: fills defaults, rejects unknown keys and bad values
 * with a {@link ConfigError} whose `path` names the key (e.g. `gateways[0].addresses[3].polling`)
 * and whose message names the bad value and what is allowed.
 *
 * @module
 */
import { ConfigError } from "../../util/mod.ts";
import { BAUD_RATES } from "../../transport/mod.ts";
import { METER_NAME_HELP, parseMeterName } from "../tree/meter_name.ts";
import { parseSchedule } from "../polling/ticks.ts";
import {
  asObject,
  bad,
  bool,
  checkKeys,
  int,
  type JsonObject,
  num,
  str,
} from "./_check.ts";
import {
  ADDRESS_DEFAULTS,
  type AddressConfig,
  API_DEFAULTS,
  type ApiConfig,
  type AppConfig,
  type EmitMode,
  GATEWAY_DEFAULTS,
  type GatewayConfig,
  HISTORY_DEFAULTS,
  type HistoryConfig,
  LEGACY_REFUSED_KEYS,
  type LogMode,
} from "./keys.ts";

const TOP_KEYS = ["api", "history", "gateways"] as const;
const API_KEYS = ["host", "port", "token"] as const;
const HISTORY_KEYS = ["path", "retentionDays"] as const;
const GATEWAY_KEYS = [
  "name",
  ...Object.keys(GATEWAY_DEFAULTS),
  "addresses",
] as const;
const ADDRESS_KEYS = [
  "name",
  "description",
  "scale",
  "offset",
  "polling",
  "maxFrames",
  "maxRecords",
  "skipLoops",
  "log",
  "key",
  "driver",
] as const;
const INSTANCE_NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const WIRELESS_ID_RE = /^[0-9A-Fa-f]{8}$/;
const KEY_RE = /^[0-9A-Fa-f]{32}$/;
const LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]"];

/**
 * Validates a parsed JSON configuration and fills in every default.
 *
 * @param json The parsed file.
 * @returns The complete configuration.
 * @throws {ConfigError} naming the key path, the bad value and what is allowed.
 * @example
 * ```ts
 * const config = parseConfig({ gateways: [{ name: "heat", host: "10.0.0.5", addresses: [{ name: "1" }] }] });
 * config.gateways[0]?.polling; // 1000
 * ```
 */
export function parseConfig(json: unknown): AppConfig {
  const top = asObject(json, "(top level)");
  checkKeys(top, "(top level)", TOP_KEYS);
  const api = parseApi(top.api);
  const history = parseHistory(top.history);
  if (!Array.isArray(top.gateways) || top.gateways.length === 0) {
    bad("gateways", top.gateways, "a non-empty array of gateway instances");
  }
  const gateways = top.gateways.map((g: unknown, i: number) =>
    parseGateway(g, `gateways[${i}]`)
  );
  checkUnique(gateways);
  return { api, history, gateways };
}

function parseApi(v: unknown): ApiConfig {
  if (v === undefined) return { ...API_DEFAULTS };
  const o = asObject(v, "api");
  checkKeys(o, "api", API_KEYS);
  const host = str(o, "host", "api", API_DEFAULTS.host);
  if (host === "") bad("api.host", host, "a host name or IP address");
  const port = int(o, "port", "api", {
    min: 0,
    max: 65535,
    fallback: API_DEFAULTS.port,
  });
  const out: ApiConfig = { host, port };
  if (o.token !== undefined) {
    const token = str(o, "token", "api", "");
    if (token.length < 8) {
      bad("api.token", token, "a string of 8 or more characters");
    }
    out.token = token;
  }
  if (!LOOPBACK.includes(host) && out.token === undefined) {
    throw new ConfigError(
      "api.token",
      `Invalid config at "api.token": a token is required when the API listens on "${host}" (not loopback)`,
    );
  }
  return out;
}

function parseHistory(v: unknown): HistoryConfig {
  if (v === undefined) return { ...HISTORY_DEFAULTS };
  const o = asObject(v, "history");
  checkKeys(o, "history", HISTORY_KEYS);
  const path = str(o, "path", "history", HISTORY_DEFAULTS.path);
  if (path === "") bad("history.path", path, 'a file path or ":memory:"');
  const retentionDays = int(o, "retentionDays", "history", {
    min: 1,
    max: 36500,
    fallback: HISTORY_DEFAULTS.retentionDays,
  });
  return { path, retentionDays };
}

function parseGateway(v: unknown, path: string): GatewayConfig {
  const o = asObject(v, path);
  checkKeys(o, path, GATEWAY_KEYS);
  const name = str(o, "name", path, "");
  if (
    !INSTANCE_NAME_RE.test(name) ||
    /^[0-9A-Fa-f]{8}([0-9A-Fa-f]{8})?$/.test(name)
  ) {
    bad(
      `${path}.name`,
      o.name,
      "a letter followed by up to 63 letters, digits, '_', '-' or '.', not an 8- or 16-hex-digit meter address",
    );
  }
  const d = GATEWAY_DEFAULTS;
  const type = str(o, "type", path, d.type);
  if (type !== "serial" && type !== "tcp" && type !== "wireless") {
    bad(`${path}.type`, type, '"serial", "tcp" or "wireless"');
  }
  const g: GatewayConfig = {
    name,
    cluster: int(o, "cluster", path, {
      min: 0,
      max: 65535,
      fallback: d.cluster,
    }),
    description: str(o, "description", path, d.description),
    type,
    onlyValues: bool(o, "onlyValues", path, d.onlyValues),
    emitOnlyChanges: parseEmit(o.emitOnlyChanges, `${path}.emitOnlyChanges`),
    serialPort: str(o, "serialPort", path, d.serialPort),
    serialBaudRate: d.serialBaudRate,
    host: str(o, "host", path, d.host),
    port: int(o, "port", path, { min: 1, max: 65535, fallback: d.port }),
    polling: parsePolling(o.polling, `${path}.polling`) ?? d.polling,
    requestTimeout: int(o, "requestTimeout", path, {
      min: 1,
      max: 600_000,
      fallback: d.requestTimeout,
    }),
    idleTimeout: int(o, "idleTimeout", path, {
      min: 0,
      max: 600_000,
      fallback: d.idleTimeout,
    }),
    retry: int(o, "retry", path, { min: 0, max: 9, fallback: d.retry }),
    applyUnitFactor: bool(o, "applyUnitFactor", path, d.applyUnitFactor),
    legacyDriver: bool(o, "legacyDriver", path, d.legacyDriver),
    tcpServer: bool(o, "tcpServer", path, d.tcpServer),
    tcpServerPort: int(o, "tcpServerPort", path, {
      min: 1,
      max: 65535,
      fallback: d.tcpServerPort,
    }),
    tcpServerHost: str(o, "tcpServerHost", path, d.tcpServerHost),
    tcpServerIdleTimeout: int(o, "tcpServerIdleTimeout", path, {
      min: 100,
      max: 86_400_000,
      fallback: d.tcpServerIdleTimeout,
    }),
    addresses: [],
  };
  const baud = o.serialBaudRate ?? d.serialBaudRate;
  if (!(BAUD_RATES as readonly unknown[]).includes(baud)) {
    bad(`${path}.serialBaudRate`, baud, `one of ${BAUD_RATES.join(", ")}`);
  }
  g.serialBaudRate = baud as number;
  if ((type === "serial" || type === "wireless") && g.serialPort === "") {
    bad(
      `${path}.serialPort`,
      o.serialPort,
      `a device path (required for type "${type}")`,
    );
  }
  if (g.tcpServer && g.tcpServerHost === "") {
    bad(`${path}.tcpServerHost`, o.tcpServerHost, "a host name or IP address");
  }
  if (type === "tcp" && g.host === "") {
    bad(`${path}.host`, g.host, "a host name or IP address");
  }
  if (o.addresses !== undefined && !Array.isArray(o.addresses)) {
    bad(`${path}.addresses`, o.addresses, "an array of addresses");
  }
  const list: unknown[] = Array.isArray(o.addresses) ? o.addresses : [];
  g.addresses = list.map((a, i) =>
    parseAddress(a, `${path}.addresses[${i}]`, type)
  );
  const seen = new Map<string, number>();
  for (const [i, a] of g.addresses.entries()) {
    const first = seen.get(a.name);
    if (first !== undefined) {
      bad(
        `${path}.addresses[${i}].name`,
        a.name,
        `a meter not already listed (addresses[${first}] has it)`,
      );
    }
    seen.set(a.name, i);
  }
  if (g.legacyDriver) checkLegacy(o, g, path);
  return g;
}

function checkLegacy(o: JsonObject, g: GatewayConfig, path: string): void {
  for (const key of LEGACY_REFUSED_KEYS) {
    if (o[key] !== undefined) {
      throw new ConfigError(
        `${path}.${key}`,
        `Invalid config at "${path}.${key}": the legacyDriver profile uses libmbus's own timing and retries; remove "${key}" or set legacyDriver to false`,
      );
    }
  }
  if (g.type === "wireless") {
    bad(`${path}.legacyDriver`, true, "false for wireless instances");
  }
  for (const [i, a] of g.addresses.entries()) {
    if (a.polling !== undefined) {
      throw new ConfigError(
        `${path}.addresses[${i}].polling`,
        `Invalid config at "${path}.addresses[${i}].polling": the legacyDriver profile polls every meter on the instance's schedule; remove the per-address "polling" or set legacyDriver to false`,
      );
    }
  }
}

function parseAddress(v: unknown, path: string, type: string): AddressConfig {
  const o = asObject(
    typeof v === "number" || typeof v === "string" ? { name: v } : v,
    path,
  );
  checkKeys(o, path, ADDRESS_KEYS);
  const raw = typeof o.name === "number" ? String(o.name) : o.name;
  let name: string;
  if (type === "wireless") {
    if (typeof raw !== "string" || !WIRELESS_ID_RE.test(raw)) {
      bad(`${path}.name`, o.name, "a wireless meter ID of 8 hex digits");
    }
    name = raw.toUpperCase();
  } else {
    const parsed = typeof raw === "string" ? parseMeterName(raw) : undefined;
    if (!parsed) bad(`${path}.name`, o.name, METER_NAME_HELP);
    name = parsed.text;
  }
  const d = ADDRESS_DEFAULTS;
  const a: AddressConfig = {
    name,
    description: str(o, "description", path, d.description),
    scale: num(o, "scale", path, d.scale),
    offset: num(o, "offset", path, d.offset),
    maxFrames: int(o, "maxFrames", path, {
      min: 1,
      max: 255,
      fallback: d.maxFrames,
    }),
    maxRecords: int(o, "maxRecords", path, {
      min: 1,
      max: 100_000,
      fallback: d.maxRecords,
    }),
    skipLoops: int(o, "skipLoops", path, {
      min: 0,
      max: 1_000_000,
      fallback: d.skipLoops,
    }),
    log: parseLog(o.log, `${path}.log`),
  };
  const polling = parsePolling(o.polling, `${path}.polling`);
  if (polling !== undefined) a.polling = polling;
  if (o.key !== undefined) {
    if (typeof o.key !== "string" || !KEY_RE.test(o.key)) {
      bad(`${path}.key`, "(redacted)", "an AES-128 key of 32 hex digits");
    }
    a.key = o.key.toUpperCase();
  }
  if (o.driver !== undefined) a.driver = str(o, "driver", path, "");
  return a;
}

function parsePolling(v: unknown, path: string): string | number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" && typeof v !== "string") {
    bad(path, v, "milliseconds or cron expressions joined by ';'");
  }
  const r = parseSchedule(v);
  if (!r.ok) {
    throw new ConfigError(
      path,
      `Invalid config at "${path}": ${
        JSON.stringify(v)
      } is not allowed: ${r.error.message}; expected milliseconds (1 or more) or cron expressions joined by ';'`,
    );
  }
  return typeof v === "string" && r.value.kind === "interval"
    ? r.value.intervalMs
    : v;
}

function parseEmit(v: unknown, path: string): EmitMode {
  if (v === undefined || v === true || v === "changes") return "changes";
  if (v === false || v === "cycle") return "cycle";
  if (typeof v === "number" && Number.isInteger(v) && v >= 1) return v;
  return bad(
    path,
    v,
    '"changes" (or true), "cycle" (or false) or a re-emission period in ms (integer ≥ 1)',
  );
}

function parseLog(v: unknown, path: string): LogMode {
  if (v === undefined) return ADDRESS_DEFAULTS.log;
  if (v === "never" || v === "update" || v === "always") return v;
  if (typeof v === "number" && Number.isInteger(v) && v >= 1) return v;
  return bad(
    path,
    v,
    '"never", "update", "always" or a period in ms (integer ≥ 1)',
  );
}

function checkUnique(gateways: GatewayConfig[]): void {
  const names = new Map<string, number>();
  const clusters = new Map<number, number>();
  const bridges = new Map<number, number>();
  for (const [i, g] of gateways.entries()) {
    const n = names.get(g.name);
    if (n !== undefined) {
      bad(`gateways[${i}].name`, g.name, `a name not used by gateways[${n}]`);
    }
    names.set(g.name, i);
    const c = clusters.get(g.cluster);
    if (c !== undefined) {
      bad(
        `gateways[${i}].cluster`,
        g.cluster,
        `a cluster number not used by gateways[${c}] ("${gateways[c]?.name}")`,
      );
    }
    clusters.set(g.cluster, i);
    if (g.tcpServer) {
      const b = bridges.get(g.tcpServerPort);
      if (b !== undefined) {
        bad(
          `gateways[${i}].tcpServerPort`,
          g.tcpServerPort,
          `a port not used by gateways[${b}]`,
        );
      }
      bridges.set(g.tcpServerPort, i);
    }
  }
}
