/**
 * Virtual wireless M-Bus meters: fixtures (`fixtures/wmbus/`), telegrams built with the
 * project's encoders (plain and AES mode 5), periodic transmission on a Clock, and the
 * receivers they reach: a virtual iM871A (in process or on a pseudo-terminal) and
 * rtl_wmbus text lines (TCP or a stream); a virtual AMB8465 likewise, and either dongle
 * behind a TCP port (`startDongleTcp`). The dongles answer the start-up and configuration
 * requests of receiver software (wmbusmeters reads them on a pty). May import the codecs
 * of src/ and fixtures/.
 *
 * @example
 * ```ts
 * import { connectIm871a, createWirelessSimulation } from "./mod.ts";
 * const air = createWirelessSimulation({ meters: ["itron_water"] });
 * await using dongle = connectIm871a(air); // a Transport for a WmbusReceiver
 * air.transmit();
 * ```
 * @module
 */
export * from "./wireless_meter.ts";
export * from "./wireless_fixtures.ts";
export * from "./wireless_simulation.ts";
export * from "./virtual_im871a.ts";
export * from "./virtual_dongle.ts";
export * from "./virtual_amb8465.ts";
export * from "./dongle_endpoints.ts";
export * from "./dongle_tcp.ts";
export * from "./rtl_wmbus_endpoints.ts";
export * from "./serve_wireless.ts";
