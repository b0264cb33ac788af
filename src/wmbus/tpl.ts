/**
 * Transport layer headers (doc §7): none (0x78, 0x79), short (0x7A, 0x7B) and long
 * (0x72, 0x73) plus the rarer CIs with the same layouts; CFG decoding.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import { SECURITY_MODE, TPL_HEADERS, WMBUS_ERRORS } from "./constants.ts";
import { formatManufacturer, formatWmbusId } from "./link.ts";
import type { TplHeader } from "./telegram.ts";

/** A parsed TPL header plus the raw identity bytes mode 5/7 need. */
export interface TplResult {
  /** The header. */
  tpl: TplHeader;
  /** Long header: M (2), ID (4), version, type in DLL order (IV bytes 0–7); else null. */
  longAddress: Uint8Array | null;
  /** Header length in bytes, CI included. */
  headerLength: number;
}

/**
 * True if `ci` is a TPL CI this module knows.
 *
 * @param ci The CI byte.
 * @returns Whether {@link decodeTpl} accepts it.
 */
export function isTplCi(ci: number): boolean {
  return TPL_HEADERS.has(ci);
}

/**
 * Parses the TPL header at the start of `body`.
 *
 * @param body Bytes from the TPL CI to the end.
 * @param offset Offset of `body` in the frame (for errors).
 * @returns The header, or `TRUNCATED` / `UNSUPPORTED_CI`.
 */
export function decodeTpl(
  body: Uint8Array,
  offset: number,
): DecodeResult<TplResult> {
  const ci = body[0] ?? 0;
  const headerType = TPL_HEADERS.get(ci);
  if (headerType === undefined) {
    return fail(
      WMBUS_ERRORS.unsupportedCi,
      offset,
      `Cannot parse TPL: unsupported CI 0x${ci.toString(16).padStart(2, "0")}`,
    );
  }
  if (headerType === "none") {
    return ok({
      tpl: { ci, headerType, securityMode: SECURITY_MODE.none },
      longAddress: null,
      headerLength: 1,
    });
  }
  const base = headerType === "long" ? 9 : 1;
  if (body.length < base + 4) {
    return fail(
      WMBUS_ERRORS.truncated,
      offset + body.length,
      "Cannot read TPL header: too short",
    );
  }
  const config = (body[base + 2] ?? 0) | ((body[base + 3] ?? 0) << 8);
  const securityMode = (config >> 8) & 0x1f;
  const tpl: TplHeader = {
    ci,
    headerType,
    accessNumber: body[base] ?? 0,
    status: body[base + 1] ?? 0,
    config,
    securityMode,
    encryptedBlocks: (config >> 4) & 0x0f,
  };
  let headerLength = base + 4;
  if (securityMode === SECURITY_MODE.aesCbcKdf) {
    if (body.length < headerLength + 1) {
      return fail(
        WMBUS_ERRORS.truncated,
        offset + body.length,
        "Cannot read TPL CFG extension: too short",
      );
    }
    tpl.configExt = body[headerLength] ?? 0;
    headerLength++;
  }
  let longAddress: Uint8Array | null = null;
  if (headerType === "long") {
    const idBytes = body.subarray(1, 5);
    const m = (body[5] ?? 0) | ((body[6] ?? 0) << 8);
    tpl.id = formatWmbusId(idBytes);
    tpl.manufacturer = formatManufacturer(m);
    tpl.version = body[7] ?? 0;
    tpl.deviceType = body[8] ?? 0;
    longAddress = Uint8Array.of(
      body[5] ?? 0,
      body[6] ?? 0,
      ...idBytes,
      tpl.version,
      tpl.deviceType,
    );
  }
  return ok({ tpl, longAddress, headerLength });
}
