/**
 * The static driver registry, built from static imports (compile-safe).
 *
 * @module
 */

import type { DriverDef } from "./_spec.ts";
import {
  APATOR08,
  APATOR162,
  APATOR172,
  APATOREITN,
  APATORNA1,
} from "./apator.ts";
import { ELECTRICITY_DRIVERS } from "./electricity.ts";
import { ELECTRICITY_MORE_DRIVERS } from "./electricity_more.ts";
import { DIEHL_DRIVERS } from "./diehl.ts";
import { GENERIC } from "./generic.ts";
import { HCA_DRIVERS } from "./hca.ts";
import { HEAT_DRIVERS } from "./heat.ts";
import { OTHER_DRIVERS } from "./other.ts";
import { QUNDIS_DRIVERS } from "./qundis.ts";
import { RECENT_DRIVERS } from "./recent.ts";
import { ROOM_DRIVERS } from "./room.ts";
import { SIMPLE_DRIVERS } from "./simple.ts";
import { SMOKE_DRIVERS } from "./smoke.ts";
import { TECHEM_DRIVERS } from "./techem.ts";
import { KAMSTRUP_DRIVERS } from "./kamstrup.ts";
import { WATER_DRIVERS } from "./water.ts";
import { WATER_MISC_DRIVERS } from "./water_misc.ts";
import { WATER_MORE_DRIVERS } from "./water_more.ts";
import { ZENNER_DRIVERS } from "./zenner.ts";
import { ELECTRICITY_REF_DRIVERS } from "./electricity_ref.ts";
import { IEM3000_DRIVERS } from "./iem3000.ts";
import { WATER_REF_DRIVERS } from "./water_ref.ts";
import { HEAT_REF_DRIVERS } from "./heat_ref.ts";
import { HCA_REF_DRIVERS } from "./hca_ref.ts";

/** All drivers, in detection order (generic last). */
export const DRIVERS: readonly DriverDef[] = [
  ...ELECTRICITY_DRIVERS,
  ...KAMSTRUP_DRIVERS,
  APATOR162,
  APATOR172,
  APATOR08,
  APATOREITN,
  APATORNA1,
  ...WATER_DRIVERS,
  ...DIEHL_DRIVERS,
  ...TECHEM_DRIVERS,
  ...HCA_DRIVERS,
  ...HEAT_DRIVERS,
  ...ROOM_DRIVERS,
  ...SMOKE_DRIVERS,
  ...OTHER_DRIVERS,
  ...WATER_MORE_DRIVERS,
  ...QUNDIS_DRIVERS,
  ...WATER_MISC_DRIVERS,
  ...SIMPLE_DRIVERS,
  ...RECENT_DRIVERS,
  ...ELECTRICITY_MORE_DRIVERS,
  ...ZENNER_DRIVERS,
  ...ELECTRICITY_REF_DRIVERS,
  ...IEM3000_DRIVERS,
  ...WATER_REF_DRIVERS,
  ...HEAT_REF_DRIVERS,
  ...HCA_REF_DRIVERS,
  GENERIC,
];

/** Name or alias → driver. */
export const DRIVER_BY_NAME: ReadonlyMap<string, DriverDef> = new Map(
  DRIVERS.flatMap((d) =>
    [d.name, ...(d.aliases ?? [])].map((n) => [n, d] as const)
  ),
);
