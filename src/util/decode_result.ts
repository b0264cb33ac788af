/**
 * Decode outcomes as values: decoders never throw on bad input.
 *
 * @module
 */

/** A decode failure: a stable code, the byte offset where it was found, a one-line message. */
export interface DecodeError {
  /** Stable SCREAMING_SNAKE code, e.g. `BAD_CHECKSUM`. Switch on this, never on the message. */
  readonly code: string;
  /** Byte offset in the decoded input where the problem was found. */
  readonly offset: number;
  /** One-line human readable message. */
  readonly message: string;
}

/** Result of a decoder: the value, or a typed error. */
export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DecodeError };

/**
 * Wraps a decoded value.
 *
 * @param value The decoded value.
 * @returns A successful result.
 */
export function ok<T>(value: T): DecodeResult<T> {
  return { ok: true, value };
}

/**
 * Builds a failed result.
 *
 * @param code Stable error code.
 * @param offset Byte offset of the problem.
 * @param message One-line message.
 * @returns A failed result.
 */
export function fail<T = never>(
  code: string,
  offset: number,
  message: string,
): DecodeResult<T> {
  return { ok: false, error: { code, offset, message } };
}
