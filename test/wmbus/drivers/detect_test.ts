import assert from "node:assert/strict";
import {
  detectDriver,
  type DriverTelegram,
} from "../../../src/wmbus/drivers/mod.ts";
import { DRIVERS as REGISTRY } from "../../../src/wmbus/drivers/registry.ts";
import {
  LOCAL_DRIVERS,
  PREFERRED_DRIVERS,
} from "../../../src/wmbus/drivers/detect.ts";

/** The registry in detection order: the preferred drivers, the reference's, then local ones. */
const DRIVERS = [
  ...PREFERRED_DRIVERS.flatMap((n) => REGISTRY.filter((d) => d.name === n)),
  ...REGISTRY.filter((d) =>
    !PREFERRED_DRIVERS.includes(d.name) && !LOCAL_DRIVERS.has(d.name)
  ),
  ...REGISTRY.filter((d) => LOCAL_DRIVERS.has(d.name)),
];

const BASE: DriverTelegram = {
  raw: new Uint8Array(0),
  manufacturer: "",
  id: "00000000",
  version: 0,
  deviceType: 0,
  ci: 0x7a,
  tpl: null,
  payload: new Uint8Array(0),
};

interface Who {
  manufacturer: string;
  version: number;
  deviceType: number;
}

/** The detection rule written out as a scan over the ordered registry (the model). */
function reference(t: Who & { dll?: Who }): string {
  for (const who of t.dll === undefined ? [t] : [t, t.dll]) {
    const m = who.manufacturer.toUpperCase();
    for (const d of DRIVERS) {
      for (const [mfct, version, type] of d.detect) {
        if (
          mfct === m && (version === -1 || version === who.version) &&
          type === who.deviceType
        ) return d.name;
      }
    }
  }
  return "generic";
}

Deno.test("detectDriver() picks the first registry driver for every detection row and near misses", () => {
  const rows = DRIVERS.flatMap((d) => d.detect);
  let checked = 0;
  for (const [mfct, version, type] of rows) {
    for (const v of [version, version + 1, 0, 0xff]) {
      for (const ty of [type, type + 1]) {
        for (const m of [mfct, mfct.toLowerCase(), "XYZ"]) {
          const who = { manufacturer: m, version: v, deviceType: ty };
          const t: DriverTelegram = { ...BASE, ...who };
          assert.equal(detectDriver(t), reference(t));
          const withDll: DriverTelegram = {
            ...t,
            manufacturer: "ZZZ",
            dll: who,
          };
          assert.equal(detectDriver(withDll), reference(withDll));
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 100);
});
