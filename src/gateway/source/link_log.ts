/**
 * The log lines of a bus's link: one when it goes offline (with the reason and the next
 * attempt), one when it is back, and nothing for the retries in between. Covers every kind
 * of bus alike: a port or dongle that cannot be opened, a TCP converter that refuses or
 * drops the connection (which reconnects inside its transport).
 *
 * @module
 */
import type { LinkListener } from "../../transport/mod.ts";
import type { Clock } from "../../util/mod.ts";

/**
 * A link listener that logs the changes between offline and online.
 *
 * @param label Names the bus, e.g. `instance "heating" (tcp 192.168.1.50:10001)`.
 * @param log Takes one line.
 * @param clock Time source (for the next attempt's delay).
 * @returns The listener (for `onLinkChange`).
 */
export function linkLogger(
  label: string,
  log: (line: string) => void,
  clock: Clock,
): LinkListener {
  let offline = false;
  return (s) => {
    if (s.state === "offline" && !offline) {
      offline = true;
      const next = s.nextAttemptAt === null
        ? ""
        : `; next attempt in ${
          Math.max(0, Math.ceil(s.nextAttemptAt - clock.now()))
        } ms, then every second or less`;
      log(`${label}: offline: ${s.reason ?? "no reason given"}${next}`);
    } else if (s.state === "online" && offline) {
      offline = false;
      log(`${label}: online again`);
    }
  };
}
