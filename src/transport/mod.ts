/**
 * Transports: the {@link Transport} interface, the serial port (Deno FFI over libc termios,
 * raw 8E1, or 8N1 for wireless dongles), the TCP client for M-Bus-to-TCP converters, and a pseudo-terminal for the
 * simulator and tests.
 *
 * @module
 */
export * from "./transport.ts";
export { openPty, type Pty, type PtyOptions } from "./pty.ts";
export type { Parity } from "./serial/termios.ts";
export {
  type SerialOptions,
  SerialTransport,
} from "./serial/serial_transport.ts";
export { openError } from "./serial/open_port.ts";
export {
  listSerialPorts,
  type PortRoots,
  type SerialPortInfo,
  type UsbInfo,
} from "./serial/ports.ts";
export { Backoff, type BackoffOptions, retryWithBackoff } from "./backoff.ts";
export {
  type TcpConnectionStats,
  type TcpOptions,
  TcpTransport,
} from "./tcp_transport.ts";
export { ByteQueue } from "./byte_queue.ts";
export {
  type LinkListener,
  type LinkState,
  type LinkStatus,
  LinkTracker,
} from "./link_status.ts";
export { readStreamBounded, readTextBounded } from "./read_bounded.ts";
