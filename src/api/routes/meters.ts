/**
 * The meters of an instance with their identity, for the web console's list:
 * `GET /api/instances/:name/meters`. Each configured meter with its ID, manufacturer,
 * version, medium, primary and secondary address, last read and last error; on a wireless
 * instance also what the receiver heard (driver, RSSI, last heard), and the meters heard on
 * air that are not configured (`configured: false`).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { mediumName } from "../../app/mod.ts";
import { formatSecondaryAddress } from "../../master/mod.ts";
import type { ApiGateway } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { toJson } from "../json.ts";
import {
  errors,
  json,
  NameParams,
  READ_ERRORS,
  router,
  send,
  withExample,
} from "../route_kit.ts";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? v as Obj
    : {};
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function mediumCode(name: string | null): number | null {
  if (name === null) return null;
  for (let c = 0; c < 256; c++) if (mediumName(c) === name) return c;
  return null;
}

/**
 * The `%mbus…:` prefix of an instance's paths.
 *
 * @param gw The instance.
 * @returns `%mbus:` for cluster 0, else `%mbusN:`.
 */
export function pathPrefix(gw: ApiGateway): string {
  return gw.cluster ? `%mbus${gw.cluster}:` : "%mbus:";
}

function field(gw: ApiGateway, base: string, name: string): unknown {
  return obj(gw.get(`${base}/${name}`)).value;
}

/**
 * One row per configured meter, then one per meter heard but not configured.
 *
 * @param gw The instance.
 * @returns The rows.
 */
export function meterRows(gw: ApiGateway): Obj[] {
  const config = obj(gw.config);
  const wireless = config.type === "wireless";
  const entries = Array.isArray(config.addresses) ? config.addresses : [];
  const heard = new Map<string, Obj>();
  for (const h of gw.heard?.() ?? []) {
    const o = obj(h);
    if (typeof o.id === "string") heard.set(o.id.toUpperCase(), o);
  }
  const rows: Obj[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = String(obj(entry).name ?? entry);
    const base = `${pathPrefix(gw)}${name}`;
    const node = obj(gw.get(base));
    const meter = str(node.meter) ?? name.toUpperCase();
    const header = obj(node.header);
    const h = Object.keys(header).length > 0;
    const air = heard.get(meter.toUpperCase());
    seen.add(meter.toUpperCase());
    const id = str(h ? header.id : field(gw, base, "id")) ?? str(air?.id);
    const manufacturer =
      str(h ? header.manufacturer : field(gw, base, "manufacturer")) ??
        str(air?.manufacturer);
    const version = num(h ? header.version : field(gw, base, "version")) ??
      num(air?.version);
    const medName = str(
      h ? obj(header.medium).name : field(gw, base, "medium"),
    );
    const medium = (h ? num(obj(header.medium).code) : mediumCode(medName)) ??
      num(air?.medium);
    const secondary = /^[0-9A-F]{16}$/i.test(meter)
      ? meter.toUpperCase()
      : id && manufacturer && version !== null && medium !== null
      ? formatSecondaryAddress({ id, manufacturer, version, medium })
      : null;
    rows.push({
      name: meter,
      configured: true,
      description: str(node.description) ?? str(obj(entry).description) ?? "",
      primary: /^\d{1,3}$/.test(meter) ? Number(meter) : null,
      secondary: wireless ? null : secondary,
      id,
      manufacturer,
      version,
      medium,
      mediumName: medium === null ? medName : mediumName(medium),
      readAt: str(node.readAt),
      records: Array.isArray(node.records) ? node.records.length : 0,
      error: node.error ?? air?.error ?? null,
      ...(air ? heardFields(air) : {}),
    });
  }
  for (const [key, air] of heard) {
    if (seen.has(key)) continue;
    const medium = num(air.medium);
    rows.push({
      name: key,
      configured: false,
      description: "",
      primary: null,
      secondary: null,
      id: str(air.id),
      manufacturer: str(air.manufacturer),
      version: num(air.version),
      medium,
      mediumName: medium === null ? null : mediumName(medium),
      readAt: null,
      records: 0,
      error: air.error ?? null,
      ...heardFields(air),
    });
  }
  return rows;
}

function heardFields(air: Obj): Obj {
  const t = num(air.lastHeardAt);
  return {
    driver: str(air.driver),
    rssi: num(air.rssi),
    lastHeardAt: t === null ? str(air.lastHeardAt) : new Date(t).toISOString(),
    mode: str(air.mode),
    telegrams: num(air.telegrams) ?? 0,
    encrypted: air.encrypted === true,
  };
}

const MeterRow = z.object({
  name: z.string().openapi({ description: "Configured name (canonical)" }),
  configured: z.boolean().openapi({
    description: "False for a meter heard on air but not configured",
  }),
  description: z.string(),
  primary: z.int().nullable(),
  secondary: z.string().nullable().openapi({
    description: "16 hex digits in libmbus order, when known",
  }),
  id: z.string().nullable(),
  manufacturer: z.string().nullable(),
  version: z.int().nullable(),
  medium: z.int().nullable(),
  mediumName: z.string().nullable(),
  readAt: z.string().nullable(),
  records: z.int(),
  error: z.unknown(),
  driver: z.string().nullable().optional(),
  rssi: z.number().nullable().optional(),
  lastHeardAt: z.string().nullable().optional(),
  mode: z.string().nullable().optional(),
  telegrams: z.int().optional(),
  encrypted: z.boolean().optional(),
}).openapi("MeterIdentity");

const Meters = withExample(
  "Meters",
  z.object({
    instance: z.string(),
    type: z.string().openapi({ examples: ["tcp", "serial", "wireless"] }),
    meters: z.array(MeterRow),
  }).openapi("Meters"),
  {
    instance: "heat",
    type: "tcp",
    meters: [{
      name: "1",
      configured: true,
      description: "",
      primary: 1,
      secondary: "712345672D2C3504",
      id: "71234567",
      manufacturer: "KAM",
      version: 53,
      medium: 4,
      mediumName: "Heat: Outlet",
      readAt: "2026-01-15T10:30:00.000Z",
      records: 14,
      error: null,
    }],
  },
);

const list = createRoute({
  method: "get",
  path: "/api/instances/{name}/meters",
  operationId: "listMeters",
  summary: "The meters of an instance with their identity",
  description:
    "Configured meters with ID, manufacturer, version, medium, primary and secondary address, last read and last error; on a wireless instance also driver, RSSI and last heard, and the meters heard but not configured (`configured: false`).",
  request: { params: NameParams },
  responses: {
    200: json(Meters, "The meters"),
    ...errors(...READ_ERRORS),
  },
});

/**
 * The route of the meter list.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function meterRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  app.openapi(list, (c) => {
    const gw = instanceOrThrow(deps.backend, c.req.valid("param").name);
    return send(c, {
      instance: gw.name,
      type: String(obj(gw.config).type ?? "tcp"),
      meters: toJson(meterRows(gw)),
    });
  });
  return app;
}
