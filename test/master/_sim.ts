/**
 * Test helpers: a virtual bus with slaves, an in-process endpoint and a Master, all on one
 * VirtualClock.
 *
 * @module
 */
import { encodeRecords } from "../../src/app/mod.ts";
import { Master, type MasterOptions } from "../../src/master/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import {
  type InProcessEndpoint,
  VirtualBus,
  VirtualSlave,
  type VirtualSlaveOptions,
} from "../../sim/mod.ts";

/** A bus, its endpoint, a master and the clock. Dispose with `await using`. */
export interface SimRig extends AsyncDisposable {
  bus: VirtualBus;
  port: InProcessEndpoint;
  master: Master;
  clock: VirtualClock;
  /** Drives a promise on the virtual clock. */
  run<T>(p: Promise<T>): Promise<T>;
}

/** Builds a rig. */
export function rig(
  slaves: VirtualSlaveOptions[],
  options: Partial<Omit<MasterOptions, "transport" | "clock">> = {},
  baudRate = 2400,
): SimRig {
  const clock = new VirtualClock();
  const bus = new VirtualBus({ baudRate });
  for (const s of slaves) bus.addSlave(new VirtualSlave({ baudRate, ...s }));
  const port = bus.connect({ clock });
  const master = new Master({ transport: port, clock, ...options });
  return {
    bus,
    port,
    master,
    clock,
    run: (p) => clock.drive(p),
    async [Symbol.asyncDispose]() {
      await master.close();
      await port.close();
    },
  };
}

/** Records of one telegram: a volume and an energy value. */
export function telegram(volume: number, energy = 1000): Uint8Array {
  return encodeRecords([
    { vif: "13", raw: volume },
    { vif: "06", raw: energy },
  ]);
}

/** A water meter. */
export function meter(
  id: string,
  primaryAddress: number,
  extra: Partial<VirtualSlaveOptions> = {},
): VirtualSlaveOptions {
  return {
    id,
    manufacturer: "KAM",
    version: 1,
    medium: 7,
    primaryAddress,
    telegrams: [telegram(primaryAddress * 10)],
    ...extra,
  };
}
