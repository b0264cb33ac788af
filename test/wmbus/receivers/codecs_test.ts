import assert from "node:assert/strict";
import { fromHex, toHex } from "../../../src/util/mod.ts";
import {
  Amb8465Codec,
  amberRssiDbm,
  amberSetModeRequest,
  crcX25,
  decodeIm871aDeviceInfo,
  encodeAmberFrame,
  encodeAmberIndication,
  encodeHciMessage,
  encodeIm871aIndication,
  formatRtlWmbusLine,
  HciDecoder,
  Im871aCodec,
  im871aDeviceInfoRequest,
  im871aLinkModeRequest,
  im871aRssiDbm,
  LineCodec,
  parseHexLine,
  parseRtlWmbusLine,
} from "../../../src/wmbus/mod.ts";

const KAMSTRUP =
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
const T = 1_700_000_000_000;

function feedBytewise(
  codec: { push(c: Uint8Array, t: number): unknown[] },
  bytes: Uint8Array,
): unknown[] {
  const out: unknown[] = [];
  for (const b of bytes) out.push(...codec.push(Uint8Array.of(b), T));
  return out;
}

Deno.test("crcX25() gives the check value 0x906E for 123456789", () => {
  assert.equal(crcX25(new TextEncoder().encode("123456789")), 0x906e);
});

Deno.test("im871a requests match doc §12.1", () => {
  assert.equal(toHex(im871aDeviceInfoRequest()), "a5010f00");
  assert.equal(toHex(im871aLinkModeRequest("C1")), "a501030600020730" + "0100");
  assert.equal(toHex(im871aLinkModeRequest("T1")), "a5010306000203300100");
});

Deno.test("Im871aCodec decodes the telegram indication of doc §12.1", () => {
  const payload = fromHex(KAMSTRUP).subarray(1);
  const wire = fromHex(`A5 42 03 2A ${toHex(payload)} B4`);
  const got = new Im871aCodec().push(wire, T);
  assert.equal(got.length, 1);
  assert.equal(
    toHex(got[0]?.telegram ?? new Uint8Array(0)),
    KAMSTRUP.toLowerCase(),
  );
  assert.equal(got[0]?.rssi, im871aRssiDbm(0xb4));
  assert.equal(got[0]?.receivedAt, T);
});

Deno.test("encodeHciMessage() and HciDecoder round-trip timestamp, RSSI and CRC, byte by byte", () => {
  const payload = fromHex(KAMSTRUP).subarray(1);
  const wire = encodeHciMessage({ endpoint: 2, messageId: 3, payload }, {
    timestamp: 0x01020304,
    rssi: 0x50,
    crc: true,
  });
  const garbage = fromHex("00 A5 11 A5");
  const stream = new Uint8Array([...garbage, ...wire, ...wire]);
  const d = new HciDecoder();
  const got = [];
  for (const b of stream) got.push(...d.push(Uint8Array.of(b)));
  assert.equal(got.length, 2);
  assert.equal(got[0]?.timestamp, 0x01020304);
  assert.equal(got[0]?.rssi, 0x50);
  assert.equal(toHex(got[1]?.payload ?? new Uint8Array(0)), toHex(payload));
  assert.ok(d.droppedBytes >= 3);
});

Deno.test("HciDecoder drops a message with a bad CRC and finds the next one", () => {
  const good = encodeHciMessage({
    endpoint: 1,
    messageId: 0x10,
    payload: fromHex("3300130A44332211"),
  }, { crc: true });
  const bad = good.slice();
  bad[5] = (bad[5] ?? 0) ^ 0xff;
  const got = new HciDecoder().push(new Uint8Array([...bad, ...good]));
  assert.equal(got.length, 1);
  const info = decodeIm871aDeviceInfo(got[0]?.payload ?? new Uint8Array(0));
  assert.equal(info?.model, "iM871A");
  assert.equal(info?.firmwareVersion, 0x13);
  assert.equal(info?.uniqueId, 0x11223344);
});

for (
  const [mode, hex] of [
    ["C1T1", "ff040109f3"],
    ["T1", "ff040108f2"],
    ["C1", "ff04010ef4"],
    ["S1", "ff040103f9"],
  ] as const
) {
  Deno.test(`amberSetModeRequest("${mode}") is ${hex} (doc §12.2)`, () => {
    assert.equal(toHex(amberSetModeRequest(mode)), hex);
  });
}

Deno.test("encodeAmberFrame() builds the serial number request FF 0B 00 F4", () => {
  assert.equal(toHex(encodeAmberFrame(0x0b)), "ff0b00f4");
});

Deno.test("amberRssiDbm() reads two's complement halves minus 74", () => {
  assert.equal(amberRssiDbm(0x00), -74);
  assert.equal(amberRssiDbm(0x14), -64);
  assert.equal(amberRssiDbm(0xec), -84);
});

