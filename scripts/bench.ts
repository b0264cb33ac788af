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
import { benchMqtt } from "./bench_mqtt.ts";
import { benchPrimaryScan, benchScan, benchScanPlain } from "./bench_scan.ts";
import { benchSim } from "./bench_sim.ts";
import { benchWmbus } from "./bench_wmbus.ts";

/**
 * The gateway is measured as it ships: in its own process, with the V8 flags of the
 * `mbusgw` and `compile` tasks (its resident memory is one of the figures).
 */
async function benchGatewayAsShipped(): Promise<void> {
  const script = new URL("./bench_gateway.ts", import.meta.url).pathname;
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--max-semi-space-size=1", script],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) throw new Error(`bench_gateway.ts exited with ${code}`);
}

const SECTIONS: Record<string, () => Promise<void>> = {
  decode: benchDecode,
  wmbus: benchWmbus,
  sim: benchSim,
  scan: benchScan,
  "scan-plain": benchScanPlain,
  "primary-scan": benchPrimaryScan,
  gateway: benchGatewayAsShipped,
  "gateway-in-process": benchGateway,
  api: benchApi,
  mqtt: () => benchMqtt(),
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
