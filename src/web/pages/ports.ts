/**
 * Serial ports of the machine (`GET /api/serial-ports`): the stable `/dev/serial/by-id/…`
 * name, USB vendor and product, and the plain device, recommending the stable name.
 *
 * @module
 */
import { api } from "../api.ts";
import { ErrorNote, useData } from "../components/common.ts";
import { html } from "../html.ts";

/** A serial port as the API lists it. */
export interface PortRow {
  device: string;
  byId: string | null;
  recommended: string;
  driver: string | null;
  usb: {
    vendorId: string;
    productId: string;
    manufacturer: string | null;
    product: string | null;
    serial: string | null;
  } | null;
}

function loadPorts(): Promise<{ ports: PortRow[] }> {
  return api<{ ports: PortRow[] }>("GET", "/api/serial-ports");
}

/**
 * The list of ports with a copy field of the recommended name, for instance settings.
 *
 * @param props The instance's current serial port.
 * @returns The element.
 */
export function PortChoice(props: { current: string }): preact.JSX.Element {
  const { data } = useData(loadPorts, "ports");
  const ports = data?.ports ?? [];
  if (ports.length === 0) return html`<span></span>`;
  const match = ports.find((p) =>
    p.device === props.current || p.byId === props.current
  );
  return html`<p class="note">
    ${
    match && match.byId && props.current !== match.byId
      ? html`Use the stable name <code>${match.byId}</code> instead of <code>${props.current}</code>: it survives re-plugging.`
      : html`Serial ports here: ${
        ports.map((p) =>
          html`
            <code>${p.recommended}</code>
          `
        )
      }`
  }
  </p>`;
}

/**
 * The page.
 *
 * @returns The element.
 */
export function PortsPage(): preact.JSX.Element {
  const { data, error } = useData(loadPorts, "ports");
  const ports = data?.ports ?? [];
  return html`<section aria-labelledby="h-ports">
    <h1 id="h-ports">Serial ports</h1>
    <${ErrorNote} message=${error} />
    ${
    data && ports.length === 0
      ? html`<p class="muted">No serial interfaces found.</p>`
      : null
  }
    <div class="table-wrap"><table>
      <caption>Use the recommended name in an instance's serialPort: it stays the same across re-plugging and reboots.</caption>
      <thead><tr><th scope="col">Recommended name</th><th scope="col">Device</th>
        <th scope="col">USB vendor:product</th><th scope="col">Product</th><th scope="col">Driver</th></tr></thead>
      <tbody>${
    ports.map((p) =>
      html`
        <tr>
          <th scope="row" class="mono">${p.recommended}</th>
          <td class="mono">${p.device}</td>
          <td class="mono">${p.usb
            ? `${p.usb.vendorId}:${p.usb.productId}`
            : "–"}</td>
          <td>${p.usb
            ? [p.usb.manufacturer, p.usb.product].filter(Boolean).join(" ")
            : "–"}</td>
          <td>${p.driver ?? "–"}</td>
        </tr>
      `
    )
  }</tbody>
    </table></div>
  </section>`;
}
