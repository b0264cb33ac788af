/**
 * Every code an {@link MbusError} may carry, one string-literal union per layer. They are
 * written here, in util, because `MbusError` lives here and util imports no other layer;
 * each layer's own error classes narrow to their union. The HTTP status of each code is in
 * `src/api/errors.ts` (`ERROR_STATUS`), the CLI exit code in `src/cli/exit_codes.ts`
 * (`EXIT_CODE`); both are `Record<NamedErrorCode, …>`, so a new code without an entry there
 * fails the type check.
 *
 * Decoders do not throw: their {@link DecodeError} codes are data, not listed here; where one
 * is passed on as an operational error it is marked with {@link forwardDecodeCode}.
 *
 * @module
 */

/** Codes of an address, mask or `%mbus:` path that cannot be parsed (`AddressError`). */
export type AddressErrorCode = "BAD_ADDRESS" | "BAD_MASK" | "BAD_PATH";

/** Codes of util's own errors: cancellation, a virtual clock with nothing to run, config. */
export type UtilErrorCode =
  | "ABORTED"
  | "DEADLOCK"
  | "INVALID_CONFIG"
  | AddressErrorCode;

/** Codes of a transport (serial port, TCP converter, pty): `TransportError`. */
export type TransportErrorCode =
  | "PORT_NOT_FOUND"
  | "PORT_BUSY"
  | "PERMISSION_DENIED"
  | "NOT_A_TTY"
  | "CONNECT_FAILED"
  | "CLOSED"
  | "IO";

/** Codes of the wired master. */
export type MasterErrorCode =
  | "NO_RESPONSE"
  | "COLLISION"
  | "BAD_ANSWER"
  | "ADDRESS_IN_USE";

/** Codes of the wireless receivers. */
export type WmbusErrorCode = "UNKNOWN_RECEIVER";

/** Codes of the gateway (instances, scans, the bus arbiter). */
export type GatewayErrorCode =
  | "NOT_FOUND"
  | "BUS_BUSY"
  | "BAD_SCAN"
  | "SCAN_FINISHED"
  | "STOPPED"
  | "UNSUPPORTED";

/** Codes the HTTP API raises itself. */
export type ApiErrorCode =
  | "BAD_REQUEST"
  | "BAD_BAUD_RATE"
  | "CONFIRMATION_REQUIRED"
  | "UNAUTHORIZED"
  | "CROSS_SITE"
  | "HOST_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "INTERNAL";

/** Codes of the MQTT bridge. */
export type MqttErrorCode = "TIMEOUT" | "BAD_COMMAND";

/** Codes of the command line. */
export type CliErrorCode = "USAGE";

/** Every named error code (public API: clients switch on these). */
export type NamedErrorCode =
  | UtilErrorCode
  | TransportErrorCode
  | MasterErrorCode
  | WmbusErrorCode
  | GatewayErrorCode
  | ApiErrorCode
  | MqttErrorCode
  | CliErrorCode;

/**
 * A decoder's code passed on unchanged as an operational error (a wireless meter whose
 * telegrams cannot be decoded: `WRONG_KEY`, `TRUNCATED`, …). Open-ended data from the
 * codecs; it has no entry in the tables and maps to HTTP 500 and exit code 1.
 */
export type ForwardedDecodeCode = string & {
  readonly forwardedDecodeCode: true;
};

/** Every code an `MbusError` may carry. */
export type ErrorCode = NamedErrorCode | ForwardedDecodeCode;

/**
 * Marks a decoder's code for use as an error code.
 *
 * @param code A {@link DecodeError} code.
 * @returns The same text, typed as forwarded.
 */
export function forwardDecodeCode(code: string): ForwardedDecodeCode {
  return code as ForwardedDecodeCode;
}
