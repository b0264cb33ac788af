/**
 * Commands on one meter, each behind a dialog that names the meter: set its primary address,
 * set its baud rate, remove it from the config. Results and `restartRequired` are shown.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { api, instanceUrl } from "../api.ts";
import { html } from "../html.ts";
import { ErrorNote, Modal } from "./common.ts";

const RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400];

/** What names a meter in a confirmation. */
export interface MeterIdentity {
  /** Configured name (address). */
  name: string;
  /** Identification number. */
  id?: string | null;
  /** Manufacturer code. */
  manufacturer?: string | null;
  /** Medium name. */
  medium?: string | null;
}

/**
 * The meter in words: `meter 3 (ID 12345678, KAM, Heat (outlet))`.
 *
 * @param m The meter.
 * @returns Text.
 */
export function meterTitle(m: MeterIdentity): string {
  const parts = [
    m.id ? `ID ${m.id}` : "",
    m.manufacturer ?? "",
    m.medium ?? "",
  ].filter(Boolean);
  return `meter ${m.name}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/**
 * The restart note of a config change.
 *
 * @param r The answer's `restartRequired`.
 * @returns Text.
 */
export function restartText(r: unknown): string {
  if (r === false) return "Applied live; no restart needed.";
  if (Array.isArray(r)) return `Restart required for: ${r.join(", ")}.`;
  if (r === true) return "Restart required to apply.";
  return "Saved.";
}

type Kind = "primary" | "baud" | "remove" | null;

/**
 * The action buttons and their dialogs.
 *
 * @param props Instance, meter, whether the bus is wired, and what happens after a change.
 * @returns The element.
 */
export function MeterActions(
  props: {
    instance: string;
    meter: MeterIdentity;
    wired: boolean;
    onChanged: (note: string, newName?: string) => void;
  },
): preact.JSX.Element {
  const [open, setOpen] = useState<Kind>(null);
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const title = meterTitle(props.meter);
  function show(k: Kind) {
    setOpen(k);
    setError(undefined);
    setValue(k === "baud" ? "2400" : "");
  }
  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      if (open === "primary") {
        const n = Number(value);
        if (!/^\d{1,3}$/.test(value) || n > 250) {
          throw new Error("Enter a primary address from 0 to 250");
        }
        const r = await api<
          { configUpdated?: boolean; restartRequired?: unknown }
        >(
          "POST",
          instanceUrl(props.instance, "/set-primary"),
          { address: props.meter.name, newAddress: n, confirm: true },
        );
        props.onChanged(
          `Primary address of ${title} set to ${n}. ${
            r.configUpdated ? restartText(r.restartRequired) : ""
          }`,
          r.configUpdated ? String(n) : undefined,
        );
      } else if (open === "baud") {
        await api("POST", instanceUrl(props.instance, "/set-baudrate"), {
          address: props.meter.name,
          baudRate: Number(value),
          confirm: true,
        });
        props.onChanged(`Baud rate of ${title} set to ${value}.`);
      } else if (open === "remove") {
        const r = await api<{ restartRequired?: unknown }>(
          "DELETE",
          instanceUrl(
            props.instance,
            `/addresses/${encodeURIComponent(props.meter.name)}`,
          ),
        );
        props.onChanged(
          `Removed ${title} from the config. ${restartText(r.restartRequired)}`,
        );
      }
      setOpen(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  const dialogTitle = open === "primary"
    ? `Set the primary address of ${title}`
    : open === "baud"
    ? `Set the baud rate of ${title}`
    : `Remove ${title} from the config`;
  return html`<div class="actions">
    ${
    props.wired
      ? html`
        <button type="button" onClick=${() =>
          show("primary")}>Set primary address…</button>
        <button type="button" onClick=${() =>
          show("baud")}>Set baud rate…</button>
      `
      : null
  }
    <button type="button" class="danger" onClick=${() =>
    show("remove")}>Remove…</button>
    ${
    open
      ? html`
        <${Modal} title=${dialogTitle} onClose=${() => setOpen(null)}>
          <form method="dialog" onSubmit=${(e: Event) => {
            e.preventDefault();
            run();
          }}>
                  ${open === "primary"
                    ? html`
                      <label for="new-primary">New primary address (0–250)</label>
                      <input id="new-primary" inputmode="numeric" autofocus value=${value}
                        onInput=${(e: Event) =>
                          setValue(
                            (e.currentTarget as HTMLInputElement).value,
                          )} />
                    `
                    : open === "baud"
                    ? html`
                      <label for="new-baud">New baud rate</label>
                      <select id="new-baud" value=${value} onChange=${(
                        e: Event,
                      ) =>
                        setValue((e.currentTarget as HTMLSelectElement).value)}>
                                    ${RATES.map((r) =>
                                      html`<option value=${r}>${r}</option>`
                                    )}
                                  </select>
                      <p
                        class="muted">The gateway keeps talking to the bus at its own rate; change the instance's rate to match.</p>
                    `
                    : html`<p>Polling stops for this meter; its history stays.</p>`}
                  <${ErrorNote} message=${error} />
                  <div class="buttons">
                    <button type="button" onClick=${() =>
                      setOpen(null)}>Cancel</button>
                    <button type="submit" class="primary" disabled=${busy}>${open ===
                        "remove"
                      ? "Remove"
                      : "Confirm"}</button>
                  </div>
                </form>
          </${Modal}>
      `
      : null
  }
  </div>`;
}
