/**
 * The machine's serial interfaces: `GET /api/serial-ports`, for choosing an instance's
 * `serialPort` (the stable `/dev/serial/by-id/…` name is recommended).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listSerialPorts, type SerialPortInfo } from "../../transport/mod.ts";
import { errors, json, router, send, withExample } from "../route_kit.ts";

const Usb = z.object({
  vendorId: z.string().openapi({ example: "0403" }),
  productId: z.string().openapi({ example: "6001" }),
  manufacturer: z.string().nullable(),
  product: z.string().nullable(),
  serial: z.string().nullable(),
});

const Ports = withExample(
  "SerialPorts",
  z.object({
    ports: z.array(z.object({
      device: z.string(),
      byId: z.string().nullable(),
      byPath: z.string().nullable(),
      recommended: z.string().openapi({
        description:
          "The name to configure: by-id, else by-path, else the device",
      }),
      driver: z.string().nullable(),
      usb: Usb.nullable(),
    })),
  }).openapi("SerialPorts"),
  {
    ports: [{
      device: "/dev/ttyUSB0",
      byId: "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
      byPath: "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0",
      recommended:
        "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
      driver: "ftdi_sio",
      usb: {
        vendorId: "0403",
        productId: "6001",
        manufacturer: "FTDI",
        product: "FT232R USB UART",
        serial: "A50285BI",
      },
    }],
  },
);

const list = createRoute({
  method: "get",
  path: "/api/serial-ports",
  operationId: "listSerialPorts",
  summary:
    "Serial interfaces with their stable /dev/serial/by-id names, USB vendor and product, driver and device",
  responses: {
    200: json(Ports, "The ports"),
    ...errors(403),
  },
});

/**
 * The route of the serial ports.
 *
 * @param listPorts Lists the ports (the real system by default; tests pass a fake tree's).
 * @returns A router mounted at `/`.
 */
export function serialPortRoutes(
  listPorts: () => Promise<SerialPortInfo[]> = () => listSerialPorts(),
): OpenAPIHono {
  const app = router();
  app.openapi(list, async (c) => send(c, { ports: await listPorts() }));
  return app;
}
