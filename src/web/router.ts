/**
 * Hash routes of the page: `#/` instances, `#/i/NAME` an instance's meters, `#/i/NAME/TAB`,
 * `#/i/NAME/m/METER` a meter, `#/ports`, `#/tools[/HEX]`, `#/monitor`.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { parseHash, type Route } from "./routes.ts";

export { href, parseHash, type Route } from "./routes.ts";

/**
 * The current route, following `hashchange`.
 *
 * @returns The route.
 */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}
