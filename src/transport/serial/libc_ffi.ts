/**
 * The few libc calls the serial port and the pseudo-terminal need, through Deno FFI
 * (x86_64 / aarch64 Linux, glibc). Opened once per process on first use.
 *
 * @module
 */
import { TransportError } from "../../util/mod.ts";

const SYMBOLS = {
  open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  poll: {
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
  tcgetattr: { parameters: ["i32", "buffer"], result: "i32" },
  tcsetattr: { parameters: ["i32", "i32", "buffer"], result: "i32" },
  cfsetispeed: { parameters: ["buffer", "u32"], result: "i32" },
  cfsetospeed: { parameters: ["buffer", "u32"], result: "i32" },
  cfmakeraw: { parameters: ["buffer"], result: "void" },
  tcflush: { parameters: ["i32", "i32"], result: "i32" },
  flock: { parameters: ["i32", "i32"], result: "i32" },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  posix_openpt: { parameters: ["i32"], result: "i32" },
  grantpt: { parameters: ["i32"], result: "i32" },
  unlockpt: { parameters: ["i32"], result: "i32" },
  ptsname_r: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The bound libc symbols. */
export type LibcSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let cached: LibcSymbols | undefined;

/**
 * Opens libc on first use (needs `--allow-ffi`).
 *
 * @returns The bound symbols.
 * @throws {TransportError} `PERMISSION_DENIED` without `--allow-ffi`, `IO` when libc
 *   cannot be loaded (not Linux with glibc).
 */
export function libc(): LibcSymbols {
  if (cached !== undefined) return cached;
  try {
    cached = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
    return cached;
  } catch (e) {
    if (
      e instanceof Deno.errors.NotCapable ||
      e instanceof Deno.errors.PermissionDenied
    ) {
      throw new TransportError(
        "PERMISSION_DENIED",
        "Cannot use serial ports: FFI is not allowed (run with --allow-ffi)",
        { cause: e },
      );
    }
    throw new TransportError(
      "IO",
      `Cannot use serial ports: libc.so.6 could not be loaded (Linux with glibc is needed): ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}

/**
 * Reads `errno` of the calling thread. Valid right after a synchronous call that failed.
 *
 * @returns The errno value.
 */
export function errno(): number {
  const p = libc().__errno_location();
  return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32(0);
}

/** Linux errno values used here. */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  EBADF: 9,
  EAGAIN: 11,
  EACCES: 13,
  EBUSY: 16,
  ENODEV: 19,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  ENOTTY: 25,
} as const;

/** open(2) flags (Linux). */
export const O_RDWR = 0o2;
/** Do not make the port the controlling terminal. */
export const O_NOCTTY = 0o400;
/** Non-blocking reads and writes. */
export const O_NONBLOCK = 0o4000;
/** Close on exec. */
export const O_CLOEXEC = 0o2000000;
/** flock(2): exclusive lock. */
export const LOCK_EX = 2;
/** flock(2): do not block. */
export const LOCK_NB = 4;
/** eventfd(2): non-blocking. */
export const EFD_NONBLOCK = 0o4000;
/** eventfd(2): close on exec. */
export const EFD_CLOEXEC = 0o2000000;
/** poll(2) event bits. */
export const POLLIN = 0x001;
/** Writable. */
export const POLLOUT = 0x004;
/** Error condition. */
export const POLLERR = 0x008;
/** Hang-up. */
export const POLLHUP = 0x010;
/** Invalid fd. */
export const POLLNVAL = 0x020;

/**
 * A NUL-terminated C string.
 *
 * @param s The text.
 * @returns UTF-8 bytes with a trailing 0.
 */
export function cString(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${s}\0`);
}

/**
 * Converts a `number | bigint` FFI result to a number.
 *
 * @param v The result.
 * @returns The number.
 */
export function num(v: number | bigint): number {
  return typeof v === "bigint" ? Number(v) : v;
}
