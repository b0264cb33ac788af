/**
 * struct termios for x86_64 / aarch64 Linux glibc and the raw 8E1 setup of EN 13757-2.
 *
 * @module
 */
import { errno, libc } from "./libc_ffi.ts";

/** sizeof(struct termios): 4 flag words, c_line, c_cc[32], c_ispeed, c_ospeed. */
export const TERMIOS_SIZE = 60;
const C_IFLAG = 0;
const C_OFLAG = 4;
const C_CFLAG = 8;
const C_LFLAG = 12;
const C_CC = 17;
const VTIME = 5;
const VMIN = 6;

// c_iflag
const IGNBRK = 0o1;
const BRKINT = 0o2;
const IGNPAR = 0o4;
const PARMRK = 0o10;
const INPCK = 0o20;
const ISTRIP = 0o40;
const INLCR = 0o100;
const IGNCR = 0o200;
const ICRNL = 0o400;
const IXON = 0o2000;
const IXANY = 0o4000;
const IXOFF = 0o10000;
// c_oflag
const OPOST = 0o1;
// c_cflag
const CSIZE = 0o60;
const CS8 = 0o60;
const CSTOPB = 0o100;
const CREAD = 0o200;
const PARENB = 0o400;
const PARODD = 0o1000;
const CLOCAL = 0o4000;
const CBAUD = 0o10017;
const CRTSCTS = 0o20000000000;
// c_lflag
const ISIG = 0o1;
const ICANON = 0o2;
const ECHO = 0o10;
const ECHOE = 0o20;
const ECHOK = 0o40;
const ECHONL = 0o100;
const IEXTEN = 0o100000;

/** tcsetattr: apply now. */
export const TCSANOW = 0;
/** tcflush: both queues. */
export const TCIOFLUSH = 2;

/**
 * Speed constants (Bxxx): the EN 13757-2 baud rates, plus 57600 and 115200 for wireless
 * M-Bus receiver dongles.
 */
export const SPEED_CODES: ReadonlyMap<number, number> = new Map([
  [300, 0o7],
  [600, 0o10],
  [1200, 0o11],
  [2400, 0o13],
  [4800, 0o14],
  [9600, 0o15],
  [19200, 0o16],
  [38400, 0o17],
  [57600, 0o10001],
  [115200, 0o10002],
]);

/** Parity of a serial line: M-Bus uses even (8E1), receiver dongles none (8N1). */
export type Parity = "even" | "none";

/** A termios buffer with typed access to its flag words. */
export class Termios {
  /** The raw struct. */
  readonly bytes: Uint8Array<ArrayBuffer> = new Uint8Array(TERMIOS_SIZE);
  #view = new DataView(this.bytes.buffer);

  /** Input flags. */
  get iflag(): number {
    return this.#view.getUint32(C_IFLAG, true);
  }
  set iflag(v: number) {
    this.#view.setUint32(C_IFLAG, v >>> 0, true);
  }
  /** Output flags. */
  get oflag(): number {
    return this.#view.getUint32(C_OFLAG, true);
  }
  set oflag(v: number) {
    this.#view.setUint32(C_OFLAG, v >>> 0, true);
  }
  /** Control flags. */
  get cflag(): number {
    return this.#view.getUint32(C_CFLAG, true);
  }
  set cflag(v: number) {
    this.#view.setUint32(C_CFLAG, v >>> 0, true);
  }
  /** Local flags. */
  get lflag(): number {
    return this.#view.getUint32(C_LFLAG, true);
  }
  set lflag(v: number) {
    this.#view.setUint32(C_LFLAG, v >>> 0, true);
  }

  /** The Bxxx speed code held in the control flags. */
  get speedCode(): number {
    return this.cflag & CBAUD;
  }

  /** True for raw 8-bit mode: no echo, no line editing, no signals, no output processing. */
  get isRaw(): boolean {
    return (this.lflag & (ECHO | ICANON | ISIG | IEXTEN)) === 0 &&
      (this.oflag & OPOST) === 0 && (this.cflag & CSIZE) === CS8 &&
      (this.iflag & (IXON | IXOFF | ICRNL | INLCR | IGNCR | ISTRIP)) === 0;
  }

