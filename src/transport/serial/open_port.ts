/**
 * Opening a serial device: open(2) non-blocking, an exclusive flock, raw termios; and the
 * mapping of errno values to clear {@link TransportError}s.
 *
 * @module
 */
import { TransportError } from "../../util/mod.ts";
import {
  cString,
  Errno,
  errno,
  libc,
  LOCK_EX,
  LOCK_NB,
  O_CLOEXEC,
  O_NOCTTY,
  O_NONBLOCK,
  O_RDWR,
} from "./libc_ffi.ts";
import {
  applyAttr,
  getAttr,
  makeRaw,
  type Parity,
  SPEED_CODES,
  TCIOFLUSH,
} from "./termios.ts";

/**
 * Maps an errno from opening a port to a {@link TransportError}.
 *
 * @param path The port path.
 * @param e The errno.
 * @returns `PORT_NOT_FOUND`, `PERMISSION_DENIED`, `PORT_BUSY`, `NOT_A_TTY` or `IO`.
 */
export function openError(path: string, e: number): TransportError {
  const what = `Cannot open serial port "${path}"`;
  switch (e) {
    case Errno.ENOENT:
    case Errno.ENOTDIR:
      return new TransportError("PORT_NOT_FOUND", `${what}: no such file`);
    case Errno.ENXIO:
    case Errno.ENODEV:
      return new TransportError("PORT_NOT_FOUND", `${what}: no such device`);
    case Errno.EACCES:
    case Errno.EPERM:
      return new TransportError(
        "PERMISSION_DENIED",
        `${what}: permission denied`,
      );
    case Errno.EBUSY:
    case Errno.EAGAIN:
      return new TransportError("PORT_BUSY", `${what}: device is busy`);
    case Errno.EISDIR:
      return new TransportError("NOT_A_TTY", `${what}: is a directory`);
    case Errno.ENOTTY:
    case Errno.EINVAL:
      return new TransportError("NOT_A_TTY", `${what}: not a terminal`);
    default:
      return new TransportError("IO", `${what}: errno ${e}`);
  }
}

/**
 * Checks a line speed.
 *
 * @param baudRate The rate.
 * @throws {RangeError} Not an EN 13757-2 rate, 57600 or 115200.
 */
export function checkBaud(baudRate: number): void {
  if (!SPEED_CODES.has(baudRate)) {
    throw new RangeError(
      `Cannot set baud rate ${baudRate}: expected one of ${
        [...SPEED_CODES.keys()].join(", ")
      }`,
    );
  }
}

/** An open, locked, raw serial fd. */
export interface OpenedPort {
  /** The file descriptor (O_NONBLOCK). */
  fd: number;
  /** True when the device kept even parity. */
  evenParity: boolean;
}

/**
 * Opens, locks and configures a port; flushes both queues.
 *
 * @param path Device path.
 * @param baudRate Line speed (checked by the caller).
 * @param parity `even` or `none`.
 * @returns The fd and whether parity stuck.
 * @throws {TransportError} See {@link openError}; `PORT_BUSY` when another process holds
 *   the lock.
 */
export function openPort(
  path: string,
  baudRate: number,
  parity: Parity,
): OpenedPort {
  const c = libc();
  const fd = c.open(
    cString(path),
    O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
    0,
  );
  if (fd < 0) throw openError(path, errno());
  try {
    if (c.flock(fd, LOCK_EX | LOCK_NB) !== 0) {
      const e = errno();
      throw e === Errno.EAGAIN
        ? new TransportError(
          "PORT_BUSY",
          `Cannot open serial port "${path}": device is busy (locked by another process)`,
        )
        : openError(path, e);
    }
    const t = getAttr(fd);
    if (typeof t === "number") throw openError(path, t);
    const e = makeRaw(t, baudRate, parity);
    if (e !== 0) throw openError(path, e);
    const applied = applyAttr(fd, t);
    if (applied.errno !== 0) throw openError(path, applied.errno);
    c.tcflush(fd, TCIOFLUSH);
    return { fd, evenParity: applied.parity };
  } catch (err) {
    c.close(fd);
    throw err;
  }
}
