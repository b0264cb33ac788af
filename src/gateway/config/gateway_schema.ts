/**
 * The schema of one gateway instance (`gateways[]`): its keys with defaults and limits, then
 * the rules between keys of the instance (device path by type, meter names by type and
 * unique, what the `legacyDriver` profile refuses).
 *
 * @module
 */
import { z } from "zod";
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
} from "../../master/mod.ts";
import { BAUD_RATES, DEFAULT_BAUD_RATE } from "../../transport/mod.ts";
import { METER_NAME_HELP, parseMeterName } from "../tree/meter_name.ts";
import {
  addressListSchema,
  type addressObjectSchema,
} from "./address_schema.ts";
import {
  allow,
  bool,
  FULL,
  int,
  MAX_BRIDGE_IDLE_MS,
  MAX_TIMEOUT_MS,
  ms,
  strict,
  text,
  withDefault,
} from "./schema_parts.ts";
import {
  emitSchema,
  instanceNameSchema,
  pollingSchema,
} from "./schema_values.ts";

/**
 * Keys the `legacyDriver` profile refuses (libmbus's own timing), with the defaults they
 * take otherwise. They are optional in the schema so that a key set by the user can be told
 * from a default.
 */
export const LEGACY_TIMING_DEFAULTS = {
  requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS,
  idleTimeout: DEFAULT_IDLE_TIMEOUT_MS,
  retry: DEFAULT_RETRY,
} as const;

const HOST = "a host name or IP address";

/** The keys of one instance as written, with their defaults. */
export const gatewayObjectSchema = strict({
  name: instanceNameSchema.describe(
    "Instance name, unique in the file: a letter, then up to 63 letters, digits, '_', '-', '.'; not 8 or 16 hex digits",
  ),
  cluster: int(0, 65535).default(0).describe(
    "Cluster number, unique in the file: paths %mbus<cluster>:…",
  ),
  description: text("a string").default("").describe("Free text"),
  type: z.enum(
    ["serial", "tcp", "wireless"],
    allow('"serial", "tcp" or "wireless"'),
  )
    .default("tcp").describe(
      "Bus: a serial port, a TCP converter, or a wireless receiver on a serial port",
    ),
  onlyValues: bool().default(true).describe(
    "Publish values only; false also publishes unit, quantity, function, storage, tariff, subunit, raw, header",
  ),
  emitOnlyChanges: withDefault(emitSchema, "changes").describe(
    '"changes" (or true), "cycle" (or false), or a period in ms: changes plus re-emission of the last value every period',
  ),
  serialPort: text("a device path", { max: 4096 }).default("").describe(
    'Serial device path; required for type "serial" and "wireless"',
  ),
  serialBaudRate: z.literal(
    BAUD_RATES,
    allow(`one of ${BAUD_RATES.join(", ")}`),
  ).default(DEFAULT_BAUD_RATE).describe("Serial line speed (Bd)"),
  host: text(HOST, { max: 253 }).default("192.168.1.1").describe(
    'TCP converter host (type "tcp")',
  ),
  port: int(1, 65535).default(10001).describe("TCP converter port"),
  polling: withDefault(pollingSchema, 1000).describe(
    'Polling: ms, or cron expressions (5 or 6 fields) joined by ";", e.g. "0 * * * * ; 30 12 * * 6-7"',
  ),
  requestTimeout: ms(1, MAX_TIMEOUT_MS).optional().meta({
    default: LEGACY_TIMING_DEFAULTS.requestTimeout,
    description: "Answer timeout of a request, ms",
  }),
  idleTimeout: ms(0, MAX_TIMEOUT_MS).optional().meta({
    default: LEGACY_TIMING_DEFAULTS.idleTimeout,
    description: "Pause between two requests, ms",
  }),
  retry: int(0, 9).optional().meta({
    default: LEGACY_TIMING_DEFAULTS.retry,
    description: "Repeats after a timeout or a bad answer",
  }),
  applyUnitFactor: bool().default(true).describe(
    "Apply the VIF's 10^n factor to values",
  ),
  legacyDriver: bool().default(false).describe(
    "libmbus profile: libmbus's timing, retries, request sequence and record names; refuses requestTimeout, idleTimeout, retry and per-address polling",
  ),
  tcpServer: bool().default(false).describe(
    "TCP bridge for third-party masters on tcpServerHost:tcpServerPort; polling pauses while a client has the bus",
  ),
  tcpServerPort: int(1, 65535).default(8222).describe(
    "Bridge port, unique among the file's listeners (api.port, other bridges)",
  ),
  tcpServerHost: text(HOST, { max: 253 }).default("127.0.0.1").describe(
    "Bridge listen address; anything but loopback opens the bus to the network",
  ),
  tcpServerIdleTimeout: ms(100, MAX_BRIDGE_IDLE_MS).default(60_000).describe(
    "A bridge client silent this long gives the bus back to polling, ms",
  ),
  addresses: withDefault(addressListSchema, []).describe(
    'The meters; a bare number or string is short for { "name": … }',
  ),
}, "a gateway instance object");

