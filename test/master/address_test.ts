import assert from "node:assert/strict";
import { AddressError, fromHex, toHex } from "../../src/util/mod.ts";
import {
  ANY_MASK,
  decodeSecondaryAddress,
  encodeSelectData,
  formatMeterAddress,
  formatSecondaryAddress,
  formatSecondaryMask,
  maskMatches,
  parseMeterAddress,
  parseSecondaryMask,
} from "../../src/master/mod.ts";

Deno.test("parseMeterAddress() reads primary addresses, IDs and 16-hex addresses", () => {
  assert.deepEqual(parseMeterAddress("5"), { kind: "primary", address: 5 });
  assert.deepEqual(parseMeterAddress(" 250 "), {
    kind: "primary",
    address: 250,
  });
  assert.deepEqual(parseMeterAddress("12345678"), {
    kind: "secondary",
    secondary: { id: "12345678", manufacturer: "", version: 255, medium: 255 },
  });
  assert.deepEqual(parseMeterAddress("04990254c5140006"), {
    kind: "secondary",
    secondary: { id: "04990254", manufacturer: "EFE", version: 0, medium: 6 },
  });
});

for (
  const bad of [
    "251",
    "300",
    "-1",
    "",
    "12345",
    "1234567Z",
    "0x05",
    "123456789",
    "04990254C51400067",
  ]
) {
  Deno.test(`parseMeterAddress() rejects "${bad}" with BAD_ADDRESS`, () => {
    assert.throws(() => parseMeterAddress(bad), (e) => {
      assert.ok(e instanceof AddressError);
      assert.equal(e.code, "BAD_ADDRESS");
      assert.equal(e.input, bad);
      return true;
    });
  });
}

for (
  const bad of [
    "",
    "FFFF",
    "FFFFFFFFFFFFFFF",
    "FFFFFFFFFFFFFFFFF",
    "GFFFFFFFFFFFFFFF",
  ]
) {
  Deno.test(`parseSecondaryMask() rejects "${bad}" with BAD_MASK`, () => {
    assert.throws(
      () => parseSecondaryMask(bad),
      (e) => e instanceof AddressError && e.code === "BAD_MASK",
    );
  });
}

Deno.test("parseSecondaryMask() and formatSecondaryMask() round-trip the libmbus text form", () => {
  for (
    const text of [
      "FFFFFFFFFFFFFFFF",
      "12345678FFFFFFFF",
      "FFFFFFFF4D25FFFF",
      "FFFFFFFFFFFFFF07",
      "1234FFFF2C2D0107",
    ]
  ) {
    assert.equal(formatSecondaryMask(parseSecondaryMask(text)), text);
  }
  assert.equal(
    formatSecondaryMask(parseSecondaryMask("12345678")),
    "12345678FFFFFFFF",
  );
  assert.deepEqual(parseSecondaryMask("ffffffffffffffff"), ANY_MASK);
});

Deno.test("encodeSelectData() gives the select payload libmbus sends", () => {
  // docs/libmbus-behaviour.md §2: select 1234FFFF2C2D0107 → FF FF 34 12 2C 2D 01 07
  assert.equal(
    toHex(encodeSelectData(parseSecondaryMask("1234FFFF2C2D0107"))),
    "ffff34122c2d0107",
  );
  assert.equal(
    toHex(encodeSelectData(parseSecondaryMask("0FFFFFFFFFFFFFFF"))),
    "ffffff0fffffffff",
  );
});

Deno.test("decodeSecondaryAddress() and formatSecondaryAddress() round-trip a header", () => {
  const header = fromHex("54 02 99 04 C5 14 00 06");
  const a = decodeSecondaryAddress(header);
  assert.deepEqual(a, {
    id: "04990254",
    manufacturer: "EFE",
    version: 0,
    medium: 6,
  });
  assert.equal(formatSecondaryAddress(a), "04990254C5140006");
  assert.equal(
    toHex(encodeSelectData(parseSecondaryMask(formatSecondaryAddress(a)))),
    toHex(header),
  );
  // Hex digits and odd manufacturer codes survive too.
  const odd = decodeSecondaryAddress(fromHex("CD 12 0B 9A 00 00 FF 07"));
  assert.equal(formatSecondaryAddress(odd), "9A0B12CD0000FF07");
  assert.equal(
    formatMeterAddress({ kind: "secondary", secondary: odd }),
    "9A0B12CD0000FF07",
  );
});

Deno.test("maskMatches() follows a standard slave's select rule", () => {
  const a = { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 };
  assert.ok(maskMatches(ANY_MASK, a));
  assert.ok(maskMatches(parseSecondaryMask("1234FFFFFFFFFFFF"), a));
  assert.ok(!maskMatches(parseSecondaryMask("1235FFFFFFFFFFFF"), a));
  assert.ok(maskMatches(parseSecondaryMask(formatSecondaryAddress(a)), a));
  assert.ok(!maskMatches(parseSecondaryMask("FFFFFFFFFFFFFF06"), a));
});
