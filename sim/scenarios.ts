/**
 * The scenarios of `fixtures/scenarios/`, imported statically as JSON modules, as a
 * registry by name (`demo` serves `--simulate`).
 *
 * @module
 */
import type { Scenario } from "./scenario.ts";
import allMeters from "../fixtures/scenarios/all_meters.json" with {
  type: "json",
};
import demo from "../fixtures/scenarios/demo.json" with { type: "json" };
import duplicatePrimary from "../fixtures/scenarios/duplicate_primary.json" with {
  type: "json",
};
import faultyMeters from "../fixtures/scenarios/faulty_meters.json" with {
  type: "json",
};
import hexId from "../fixtures/scenarios/hex_id.json" with { type: "json" };
import large250 from "../fixtures/scenarios/large_250.json" with {
  type: "json",
};
import large500 from "../fixtures/scenarios/large_500.json" with {
  type: "json",
};
import mixedBaud from "../fixtures/scenarios/mixed_baud.json" with {
  type: "json",
};
import rvdMultiframe from "../fixtures/scenarios/rvd_multiframe.json" with {
  type: "json",
};
import secondaryCollisions from "../fixtures/scenarios/secondary_collisions.json" with {
  type: "json",
};

/** Every scenario by name. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze({
  all_meters: allMeters as Scenario,
  demo: demo as Scenario,
  duplicate_primary: duplicatePrimary as Scenario,
  faulty_meters: faultyMeters as Scenario,
  hex_id: hexId as Scenario,
  large_250: large250 as Scenario,
  large_500: large500 as Scenario,
  mixed_baud: mixedBaud as Scenario,
  rvd_multiframe: rvdMultiframe as Scenario,
  secondary_collisions: secondaryCollisions as Scenario,
});
