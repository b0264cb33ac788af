// deno-lint-ignore-file no-console
/**
 * `deno task bench`: every benchmark of the project, one section after the other, with
 * figures and ratios to their targets. Sections can be picked by name:
 * `deno task bench decode scan`.
 *
 * @module
 */
import { benchApi } from "./bench_api.ts";
import { benchDecode } from "./bench_decode.ts";
import { benchGateway } from "./bench_gateway.ts";
import { benchPrimaryScan, benchScan, benchScanPlain } from "./bench_scan.ts";
import { benchSim } from "./bench_sim.ts";
import { benchWmbus } from "./bench_wmbus.ts";

const SECTIONS: Record<string, () => Promise<void>> = {
  decode: benchDecode,
  wmbus: benchWmbus,
  sim: benchSim,
  scan: benchScan,
  "scan-plain": benchScanPlain,
  "primary-scan": benchPrimaryScan,
  gateway: benchGateway,
  api: benchApi,
};

const wanted = Deno.args.length > 0 ? Deno.args : Object.keys(SECTIONS);
for (const name of wanted) {
  const run = SECTIONS[name];
  if (!run) {
    console.error(
      `Unknown bench section "${name}": ${Object.keys(SECTIONS).join(", ")}`,
    );
    Deno.exit(2);
  }
  console.log(`\n## ${name}`);
  const t0 = performance.now();
  await run();
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
