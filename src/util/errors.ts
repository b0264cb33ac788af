/**
 * Operational errors: typed, with a stable `code`, a `name` and a chained `cause`.
 * Decoders do not throw these; they return {@link DecodeResult}s.
 *
 * @module
 */
import type {
  AddressErrorCode,
  ErrorCode,
  TransportErrorCode,
} from "./error_codes.ts";

/** Options of an {@link MbusError}. */
export interface MbusErrorOptions {
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error mbusgw throws on purpose. */
export class MbusError extends Error {
  /** Stable SCREAMING_SNAKE code; public API. */
  readonly code: ErrorCode;

  /**
   * Creates the error.
   *
   * @param code Stable code.
   * @param message One line, sentence case, no final period.
   * @param options `cause`.
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: MbusErrorOptions = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.name = "MbusError";
  }
}

/** A transport failed: `PORT_NOT_FOUND`, `PORT_BUSY`, `PERMISSION_DENIED`, `CONNECT_FAILED`, `CLOSED`, `IO`. */
export class TransportError extends MbusError {
  declare readonly code: TransportErrorCode;

  /**
   * Creates the error.
   *
   * @param code Code.
   * @param message Message.
   * @param options Cause.
   */
  constructor(
    code: TransportErrorCode,
    message: string,
    options: MbusErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "TransportError";
  }
}

/** A configuration is invalid; `path` names the key, e.g. `gateways[0].addresses[3].polling`. */
export class ConfigError extends MbusError {
  declare readonly code: "INVALID_CONFIG";
  /** Key path of the bad value. */
  readonly path: string;

  /**
   * Creates the error.
   *
   * @param path Key path.
   * @param message Message.
   * @param options Cause.
   */
  constructor(path: string, message: string, options: MbusErrorOptions = {}) {
    super("INVALID_CONFIG", message, options);
    this.path = path;
    this.name = "ConfigError";
  }
}

/** An address, mask or path text could not be parsed (`BAD_ADDRESS`, `BAD_MASK`, `BAD_PATH`). */
export class AddressError extends MbusError {
  declare readonly code: AddressErrorCode;
  /** The text that was given. */
  readonly input: string;

  /**
   * Creates the error.
   *
   * @param code Code.
   * @param input The text.
   * @param message Message.
   */
  constructor(code: AddressErrorCode, input: string, message: string) {
    super(code, message);
    this.input = input;
    this.name = "AddressError";
  }
}

/** Wraps an abort so callers can tell cancellation from failure. */
export function isAbortError(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError" ||
    e instanceof MbusError && e.code === "ABORTED";
}
