/**
 * The meter fixtures of `fixtures/meters/`, imported statically as JSON modules (compile
 * safe), as a registry by name.
 *
 * @module
 */
import type { MeterFixture } from "./scenario.ts";
import abbA43Electricity from "../fixtures/meters/abb_a43_electricity.json" with {
  type: "json",
};
import apatorWarmWater from "../fixtures/meters/apator_warm_water.json" with {
  type: "json",
};
import diehlSharky775 from "../fixtures/meters/diehl_sharky_775.json" with {
  type: "json",
};
import elsterBkg4Gas from "../fixtures/meters/elster_bkg4_gas.json" with {
  type: "json",
};
import engelmannSensostarU from "../fixtures/meters/engelmann_sensostar_u.json" with {
  type: "json",
};
import gwfMtkdWater from "../fixtures/meters/gwf_mtkd_water.json" with {
  type: "json",
};
import itronCfEchoSlow from "../fixtures/meters/itron_cf_echo_slow.json" with {
  type: "json",
};
import kamstrupMultical403 from "../fixtures/meters/kamstrup_multical_403.json" with {
  type: "json",
};
import landisUltraheatT550 from "../fixtures/meters/landis_ultraheat_t550.json" with {
  type: "json",
};
import qundisQcaloricHca from "../fixtures/meters/qundis_qcaloric_hca.json" with {
  type: "json",
};
import relayPadpulsM2 from "../fixtures/meters/relay_padpuls_m2.json" with {
  type: "json",
};
import sensus620Water from "../fixtures/meters/sensus_620_water.json" with {
  type: "json",
};
import siemensRvdController from "../fixtures/meters/siemens_rvd_controller.json" with {
  type: "json",
};
import sontexSupercalCooling from "../fixtures/meters/sontex_supercal_cooling.json" with {
  type: "json",
};
import techemNoisyWater from "../fixtures/meters/techem_noisy_water.json" with {
  type: "json",
};
import zennerHexIdWater from "../fixtures/meters/zenner_hex_id_water.json" with {
  type: "json",
};

/** Every meter fixture by name. */
export const METERS: Readonly<Record<string, MeterFixture>> = Object.freeze({
  abb_a43_electricity: abbA43Electricity as MeterFixture,
  apator_warm_water: apatorWarmWater as MeterFixture,
  diehl_sharky_775: diehlSharky775 as MeterFixture,
  elster_bkg4_gas: elsterBkg4Gas as MeterFixture,
  engelmann_sensostar_u: engelmannSensostarU as MeterFixture,
  gwf_mtkd_water: gwfMtkdWater as MeterFixture,
  itron_cf_echo_slow: itronCfEchoSlow as MeterFixture,
  kamstrup_multical_403: kamstrupMultical403 as MeterFixture,
  landis_ultraheat_t550: landisUltraheatT550 as MeterFixture,
  qundis_qcaloric_hca: qundisQcaloricHca as MeterFixture,
  relay_padpuls_m2: relayPadpulsM2 as MeterFixture,
  sensus_620_water: sensus620Water as MeterFixture,
  siemens_rvd_controller: siemensRvdController as MeterFixture,
  sontex_supercal_cooling: sontexSupercalCooling as MeterFixture,
  techem_noisy_water: techemNoisyWater as MeterFixture,
  zenner_hex_id_water: zennerHexIdWater as MeterFixture,
});
