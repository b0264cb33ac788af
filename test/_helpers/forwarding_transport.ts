/**
 * A transport that hands every call to another one: the base of the test's "something
 * between the bus and the master" transports (a noisy line, an echoing converter), which
 * override only the calls they change.
 *
 * @module
 */
import type { Transport, TransportStats } from "../../src/transport/mod.ts";

/** Forwards every call to `inner`; subclasses override what they change. */
export class ForwardingTransport implements Transport {
  /** The transport calls go to. */
  protected readonly inner: Transport;

  /** @param inner The transport calls go to. */
  constructor(inner: Transport) {
    this.inner = inner;
  }
  /** The inner transport's name. */
  get name(): string {
    return this.inner.name;
  }
  /** The inner transport's rate. */
  get baudRate(): number {
    return this.inner.baudRate;
  }
  /** The inner transport's counters. */
  get stats(): TransportStats {
    return this.inner.stats;
  }
  /** Forwards. @param bytes Bytes. @param signal Cancels. */
  write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.inner.write(bytes, signal);
  }
  /** Forwards. @param max Most bytes. @param timeoutMs Wait. @param signal Cancels. */
  read(
    max: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    return this.inner.read(max, timeoutMs, signal);
  }
  /** Forwards. @returns Bytes dropped. */
  purge(): Promise<number> {
    return this.inner.purge();
  }
  /** Forwards. @param baudRate The new rate. */
  setBaudRate(baudRate: number): Promise<void> {
    return this.inner.setBaudRate(baudRate);
  }
  /** Forwards. */
  close(): Promise<void> {
    return this.inner.close();
  }
  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
