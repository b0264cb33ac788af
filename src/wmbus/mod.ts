/**
 * Wireless M-Bus (EN 13757-4, OMS): link layer (formats A/B, CRC), ELL, AFL, TPL, AES
 * (ELL CTR, modes 5 and 7), default keys, duplicate suppression and the receiver dongle
 * protocols. May import util, app and transport. The drivers live in `./drivers/`.
 *
 * @example
 * ```ts
 * import { parseTelegram } from "./mod.ts";
 * import { fromHex } from "../util/mod.ts";
 * const r = parseTelegram(fromHex("1C44333003020100071B7A630020002F2F0265D2000242657E000165B5"));
 * if (r.ok) console.log(r.value.id, r.value.ci.toString(16));
 * ```
 * @module
 */
export * from "./aes.ts";
export * from "./analyze.ts";
export * from "./afl.ts";
export * from "./constants.ts";
export * from "./crc.ts";
export * from "./deduplicator.ts";
export * from "./ell.ts";
export * from "./fragments.ts";
export * from "./encode_telegram.ts";
export * from "./keys.ts";
export * from "./link.ts";
export * from "./meter_decoder.ts";
export * from "./meter_key.ts";
export * from "./parse_telegram.ts";
export * from "./receivers/mod.ts";
export * from "./security.ts";
export * from "./telegram.ts";
export * from "./tpl.ts";
export * from "./vendor_security.ts";
