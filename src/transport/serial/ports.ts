/**
 * Lists the machine's serial interfaces the way a technician needs them: the plain device
 * (`/dev/ttyUSB0`), its stable `/dev/serial/by-id/…` name (which survives re-plugging and
 * reboots, so it is the one to put in a config), the USB vendor and product, and the kernel
 * driver. Read from sysfs (`/sys/class/tty`) and the udev symlinks; the roots are options so
 * tests run on a fake tree.
 *
 * @module
 */

/** USB identity of a serial adapter. */
export interface UsbInfo {
  /** Vendor ID, 4 hex digits (`0403`). */
  vendorId: string;
  /** Product ID, 4 hex digits (`6001`). */
  productId: string;
  /** Manufacturer string, when the device reports one. */
  manufacturer: string | null;
  /** Product string. */
  product: string | null;
  /** Serial number string. */
  serial: string | null;
}

/** One serial interface. */
export interface SerialPortInfo {
  /** The device node, e.g. `/dev/ttyUSB0`. */
  device: string;
  /** Its `/dev/serial/by-id/…` name, or null. */
  byId: string | null;
  /** Its `/dev/serial/by-path/…` name, or null. */
  byPath: string | null;
  /** The name to configure: by-id, else by-path, else the device. */
  recommended: string;
  /** Kernel driver (`ftdi_sio`, `cp210x`, `cdc_acm`, `pl2303`), or null. */
  driver: string | null;
  /** USB identity, or null for a non-USB port. */
  usb: UsbInfo | null;
}

/** Where to look (the real system by default). */
export interface PortRoots {
  /** @default "/sys/class/tty" */
  sysClassTty?: string;
  /** @default "/dev" */
  dev?: string;
  /** @default "/dev/serial/by-id" */
  byId?: string;
  /** @default "/dev/serial/by-path" */
  byPath?: string;
}

/** Most interfaces listed (a machine has a few; sysfs could hold hundreds of ttys). */
const MAX_PORTS = 256;
/** Longest sysfs attribute read. */
const MAX_ATTR = 256;

async function readAttr(path: string): Promise<string | null> {
  try {
    const text = await Deno.readTextFile(path);
    const t = text.slice(0, MAX_ATTR).trim();
    return t === "" ? null : t;
  } catch {
    return null;
  }
}

async function realPath(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch {
    return null;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function parent(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/**
 * The USB identity above a sysfs device directory: the nearest ancestor with `idVendor`.
 *
 * @param deviceDir Resolved sysfs directory of the tty's device.
 * @returns The identity, or null when no USB device is above it.
 */
export async function readUsbInfo(deviceDir: string): Promise<UsbInfo | null> {
  let dir = deviceDir;
  for (let depth = 0; depth < 8 && dir !== "/"; depth++) {
    const vendor = await readAttr(`${dir}/idVendor`);
    if (vendor !== null) {
      return {
        vendorId: vendor.toLowerCase(),
        productId: (await readAttr(`${dir}/idProduct`) ?? "").toLowerCase(),
        manufacturer: await readAttr(`${dir}/manufacturer`),
        product: await readAttr(`${dir}/product`),
        serial: await readAttr(`${dir}/serial`),
      };
    }
    dir = parent(dir);
  }
  return null;
}

/**
 * The udev symlinks of a folder, by the device name they point to.
 *
 * @param dir `/dev/serial/by-id` or `/dev/serial/by-path`.
 * @returns Device name (`ttyUSB0`) → link path.
 */
export async function readLinks(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let entries: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(dir)) entries.push(e);
  } catch {
    return out;
  }
  entries = entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries.slice(0, MAX_PORTS)) {
    if (!e.isSymlink) continue;
    try {
      const target = await Deno.readLink(`${dir}/${e.name}`);
      const name = baseName(target);
      if (!out.has(name)) out.set(name, `${dir}/${e.name}`);
    } catch {
      // A link that vanished while listing is skipped.
    }
  }
  return out;
}

/**
 * The name to put in a config: the by-id name, else the by-path name, else the device.
 *
 * @param p The port's names.
 * @returns The recommended name.
 */
export function recommendedName(
  p: Pick<SerialPortInfo, "device" | "byId" | "byPath">,
): string {
  return p.byId ?? p.byPath ?? p.device;
}

/**
 * Every serial interface with hardware behind it (virtual consoles, pseudo-terminals and
 * the legacy platform UARTs the kernel always registers are left out), sorted by device.
 *
 * @param roots Where sysfs and /dev are.
 * @returns The ports.
 */
export async function listSerialPorts(
  roots: PortRoots = {},
): Promise<SerialPortInfo[]> {
  const sys = roots.sysClassTty ?? "/sys/class/tty";
  const dev = roots.dev ?? "/dev";
  const byId = await readLinks(roots.byId ?? "/dev/serial/by-id");
  const byPath = await readLinks(roots.byPath ?? "/dev/serial/by-path");
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(sys)) names.push(e.name);
  } catch {
    return [];
  }
  const ports: SerialPortInfo[] = [];
  for (const name of names.sort().slice(0, MAX_PORTS * 4)) {
    let deviceDir = await realPath(`${sys}/${name}/device`);
    if (deviceDir === null) continue;
    let subsystem = await realPath(`${deviceDir}/subsystem`);
    // Since Linux 6.x a UART's tty hangs below serial-base port/ctrl devices; the
    // hardware (and its driver) is further up.
    for (
      let i = 0;
      i < 3 && subsystem !== null && baseName(subsystem) === "serial-base";
      i++
    ) {
      deviceDir = parent(deviceDir);
      subsystem = await realPath(`${deviceDir}/subsystem`);
    }
    const driverDir = await realPath(`${deviceDir}/driver`);
    const usb = await readUsbInfo(deviceDir);
    // The 8250 driver registers ttyS0..ttyS31 on the platform bus whether or not a UART
    // exists; a real one shows up on pnp/pci/amba, or by a udev link.
    if (
      usb === null && subsystem !== null &&
      baseName(subsystem) === "platform" &&
      !byId.has(name) && !byPath.has(name)
    ) continue;
    const info = {
      device: `${dev}/${name}`,
      byId: byId.get(name) ?? null,
      byPath: byPath.get(name) ?? null,
    };
    ports.push({
      ...info,
      recommended: recommendedName(info),
      driver: driverDir === null ? null : baseName(driverDir),
      usb,
    });
    if (ports.length >= MAX_PORTS) break;
  }
  return ports;
}