  /** True when the receiver is on and modem lines are ignored. */
  get isLocalReceiver(): boolean {
    return (this.cflag & (CREAD | CLOCAL)) === (CREAD | CLOCAL);
  }

  /**
   * Sets a control character.
   *
   * @param index VMIN, VTIME, ….
   * @param value The byte.
   */
  setCc(index: number, value: number): void {
    this.bytes[C_CC + index] = value;
  }
}

/**
 * Reads the terminal settings of `fd`.
 *
 * @param fd File descriptor.
 * @returns The settings, or the errno on failure.
 */
export function getAttr(fd: number): Termios | number {
  const t = new Termios();
  return libc().tcgetattr(fd, t.bytes) === 0 ? t : errno();
}

/**
 * Makes `t` raw at `baudRate`: 8 data bits, even parity (or none), 1 stop bit, receiver on,
 * modem lines ignored, no flow control, no echo, no line editing, no translation;
 * VMIN = 1, VTIME = 0: with O_NONBLOCK an empty queue then reads as EAGAIN, not as 0
 * (which Linux returns for VMIN = 0 and which would look like a hang-up); waits are driven
 * by poll.
 *
 * @param t The settings to change.
 * @param baudRate A rate of {@link SPEED_CODES}.
 * @param parity `even` (M-Bus, default) or `none`.
 * @returns 0, or the errno of cfsetispeed/cfsetospeed.
 */
export function makeRaw(
  t: Termios,
  baudRate: number,
  parity: Parity = "even",
): number {
  t.iflag = t.iflag &
    ~(IGNBRK | BRKINT | IGNPAR | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL |
      IXON | IXANY | IXOFF | INPCK);
  t.oflag = t.oflag & ~OPOST;
  t.lflag = t.lflag &
    ~(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
  t.cflag = (t.cflag & ~(CSIZE | CSTOPB | PARENB | PARODD | CRTSCTS)) | CS8 |
    (parity === "even" ? PARENB : 0) | CREAD | CLOCAL;
  t.setCc(VMIN, 1);
  t.setCc(VTIME, 0);
  return setSpeed(t, baudRate);
}

/**
 * Sets input and output speed in `t`.
 *
 * @param t The settings.
 * @param baudRate A rate of {@link SPEED_CODES}.
 * @returns 0, or the errno (EINVAL for a rate without a speed code).
 */
export function setSpeed(t: Termios, baudRate: number): number {
  const code = SPEED_CODES.get(baudRate);
  if (code === undefined) return 22;
  const l = libc();
  if (l.cfsetispeed(t.bytes, code) !== 0) return errno();
  if (l.cfsetospeed(t.bytes, code) !== 0) return errno();
  return 0;
}

/**
 * Applies raw 8E1 settings, accepting a device that cannot do parity: glibc reports EINVAL
 * when the kernel dropped PARENB (a pseudo-terminal always does). Then the settings are read
 * back, and if everything else was applied the call counts as a success.
 *
 * @param fd File descriptor.
 * @param t The wanted settings.
 * @returns `{ errno: 0, parity }` on success (parity false when the device dropped it), or
 *   the errno.
 */
export function applyAttr(
  fd: number,
  t: Termios,
): { errno: number; parity: boolean } {
  const e = setAttr(fd, t);
  if (e === 0) {
    const now = getAttr(fd);
    const parity = typeof now === "number" || (now.cflag & PARENB) !== 0;
    return { errno: 0, parity };
  }
  if (e !== 22) return { errno: e, parity: false };
  const now = getAttr(fd);
  if (typeof now === "number") return { errno: e, parity: false };
  const mask = ~(PARENB | CSIZE) >>> 0;
  const same = now.iflag === t.iflag && now.oflag === t.oflag &&
    now.lflag === t.lflag &&
    ((now.cflag & mask) >>> 0) === ((t.cflag & mask) >>> 0);
  return same ? { errno: 0, parity: false } : { errno: e, parity: false };
}

/**
 * Applies settings now.
 *
 * @param fd File descriptor.
 * @param t The settings.
 * @returns 0, or the errno.
 */
export function setAttr(fd: number, t: Termios): number {
  return libc().tcsetattr(fd, TCSANOW, t.bytes) === 0 ? 0 : errno();
}
