/**
 * Apator and RFM-TX1 payload layouts in other framings than their meters' own (compact
 * frames, a long TPL header, an AES-CTR ELL), read where the reference reads them. Every
 * telegram is built here with the project's encoder.
 */
import assert from "node:assert/strict";
import { decodeWithDriver } from "../../../src/wmbus/drivers/mod.ts";
import { WmbusMeterDecoder } from "../../../src/wmbus/meter_decoder.ts";
import {
  compactTelegram,
  wrapInEll,
} from "../../../src/wmbus/encode_layers.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";
import { aesCbcEncrypt } from "../../../src/wmbus/aes.ts";
import { mode5Iv } from "../../../src/wmbus/security.ts";
import { telegram } from "./_telegram.ts";

const KEY = fromHex("000102030405060708090A0B0C0D0E0F");

function withL(body: string): Uint8Array {
  const b = fromHex(body);
  return Uint8Array.from([b.length, ...b]);
}

/** Decodes frames in order with one decoder (one meter table); the last one's JSON. */
function lastJson(
  driver: string,
  frames: readonly Uint8Array[],
  key?: Uint8Array,
): Record<string, unknown> | null {
  const keys = new Map<string, Uint8Array>();
  if (key !== undefined) keys.set("", key);
  const dec = new WmbusMeterDecoder({ keys, driver, name: "m" });
  let json: Record<string, unknown> | null = null;
  for (const f of frames) {
    const r = dec.decode(f);
    json = r.kind === "decoded" && r.result.ok ? r.result.json : null;
  }
  return json;
}

Deno.test("apator08/172 in a compact frame: the counter follows the signature and data CRC", () => {
  // A full frame (CI 78) of one 32-bit record teaches the format; the compact frame then
  // carries 0x00002EE0 = 12000 as its data.
  for (
    const [driver, head, total] of [
      ["apator08", "44 1406 78563412 03 03", 4],
      ["apator172", "44 1406 78563412 04 11", 4000],
    ] as const
  ) {
    const full = withL(`${head} 78 0413 E02E0000`);
    const compact = compactTelegram(full);
    assert.equal(compact[10], 0x79);
    const json = lastJson(driver, [withL(`${head} 78 0413 00000000`), compact]);
    assert.equal(json?.total_m3, total, `${driver} ${toHex(compact)}`);
  }
});

Deno.test("apatorna1 behind a long TPL header: the block's IV uses the meter's address", () => {
  // Link layer: a radio module with another id; the long header names the meter.
  const raw = fromHex("2444 0106 11111111 14 07 72");
  const meter = fromHex("0106 78563412 14 07"); // manufacturer, id, version, type
  const plain = fromHex("00 15341200 10203040 10 04 FA0000 09 01");
  const iv = mode5Iv(meter, 0x42);
  const block = aesCbcEncrypt(KEY, plain, iv);
  const t = telegram(`42 81 ${toHex(block)}`, {
    manufacturer: "APA",
    id: "12345678",
    version: 0x14,
    deviceType: 0x07,
    ci: 0x72,
    raw,
  });
  const r = decodeWithDriver(t, { key: KEY, driver: "apatorna1" });
  assert.equal(r.json.total_m3, 745.65);
  assert.equal(r.json.meter_datetime, "2034-02-15 01:42");
  assert.equal(r.json.historic_datetime, "2034-02-03 17:42");
});

Deno.test("apatorna1 and apatoreitn expand compact frames like every driver", () => {
  const na1 = "44 0106 78563412 14 07";
  // The NA-1 values as records (manufacturer VIFs FB 00..12): packed total, clock.
  const records = (total: string) =>
    `78 04FB00 ${total} 01FB01 10 01FB02 20 01FB03 30 01FB04 40`;
  const full = withL(`${na1} ${records("15341200")}`);
  const json = lastJson("apatorna1", [
    withL(`${na1} ${records("00000000")}`),
    compactTelegram(full),
  ]);
  assert.equal(json?.total_m3, 745.65);
  assert.equal(json?.meter_datetime, "2034-02-15 01:42");
  const eitn = "44 0106 78563412 04 08";
  // Allocation units of the current period (02 6E) = 0x0123.
  const e = withL(`${eitn} 78 026E 2301 02FB01 0020`);
  const ej = lastJson("apatoreitn", [
    withL(`${eitn} 78 026E 0000 02FB01 0000`),
    compactTelegram(e),
  ]);
  assert.equal(ej?.current_hca, 0x0123);
  assert.equal(ej?.temp_room_avg_c, 32);
});

Deno.test("rfmtx1 behind an AES-CTR ELL: the layout reads the decrypted frame", () => {
  // Access number 3 picks XOR vector row 3; the litres 12345678 obscured at bytes 17..20
  // of the frame without ELL. Behind an ELL II the same offsets fall on the decrypted
  // payload CRC, CI and data, as the reference reads them.
  const body =
    "44 B409 78563412 05 07 78 0413 00000000 046D 00000000 0000000000";
  const plainFrame = withL(body);
  const ell = wrapInEll(plainFrame, { ci: 0x8d, key: KEY, session: 5 });
  const withKey = lastJson("rfmtx1", [ell], KEY);
  assert.ok(withKey !== null);
  // The plain ELL (no key needed) and the encrypted one read the same bytes.
  const clear = lastJson("rfmtx1", [wrapInEll(plainFrame, { ci: 0x8d })]);
  assert.equal(withKey.total_m3, clear?.total_m3);
  assert.equal(withKey.meter_datetime, clear?.meter_datetime);
});
