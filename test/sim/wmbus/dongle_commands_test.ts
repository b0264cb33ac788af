import assert from "node:assert/strict";
import {
  Amb8465Codec,
  encodeAmberFrame,
  encodeHciMessage,
  HciDecoder,
  type HciMessage,
} from "../../../src/wmbus/mod.ts";
import {
  AMBER_MEMORY_SIZE,
  AMBER_PARAMETER,
  AMBER_REQUEST,
  createWirelessSimulation,
  IM871A_DEVMGMT,
  VirtualAmb8465,
  VirtualIm871a,
} from "../../../sim/wmbus/mod.ts";
import {
  encodeIm871aConfig,
  IM871A_FACTORY_CONFIG,
  parseIm871aConfig,
} from "../../../sim/wmbus/_im871a_config.ts";

function ask(
  dongle: VirtualIm871a,
  messageId: number,
  payload: number[] = [],
  endpoint = 1,
): HciMessage[] {
  const bytes = encodeHciMessage({
    endpoint,
    messageId,
    payload: Uint8Array.from(payload),
  });
  return dongle.receive(bytes).flatMap((b) => new HciDecoder().push(b));
}

function onAir(mode: "T1" | "C1" = "T1") {
  const air = createWirelessSimulation({
    meters: [mode === "T1" ? "itron_water" : "metrona_hca"],
  });
  const [t] = air.transmit();
  assert.ok(t);
  return t;
}

Deno.test("iM871A config block: every field round-trips, a cut-off field is refused", () => {
  const config = { ...IM871A_FACTORY_CONFIG, id: 0x87654321, linkMode: 7 };
  assert.deepEqual(parseIm871aConfig(encodeIm871aConfig(config)), config);
  assert.deepEqual(parseIm871aConfig(Uint8Array.of(0x02, 0x03)), {
    linkMode: 3,
  });
  assert.equal(parseIm871aConfig(Uint8Array.of(0x10, 1, 2)), null, "ID cut");
  assert.equal(parseIm871aConfig(new Uint8Array(0)), null);
});

Deno.test("VirtualIm871a answers ping, get config, firmware info, operation mode and AES requests", () => {
  const im = new VirtualIm871a();
  const [pong] = ask(im, IM871A_DEVMGMT.ping);
  assert.equal(pong?.messageId, 0x02);
  const [config] = ask(im, IM871A_DEVMGMT.getConfig);
  assert.equal(config?.messageId, 0x06);
  assert.deepEqual(
    parseIm871aConfig(config?.payload ?? new Uint8Array(0)),
    IM871A_FACTORY_CONFIG,
  );
  const [fw] = ask(im, IM871A_DEVMGMT.firmwareInfo);
  assert.equal(fw?.messageId, 0x14);
  assert.equal(fw?.payload[0], 0x15);
  assert.deepEqual(
    ask(im, IM871A_DEVMGMT.setOperationMode, [0, 1]).map((m) => [
      m.messageId,
      [...m.payload],
    ]),
    [[0x0e, [0]]],
  );
  assert.deepEqual([
    ...(ask(im, IM871A_DEVMGMT.getOperationMode)[0]?.payload ?? []),
  ], [1]);
  for (const id of [0x21, 0x23, 0x25]) {
    assert.deepEqual(
      ask(im, id, [0]).map((m) => [m.messageId, [...m.payload]]),
      [[id + 1, [0]]],
    );
  }
  assert.deepEqual(
    ask(im, 0x01, [0x44], 2).map((m) => [m.endpoint, m.messageId]),
    [[2, 0x02]],
    "radio link send request acknowledged",
  );
  assert.equal(ask(im, 0x11).length, 0, "system status is not modelled");
  assert.equal(im.unanswered, 1);
  assert.equal(im.requests, 9);
});

Deno.test("VirtualIm871a: a set config applies at once, a stored one survives a reset, a factory reset restores the defaults", () => {
  const im = new VirtualIm871a();
  const t = onAir("T1");
  assert.equal(im.indicate(t.telegram, "T1"), null, "silent before set-up");
  // Temporary: C1 (7), RSSI off, timestamp on.
  const [ok] = ask(im, IM871A_DEVMGMT.setConfig, [0, 0x02, 7, 0x30, 0, 1]);
  assert.deepEqual([ok?.messageId, ...(ok?.payload ?? [])], [0x04, 0]);
  assert.equal(im.linkMode, 7);
  assert.equal(im.indicate(t.telegram, "T1"), null, "C1 does not hear T1");
  const c = onAir("C1");
  const [ind] = new HciDecoder().push(
    im.indicate(c.telegram, "C1", 1_700_000_000_000) ?? new Uint8Array(0),
  );
  assert.equal(ind?.rssi, undefined);
  assert.equal(ind?.timestamp, 1_700_000_000);
  // Stored: T1 (3).
  ask(im, IM871A_DEVMGMT.setConfig, [1, 0x02, 3]);
  assert.equal(im.storedConfig.linkMode, 3);
  ask(im, IM871A_DEVMGMT.setConfig, [0, 0x02, 7]);
  const [reset] = ask(im, IM871A_DEVMGMT.reset);
  assert.equal(reset?.messageId, 0x08);
  assert.equal(im.linkMode, 3, "reset reverts to the stored link mode");
  assert.ok(im.indicate(t.telegram, "T1"));
  ask(im, IM871A_DEVMGMT.setConfig, [1, 0x02, 0]);
  ask(im, IM871A_DEVMGMT.factoryReset);
  assert.deepEqual(im.config, IM871A_FACTORY_CONFIG);
  assert.equal(im.resets, 2);
  const [bad] = ask(im, IM871A_DEVMGMT.setConfig, [0, 0x10, 1]);
  assert.deepEqual([...(bad?.payload ?? [])], [1], "cut-off set config fails");
});

