/**
 * What a configuration change means for a running instance: per-address settings can be
 * applied live ({@link Gateway.reconfigure}); instance-level keys (bus, timeouts, polling,
 * bridge, publication) need a restart.
 *
 * @module
 */
import type { AddressConfig, GatewayConfig } from "./keys.ts";

/** Instance keys that apply live (everything else but `addresses` needs a restart). */
const LIVE_INSTANCE_KEYS: ReadonlySet<string> = new Set([
  "name",
  "description",
  "addresses",
]);

/**
 * Whether an instance must restart to run `next` instead of `running`.
 *
 * @param running The configuration the instance runs with.
 * @param next The instance's configuration in the file.
 * @returns True when an instance-level key differs, or (wireless) a meter's `key` or
 *   `driver`, which the receiver's meter table takes at start only.
 */
export function needsRestart(
  running: GatewayConfig,
  next: GatewayConfig,
): boolean {
  const a = running as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (LIVE_INSTANCE_KEYS.has(k)) continue;
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return true;
  }
  return running.type === "wireless" &&
    decodingOf(running.addresses) !== decodingOf(next.addresses);
}

/** The `key`/`driver` settings of the meters that have one, in a comparable form. */
function decodingOf(addresses: readonly AddressConfig[]): string {
  return JSON.stringify(
    addresses
      .filter((a) => a.key !== undefined || a.driver !== undefined)
      .map((a) => [a.name, a.key ?? null, a.driver ?? null])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );
}
