/**
 * Schemas the routes share: meter addresses in bodies, instances and scan jobs in answers.
 * Shapes the gateway owns (readings, metrics, configs) are open objects, documented by
 * their description.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { allow, withExample } from "./route_kit.ts";

const ADDRESS_TEXT =
  "a primary address (0..250) or a secondary address (8-digit ID or 16 hex digits)";

/** A meter address in a body: a primary address as a number, or any address as text. */
export const AddressField = z.union([
  z.int(allow(ADDRESS_TEXT)).min(0, allow(ADDRESS_TEXT)).max(
    250,
    allow(ADDRESS_TEXT),
  ),
  z.string(allow(ADDRESS_TEXT)).trim().min(1, allow(ADDRESS_TEXT)).max(
    64,
    allow(ADDRESS_TEXT),
  ),
], allow(ADDRESS_TEXT)).transform(String).openapi({
  description:
    "Primary address 0..250, 8-digit ID or 16-hex-digit secondary address",
  example: 5,
});

/** `confirm` of a command that changes a meter; checked by the handler (CONFIRMATION_REQUIRED). */
export const ConfirmField = z.boolean(allow("true or false")).optional()
  .openapi({
    description:
      "Must be true: the command changes the meter (else 400 CONFIRMATION_REQUIRED)",
  });

/** Any JSON object whose shape the gateway owns. */
export const Open = z.record(z.string(), z.unknown());

/** An instance in the list. */
export const InstanceSummary = withExample(
  "InstanceSummary",
  z.object({
    name: z.string(),
    cluster: z.int().optional().openapi({
      description: "Cluster number of `%mbus<cluster>:` paths",
    }),
    state: z.string().openapi({
      examples: [
        "idle",
        "polling",
        "scanning",
        "bridged",
        "stopped",
        "offline",
      ],
    }),
    href: z.string().openapi({ description: "URL of the instance" }),
  }).openapi("InstanceSummary"),
  { name: "heat", cluster: 0, state: "idle", href: "/api/instances/heat" },
);

/** A scan job. */
export const ScanJob = withExample(
  "ScanJob",
  z.object({
    id: z.string(),
    instance: z.string(),
    kind: z.enum(["primary", "secondary", "wireless"]),
    status: z.enum(["running", "done", "cancelled", "failed"]),
    progress: z.unknown().openapi({
      description: "Shape owned by the gateway",
    }),
    result: z.unknown().openapi({ description: "Shape owned by the gateway" }),
    error: z.unknown().openapi({ description: "Shape owned by the gateway" }),
  }).openapi("ScanJob"),
  {
    id: "1",
    instance: "heat",
    kind: "primary",
    status: "running",
    progress: { done: 5, total: 21 },
    result: null,
    error: null,
  },
);

/** One instance with its configuration, metrics, bridge and scans. */
export const Instance = z.object({
  name: z.string(),
  cluster: z.int().optional(),
  state: z.string().openapi({
    examples: ["idle", "polling", "scanning", "bridged", "stopped", "offline"],
  }),
  href: z.string(),
  config: Open.openapi({
    description: "Instance config; `key` fields replaced by `hasKey`",
  }),
  metrics: Open.openapi({ description: "Counters, as in /metrics" }),
  bridge: Open.nullable().openapi({
    description:
      "TCP bridge: listening address, connected client (address, since, bytes each way, holdsBus), sessions, refused, byte totals; null when tcpServer is off",
  }),
  link: Open.nullable().optional().openapi({
    description:
      "Connection to the bus: state (connecting, online, offline), reason, nextAttemptAt (ms since epoch), since, connects, disconnects, attempts, offlineMs; null when the source does not track it",
  }),
  scans: z.array(ScanJob),
}).openapi("Instance");

/** What an answer says about restarting after a config change. */
export const RestartRequired = z.union([z.boolean(), z.array(z.string())])
  .openapi({
    description:
      "false when applied live; else the instances that need a restart (true when the gateway does not say)",
  });
