import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  encodeIdentity,
  formatSecondaryAddress,
  matchesSelectMask,
  type SlaveIdentity,
} from "../../sim/mod.ts";

const KAM: SlaveIdentity = {
  id: "12345678",
  manufacturer: "KAM",
  version: 0x1b,
  medium: 4,
};
const HEX: SlaveIdentity = {
  id: "9A0B12CD",
  manufacturer: "ZRI",
  version: 3,
  medium: 7,
};

Deno.test("encodeIdentity() writes the header order: BCD ID LE, manufacturer LE, version, medium", () => {
  assert.equal(toHex(encodeIdentity(KAM)), "785634122d2c1b04");
  assert.equal(toHex(encodeIdentity(HEX)).slice(0, 8), "cd120b9a");
});

Deno.test("formatSecondaryAddress() gives the libmbus text form", () => {
  assert.equal(formatSecondaryAddress(KAM), "123456782D2C1B04");
});

Deno.test("encodeIdentity() rejects bad fields with RangeError", () => {
  assert.throws(() => encodeIdentity({ ...KAM, id: "1234567" }), RangeError);
  assert.throws(() => encodeIdentity({ ...KAM, id: "1234567G" }), RangeError);
  assert.throws(
    () => encodeIdentity({ ...KAM, manufacturer: "K4M" }),
    RangeError,
  );
  assert.throws(() => encodeIdentity({ ...KAM, version: 256 }), RangeError);
  assert.throws(() => encodeIdentity({ ...KAM, medium: -1 }), RangeError);
});

const CASES: [string, SlaveIdentity, string, boolean][] = [
  ["all wildcards", KAM, "ff ff ff ff ff ff ff ff", true],
  ["full address", KAM, "78 56 34 12 2d 2c 1b 04", true],
  ["full ID, rest wild", KAM, "78 56 34 12 ff ff ff ff", true],
  ["first digit fixed", KAM, "ff ff ff 1f ff ff ff ff", true],
  ["first digit wrong", KAM, "ff ff ff 2f ff ff ff ff", false],
  ["last digit fixed", KAM, "f8 ff ff ff ff ff ff ff", true],
  ["last digit wrong", KAM, "f7 ff ff ff ff ff ff ff", false],
  ["middle digits wild", KAM, "78 ff ff 12 ff ff ff ff", true],
  ["wrong manufacturer", KAM, "78 56 34 12 c5 14 ff ff", false],
  [
    "manufacturer half wildcard is no wildcard",
    KAM,
    "78 56 34 12 0f ff ff ff",
    false,
  ],
  ["wrong version", KAM, "ff ff ff ff ff ff 1c ff", false],
  ["right version", KAM, "ff ff ff ff ff ff 1b ff", true],
  ["wrong medium", KAM, "ff ff ff ff ff ff ff 07", false],
  ["right medium", KAM, "ff ff ff ff ff ff ff 04", true],
  ["hex ID exactly", HEX, "cd 12 0b 9a ff ff ff ff", true],
  ["hex ID by a decimal prefix", HEX, "ff ff ff 9f ff ff ff ff", true],
  ["hex ID missed by a decimal digit", HEX, "ff ff ff 8f ff ff ff ff", false],
  ["hex ID, digit A in place", HEX, "ff ff ff fa ff ff ff ff", true],
  ["too short a mask", KAM, "ff ff ff ff ff ff ff", false],
  [
    "enhanced selection tail ignored",
    KAM,
    "78 56 34 12 ff ff ff ff 0c 78 01 00 00 00",
    true,
  ],
];
for (const [name, identity, mask, expected] of CASES) {
  Deno.test(`matchesSelectMask(): ${name}`, () => {
    assert.equal(
      matchesSelectMask(fromHex(mask), encodeIdentity(identity)),
      expected,
    );
  });
}
