/**
 * Wireless M-Bus receivers: pure codecs for the IMST iM871A (HCI), the Amber AMB8465,
 * rtl_wmbus text lines and raw hex lines, plus {@link WmbusReceiver} (a codec over a
 * Transport, reopening by itself) and {@link detectReceiver}.
 *
 * @example
 * ```ts
 * import { Im871aCodec } from "./mod.ts";
 * const codec = new Im871aCodec();
 * codec.push(Uint8Array.of(0xa5, 0x02, 0x03, 0x00), Date.now()); // [] (empty indication)
 * ```
 * @module
 */
export * from "./amb8465.ts";
export * from "./detect.ts";
export * from "./hci.ts";
export * from "./im871a.ts";
export * from "./receiver.ts";
export * from "./stream_receiver.ts";
export * from "./text_lines.ts";
export * from "./types.ts";
