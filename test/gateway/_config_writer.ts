// deno-lint-ignore-file no-console
/**
 * Child process of the kill test: rewrites the config file through ConfigStore forever,
 * printing the generation after each write, until it is killed.
 *
 * @module
 */
import { ConfigStore } from "../../src/gateway/mod.ts";

const path = Deno.args[0] ?? "";
const store = await ConfigStore.open(path);
for (let n = 1;; n++) {
  await store.update((raw) => {
    const gws = raw.gateways as Record<string, unknown>[];
    const g = gws[0] ?? {};
    g.description = `generation ${n} ${"x".repeat(1000 + (n % 50) * 60)}`;
  });
  console.log(n);
}
