/**
 * The wireless meter fixtures of `fixtures/wmbus/`, imported statically as JSON modules
 * (compile safe), as a registry by name.
 *
 * @module
 */
import type { WirelessMeterFixture } from "./wireless_meter.ts";
import itronWater from "../../fixtures/wmbus/itron_water.json" with {
  type: "json",
};
import metronaHca from "../../fixtures/wmbus/metrona_hca.json" with {
  type: "json",
};
import minomessEncryptedWater from "../../fixtures/wmbus/minomess_encrypted_water.json" with {
  type: "json",
};
import ultraheatHeat from "../../fixtures/wmbus/ultraheat_heat.json" with {
  type: "json",
};

/** Every wireless meter fixture by name: water, heat, HCA, and an encrypted water meter. */
export const WIRELESS_METERS: Readonly<Record<string, WirelessMeterFixture>> =
  Object.freeze({
    itron_water: itronWater as WirelessMeterFixture,
    ultraheat_heat: ultraheatHeat as WirelessMeterFixture,
    metrona_hca: metronaHca as WirelessMeterFixture,
    minomess_encrypted_water: minomessEncryptedWater as WirelessMeterFixture,
  });
