/**
 * The log lines of a bus's link: one when it goes offline (with the reason and the next
 * attempt), one when it is back, and nothing for the retries in between. Covers every kind
 * of bus alike: a port or dongle that cannot be opened, a TCP converter that refuses or
 * drops the connection (which reconnects inside its transport). A link that flaps (a
 * converter that accepts and closes at once) repeats the same reason at most once a
 * minute, and the next line says how many spells went unlogged meanwhile.
 *
 * @module
 */
import type { LinkListener } from "../../transport/mod.ts";
import type { Clock } from "../../util/mod.ts";

/** The same reason is logged again only after this long, ms. */
export const LINK_LOG_REPEAT_MS = 60_000;

/**
 * A link listener that logs the changes between offline and online.
 *
 * @param label Names the bus, e.g. `instance "heating" (tcp 192.168.1.50:10001)`.
 * @param log Takes one line.
 * @param clock Time source (the next attempt's delay, the repeat window).
 * @returns The listener (for `onLinkChange`).
 */
export function linkLogger(
  label: string,
  log: (line: string) => void,
  clock: Clock,
): LinkListener {
  let offline = false;
  let logged = false; // the current offline spell was logged
  let lastReason: string | null = null;
  let lastAt = -Infinity;
  let quiet = 0; // offline spells not logged since the last line
  const more = () => quiet === 0 ? "" : ` (${quiet} more not logged)`;
  return (s) => {
    if (s.state === "offline" && !offline) {
      offline = true;
      const now = clock.now();
      if (s.reason === lastReason && now - lastAt < LINK_LOG_REPEAT_MS) {
        logged = false;
        quiet++;
        return;
      }
      const next = s.nextAttemptAt === null
        ? ""
        : `; next attempt in ${
          Math.max(0, Math.ceil(s.nextAttemptAt - now))
        } ms, then every second or less`;
      log(
        `${label}: offline: ${s.reason ?? "no reason given"}${next}${more()}`,
      );
      logged = true;
      quiet = 0;
      lastReason = s.reason;
      lastAt = now;
    } else if (s.state === "online" && offline) {
      offline = false;
      if (logged) log(`${label}: online again`);
    }
  };
}