type GatewayObject = z.output<typeof gatewayObjectSchema>;
type AddressObject = z.output<typeof addressObjectSchema>;

/** One meter of an instance, as the runtime receives it (every default filled). */
export type AddressConfig = Omit<AddressObject, "name"> & {
  /** Normalised meter name. */
  name: string;
};

/** One gateway instance, as the runtime receives it (every default filled). */
export type GatewayConfig =
  & Omit<GatewayObject, keyof typeof LEGACY_TIMING_DEFAULTS | "addresses">
  & {
    /** Answer timeout of a request, ms. */
    requestTimeout: number;
    /** Pause between two requests, ms. */
    idleTimeout: number;
    /** Repeats after a timeout or a bad answer. */
    retry: number;
    /** The meters. */
    addresses: AddressConfig[];
  };

type Ctx = z.core.$RefinementCtx<GatewayObject>;

function problem(
  ctx: Ctx,
  path: (string | number)[],
  message: string,
  value?: unknown,
): void {
  ctx.addIssue({
    code: "custom",
    path,
    message,
    ...(value === undefined ? {} : { params: { value } }),
  });
}

function whole(ctx: Ctx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: "custom", path, message, params: FULL });
}

function meterName(
  ctx: Ctx,
  raw: string | number,
  type: string,
  i: number,
): string {
  const text = String(raw);
  if (type === "wireless") {
    if (typeof raw === "string" && /^[0-9A-Fa-f]{8}$/.test(raw)) {
      return raw.toUpperCase();
    }
    problem(
      ctx,
      ["addresses", i, "name"],
      "a wireless meter ID of 8 hex digits",
      raw,
    );
    return text;
  }
  const parsed = parseMeterName(text);
  if (!parsed) problem(ctx, ["addresses", i, "name"], METER_NAME_HELP, raw);
  return parsed?.text ?? text;
}

function resolve(g: GatewayObject, ctx: Ctx): GatewayConfig {
  const { type } = g;
  if ((type === "serial" || type === "wireless") && g.serialPort === "") {
    problem(ctx, ["serialPort"], `a device path (required for type "${type}")`);
  }
  if (g.tcpServer && g.tcpServerHost === "") {
    problem(ctx, ["tcpServerHost"], HOST);
  }
  if (type === "tcp" && g.host === "") problem(ctx, ["host"], HOST);
  const seen = new Map<string, number>();
  const addresses = g.addresses.map((a, i): AddressConfig => {
    const name = meterName(ctx, a.name, type, i);
    const first = seen.get(name);
    if (first !== undefined) {
      problem(
        ctx,
        ["addresses", i, "name"],
        `a meter not already listed (addresses[${first}] has it)`,
        name,
      );
    }
    seen.set(name, i);
    return { ...a, name };
  });
  if (g.legacyDriver) {
    for (const key of Object.keys(LEGACY_TIMING_DEFAULTS)) {
      if (g[key as keyof typeof LEGACY_TIMING_DEFAULTS] !== undefined) {
        whole(
          ctx,
          [key],
          `the legacyDriver profile uses libmbus's own timing and retries; remove "${key}" or set legacyDriver to false`,
        );
      }
    }
    if (type === "wireless") {
      problem(ctx, ["legacyDriver"], "false for wireless instances");
    }
    for (const [i, a] of addresses.entries()) {
      if (a.polling !== undefined) {
        whole(
          ctx,
          ["addresses", i, "polling"],
          `the legacyDriver profile polls every meter on the instance's schedule; remove the per-address "polling" or set legacyDriver to false`,
        );
      }
    }
  }
  return {
    ...g,
    requestTimeout: g.requestTimeout ?? LEGACY_TIMING_DEFAULTS.requestTimeout,
    idleTimeout: g.idleTimeout ?? LEGACY_TIMING_DEFAULTS.idleTimeout,
    retry: g.retry ?? LEGACY_TIMING_DEFAULTS.retry,
    addresses,
  };
}

/** One instance: its keys, then the rules between them; the result is fully resolved. */
export const gatewaySchema = gatewayObjectSchema.transform(resolve);
