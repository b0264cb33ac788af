/**
 * The CLI's exit code for each error code: 2 when the user can fix the command (usage, the
 * config file, an address, mask or path, the port or converter named), 1 when the run
 * failed (a meter did not answer, the bus was busy, …). Every named code has an entry, so a
 * new code without one fails the type check. Success is 0.
 *
 * @module
 */
import { type ErrorCode, MbusError, type NamedErrorCode } from "../util/mod.ts";

/** Exit code 2: the command, its config or the port it names needs fixing. */
const FIX_THE_COMMAND = 2;
/** Exit code 1: the run failed. */
const RUN_FAILED = 1;

/** Exit code for each named error code. */
export const EXIT_CODE: Readonly<Record<NamedErrorCode, 1 | 2>> = {
  USAGE: FIX_THE_COMMAND,
  INVALID_CONFIG: FIX_THE_COMMAND,
  BAD_ADDRESS: FIX_THE_COMMAND,
  BAD_MASK: FIX_THE_COMMAND,
  BAD_PATH: FIX_THE_COMMAND,
  PORT_NOT_FOUND: FIX_THE_COMMAND,
  PORT_BUSY: FIX_THE_COMMAND,
  PERMISSION_DENIED: FIX_THE_COMMAND,
  NOT_A_TTY: FIX_THE_COMMAND,
  CONNECT_FAILED: FIX_THE_COMMAND,
  CLOSED: FIX_THE_COMMAND,
  IO: FIX_THE_COMMAND,
  ABORTED: RUN_FAILED,
  DEADLOCK: RUN_FAILED,
  NO_RESPONSE: RUN_FAILED,
  COLLISION: RUN_FAILED,
  BAD_ANSWER: RUN_FAILED,
  ADDRESS_IN_USE: RUN_FAILED,
  UNKNOWN_RECEIVER: RUN_FAILED,
  NOT_FOUND: RUN_FAILED,
  BUS_BUSY: RUN_FAILED,
  BAD_SCAN: RUN_FAILED,
  SCAN_FINISHED: RUN_FAILED,
  STOPPED: RUN_FAILED,
  UNSUPPORTED: RUN_FAILED,
  BAD_REQUEST: RUN_FAILED,
  BAD_BAUD_RATE: RUN_FAILED,
  CONFIRMATION_REQUIRED: RUN_FAILED,
  UNAUTHORIZED: RUN_FAILED,
  CROSS_SITE: RUN_FAILED,
  HOST_NOT_ALLOWED: RUN_FAILED,
  PAYLOAD_TOO_LARGE: RUN_FAILED,
  UNSUPPORTED_MEDIA_TYPE: RUN_FAILED,
  INTERNAL: RUN_FAILED,
  TIMEOUT: RUN_FAILED,
  BAD_COMMAND: RUN_FAILED,
};

/**
 * The exit code for an error code; a forwarded decoder code exits 1.
 *
 * @param code The code.
 * @returns 1 or 2.
 */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  return Object.hasOwn(EXIT_CODE, code)
    ? EXIT_CODE[code as NamedErrorCode]
    : RUN_FAILED;
}

/**
 * The exit code for anything thrown out of a command: by code for an {@link MbusError},
 * 1 for anything else.
 *
 * @param e What was thrown.
 * @returns 1 or 2.
 */
export function exitCodeOf(e: unknown): 1 | 2 {
  return e instanceof MbusError ? exitCodeFor(e.code) : RUN_FAILED;
}
