/**
 * The console's hash routes: `#/` instances, `#/i/NAME` an instance's meters, `#/i/NAME/TAB`,
 * `#/i/NAME/m/METER` a meter, `#/ports`, `#/tools` (`#/tools/HEX` with the analyzer's
 * input filled in), `#/monitor`. Pure (no DOM).
 *
 * @module
 */

/** A parsed route. */
export type Route =
  | { page: "instances" }
  | { page: "instance"; name: string; tab: string }
  | { page: "meter"; name: string; meter: string }
  | { page: "ports" }
  | { page: "tools"; hex?: string }
  | { page: "monitor" };

/**
 * Parses a location hash.
 *
 * @param hash `location.hash`.
 * @returns The route (instances when unknown).
 */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(
    decodeURIComponent,
  );
  if (parts[0] === "ports") return { page: "ports" };
  if (parts[0] === "tools") {
    return parts[1] ? { page: "tools", hex: parts[1] } : { page: "tools" };
  }
  if (parts[0] === "monitor") return { page: "monitor" };
  if (parts[0] === "i" && parts[1]) {
    if (parts[2] === "m" && parts[3]) {
      return { page: "meter", name: parts[1], meter: parts[3] };
    }
    return { page: "instance", name: parts[1], tab: parts[2] ?? "meters" };
  }
  return { page: "instances" };
}

/**
 * The href of a route.
 *
 * @param parts Path segments (encoded here).
 * @returns `#/a/b`.
 */
export function href(...parts: string[]): string {
  return "#/" + parts.map(encodeURIComponent).join("/");
}
