/**
 * What a configuration change means for a running instance: per-address settings can be
 * applied live ({@link Gateway.reconfigure}); instance-level keys (bus, timeouts, polling,
 * bridge, publication) need a restart.
 *
 * @module
 */
import type { GatewayConfig } from "./keys.ts";

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
 * @returns True when an instance-level key differs (meters' settings, wireless keys and
 *   drivers included, apply live).
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
  return false;
}