Deno.test("Amb8465Codec decodes command-mode indications and transparent telegrams", () => {
  const body = fromHex(KAMSTRUP).subarray(1);
  const command = encodeAmberFrame(0x03, new Uint8Array([...body, 0x14]));
  // Transparent mode: L counts the appended RSSI byte.
  const transparent = fromHex(`2B${KAMSTRUP.slice(2)}EC`);
  const confirm = encodeAmberFrame(0x84, Uint8Array.of(0));
  const codec = new Amb8465Codec();
  const got = feedBytewise(
    codec,
    new Uint8Array([0x00, ...command, ...confirm, ...transparent]),
  ) as {
    telegram: Uint8Array;
    rssi?: number;
  }[];
  assert.equal(got.length, 2);
  assert.equal(
    toHex(got[0]?.telegram ?? new Uint8Array(0)),
    KAMSTRUP.toLowerCase(),
  );
  assert.equal(got[0]?.rssi, -64);
  assert.equal(
    toHex(got[1]?.telegram ?? new Uint8Array(0)),
    KAMSTRUP.toLowerCase(),
  );
  assert.equal(got[1]?.rssi, -84);
  assert.deepEqual(codec.takeFrames().map((f) => f.command), [0x84]);
  assert.equal(codec.droppedBytes, 1);
});

Deno.test("Amb8465Codec without RSSI takes the whole indication as the telegram", () => {
  const body = fromHex(KAMSTRUP).subarray(1);
  const got = new Amb8465Codec({ rssi: false }).push(
    encodeAmberFrame(0x03, body),
    T,
  );
  assert.equal(
    toHex(got[0]?.telegram ?? new Uint8Array(0)),
    KAMSTRUP.toLowerCase(),
  );
  assert.equal(got[0]?.rssi, undefined);
});

Deno.test("parseRtlWmbusLine() reads the doc §12.3 lines and skips the rest", () => {
  const line = `C1;1;1;2020-01-23 10:25:13.000;97;148;76348799;0x${KAMSTRUP}`;
  const got = parseRtlWmbusLine(line, T);
  assert.equal(got.length, 1);
  assert.equal(got[0]?.mode, "C1");
  assert.equal(got[0]?.rssi, 97);
  assert.equal(
    toHex(got[0]?.telegram ?? new Uint8Array(0)),
    KAMSTRUP.toLowerCase(),
  );
  assert.equal(parseRtlWmbusLine(line.replace("C1;1;", "C1;0;"), T).length, 0);
  assert.equal(parseRtlWmbusLine("rtl_wmbus: starting", T).length, 0);
  assert.equal(parseRtlWmbusLine(`0x${KAMSTRUP}`, T).length, 1);
  assert.equal(parseRtlWmbusLine(`${line};0x${KAMSTRUP}`, T).length, 2);
  assert.equal(parseRtlWmbusLine("T1;1;1;x;97;148;1;0xZZ", T).length, 0);
});

Deno.test("parseHexLine() accepts telegram=|…| with _ markers and skips comments", () => {
  const got = parseHexLine(
    `telegram=|${KAMSTRUP.slice(0, 22)}_${KAMSTRUP.slice(22)}|`,
    T,
  );
  assert.equal(
    toHex(got[0]?.telegram ?? new Uint8Array(0)),
    KAMSTRUP.toLowerCase(),
  );
  assert.equal(parseHexLine("# comment", T).length, 0);
  assert.equal(parseHexLine("  ", T).length, 0);
  assert.equal(parseHexLine("2A 44 2D", T).length, 1);
});

Deno.test("LineCodec splits lines across chunks and CRLF", () => {
  const codec = new LineCodec("hex");
  const text = new TextEncoder().encode(
    `${KAMSTRUP}\r\nnot hex\n${KAMSTRUP}\n`,
  );
  const got = feedBytewise(codec, text);
  assert.equal(got.length, 2);
  assert.equal(codec.droppedBytes, 1);
});

Deno.test("encoders for the simulator round-trip through the codecs", () => {
  const telegram = fromHex(KAMSTRUP);
  const hex = KAMSTRUP.toLowerCase();
  const im = new Im871aCodec().push(
    encodeIm871aIndication(telegram, { rssi: 0x60, crc: true }),
    T,
  );
  assert.equal(toHex(im[0]?.telegram ?? new Uint8Array(0)), hex);
  const amb = new Amb8465Codec().push(encodeAmberIndication(telegram), T);
  assert.equal(toHex(amb[0]?.telegram ?? new Uint8Array(0)), hex);
  assert.equal(amb[0]?.rssi, -64);
  const line = formatRtlWmbusLine(telegram, {
    mode: "C1",
    receivedAt: Date.UTC(2020, 0, 23, 10, 25, 13),
    rssi: 97,
  });
  assert.equal(
    line,
    `C1;1;1;2020-01-23 10:25:13.000;97;0;76348799;0x${KAMSTRUP}`,
  );
  const rtl = parseRtlWmbusLine(line, T);
  assert.equal(toHex(rtl[0]?.telegram ?? new Uint8Array(0)), hex);
  assert.equal(rtl[0]?.mode, "C1");
});