function askAmber(
  amber: VirtualAmb8465,
  command: number,
  payload: number[] = [],
) {
  const codec = new Amb8465Codec();
  for (
    const b of amber.receive(
      encodeAmberFrame(command, Uint8Array.from(payload)),
    )
  ) {
    codec.push(b, 0);
  }
  return codec.takeFrames().map((f) => [f.command, [...f.payload]]);
}

Deno.test("VirtualAmb8465 answers CMD_GET_REQ with the 0x78-byte parameter memory and CMD_SET_REQ writes it", () => {
  const amber = new VirtualAmb8465();
  const [[command, payload] = []] = askAmber(amber, AMBER_REQUEST.get, [
    0,
    0x80,
  ]);
  assert.equal(command, 0x8a);
  assert.equal(AMBER_MEMORY_SIZE, 0x78);
  const data = payload as number[];
  assert.deepEqual(data.slice(0, 2), [0, 0x78]);
  assert.equal(data.length, 2 + 0x78);
  assert.equal(data[2 + AMBER_PARAMETER.cmdOutEnable], 1);
  assert.equal(data[2 + AMBER_PARAMETER.rssiEnable], 1);
  assert.equal(data[2 + AMBER_PARAMETER.cField], 0x44);
  assert.deepEqual(askAmber(amber, AMBER_REQUEST.set, [69, 1, 0]), [[0x89, [
    0,
  ]]]);
  assert.deepEqual(askAmber(amber, AMBER_REQUEST.get, [69, 2]), [[0x8a, [
    69,
    2,
    0,
    8,
  ]]]);
  assert.deepEqual(askAmber(amber, AMBER_REQUEST.set, [0x77, 2, 1, 1]), [[
    0x89,
    [1],
  ]]);
  assert.deepEqual(askAmber(amber, AMBER_REQUEST.get, [0x78, 1]), [[0x8a, [
    1,
  ]]]);
});

Deno.test("VirtualAmb8465 answers reset, RSSI, channel, UART speed and data requests; unknown commands go unanswered", () => {
  const amber = new VirtualAmb8465({ rssi: 0x20 });
  assert.deepEqual(askAmber(amber, AMBER_REQUEST.rssi), [[0x8d, [0x20]]]);
  for (
    const c of [
      AMBER_REQUEST.setChannel,
      AMBER_REQUEST.setUartSpeed,
      AMBER_REQUEST.data,
    ]
  ) {
    assert.deepEqual(askAmber(amber, c, [1]), [[c | 0x80, [0]]]);
  }
  assert.equal(amber.linkMode, null);
  assert.deepEqual(askAmber(amber, AMBER_REQUEST.reset), [[0x85, [0]]]);
  assert.equal(amber.linkMode, 0x08, "reset listens in the preselected mode");
  assert.deepEqual(askAmber(amber, 0x7e), []);
  assert.equal(amber.unanswered, 1);
  assert.deepEqual(
    askAmber(amber, AMBER_REQUEST.setMode),
    [[0x84, [1]]],
    "mode byte missing",
  );
});

Deno.test("VirtualAmb8465 after a reset with UART_CMD_Out_Enable = 0 sends telegrams transparently (L counts the RSSI)", () => {
  const amber = new VirtualAmb8465();
  const t = onAir("T1");
  askAmber(amber, AMBER_REQUEST.set, [AMBER_PARAMETER.cmdOutEnable, 1, 0]);
  askAmber(amber, AMBER_REQUEST.setMode, [0x09]);
  const before = amber.indicate(t.telegram, "T1");
  assert.equal(before?.[0], 0xff, "the written parameter waits for a reset");
  askAmber(amber, AMBER_REQUEST.reset);
  const ind = amber.indicate(t.telegram, "T1");
  assert.ok(ind);
  assert.equal(ind[0], t.telegram.length, "L + 1 for the RSSI byte");
  assert.equal(ind[ind.length - 1], 0x14);
  const [got] = new Amb8465Codec().push(ind, 0);
  assert.deepEqual([...(got?.telegram ?? [])], [...t.telegram]);
  askAmber(amber, AMBER_REQUEST.factoryReset);
  assert.equal(amber.indicate(t.telegram, "T1")?.[0], 0xff);
});
