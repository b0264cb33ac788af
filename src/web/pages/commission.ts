/**
 * Commissioning an instance: a primary scan over a range, a secondary scan under a mask, or
 * listening for wireless meters for a while, each with a progress bar, the meters found
 * appearing as they are found, a cancel button, and "Add to config" per found meter.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api, instanceUrl, subscribe } from "../api.ts";
import { ErrorNote, Progress, useData } from "../components/common.ts";
import { restartText } from "../components/meter_actions.ts";
import {
  type Found,
  foundName,
  groupSecondary,
  mediumName,
} from "../format.ts";
import { html } from "../html.ts";
import { href } from "../router.ts";

interface Job {
  id: string;
  kind: string;
  status: string;
  progress:
    | { done: number; total?: number; found: number; current: string }
    | null;
  result: Found[] | null;
  error: { code: string; message: string } | null;
}

function progressText(job: Job): string {
  const p = job.progress;
  if (!p) return "starting…";
  if (job.kind === "wireless" && p.total) {
    const left = Math.max(0, Math.ceil((p.total - p.done) / 1000));
    return `${left} s left · ${p.found} heard`;
  }
  return `${p.done}${p.total ? ` of ${p.total}` : ""} · ${p.found} found${
    p.current ? ` · probing ${p.current}` : ""
  }`;
}

function FoundList(
  props: { instance: string; job: Job; configured: Set<string> },
): preact.JSX.Element {
  const [added, setAdded] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>(undefined);
  async function add(name: string) {
    try {
      const r = await api<{ restartRequired?: unknown }>(
        "POST",
        instanceUrl(props.instance, "/addresses"),
        { name },
      );
      setAdded({ ...added, [name]: restartText(r.restartRequired) });
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  const found = props.job.result ?? [];
  return html`
    <div>
      <h3>Found (${found.length})</h3>
      <${ErrorNote} message=${error} />
      <ul class="found" aria-live="polite">${found.map((f) => {
        const name = foundName(f, props.job.kind);
        const isConfigured = props.configured.has(name.toUpperCase());
        return html`<li data-found=${name}>
        <span class="mono">${
          f.primary !== undefined ? `primary ${f.primary} · ` : ""
        }${groupSecondary(f.secondary ?? f.id)}</span>
        <span>${f.manufacturer ?? ""} ${mediumName(f.medium)}${
          f.collision ? " · several meters share this address" : ""
        }</span>
        ${
          added[name] !== undefined
            ? html`<span class="ok">Added. ${added[name]} <a href=${
              href("i", props.instance, "m", name)
            }>Open</a></span>`
            : isConfigured
            ? html`<a href=${
              href("i", props.instance, "m", name)
            }>configured</a>`
            : name
            ? html`<button type="button" onClick=${() =>
              add(name)}>Add ${name} to config</button>`
            : null
        }
      </li>`;
      })}</ul>
    </div>
  `;
}

/**
 * The commissioning tab.
 *
 * @param props Instance name.
 * @returns The element.
 */
export function CommissionTab(props: { name: string }): preact.JSX.Element {
  const inst = useData(
    () =>
      api<{ config: { type?: string; addresses?: { name: unknown }[] } }>(
        "GET",
        instanceUrl(props.name),
      ),
    props.name,
  );
  const wireless = inst.data?.config.type === "wireless";
  const [from, setFrom] = useState("0");
  const [to, setTo] = useState("250");
  const [mask, setMask] = useState("FFFFFFFFFFFFFFFF");
  const [seconds, setSeconds] = useState("30");
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const jobRef = useRef<Job | null>(null);
  jobRef.current = job;
  const running = job?.status === "running";
  useEffect(() => {
    if (!running || !job) return;
    const t = setInterval(async () => {
      try {
        const j = await api<Job>(
          "GET",
          instanceUrl(props.name, `/scans/${encodeURIComponent(job.id)}`),
        );
        setJob(j);
        if (j.status !== "running") inst.reload();
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    }, 500);
    return () => clearInterval(t);
  }, [running, job?.id]);
  useEffect(() =>
    subscribe((e) => {
      const j = jobRef.current;
      if (e.instance !== props.name || !j || e.scanId !== j.id) return;
      if (e.type === "scanProgress") {
        setJob({ ...j, progress: e.progress as Job["progress"] });
      }
    }), [props.name]);
  async function start(body: Record<string, unknown>) {
    setError(undefined);
    try {
      setJob(await api<Job>("POST", instanceUrl(props.name, "/scans"), body));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  async function cancel() {
    if (!job) return;
    try {
      setJob(
        await api<Job>(
          "DELETE",
          instanceUrl(props.name, `/scans/${encodeURIComponent(job.id)}`),
        ),
      );
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  const configured = new Set(
    (inst.data?.config.addresses ?? []).map((a) =>
      String(a.name).toUpperCase()
    ),
  );
  const p = job?.progress;
  return html`<div class="commission">
    ${
    wireless
      ? html`
        <form class="scan" aria-label="Wireless listen" onSubmit=${(
          e: Event,
        ) => {
          e.preventDefault();
          start({ kind: "wireless", durationMs: Number(seconds) * 1000 });
        }}>
          <h2>Listen for wireless meters</h2>
          <label for="listen-s">Seconds</label>
          <input id="listen-s" inputmode="numeric" value=${seconds}
            onInput=${(e: Event) =>
              setSeconds((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" disabled=${running}>Listen</button>
        </form>
      `
      : html`
        <form class="scan" aria-label="Primary scan" onSubmit=${(
          e: Event,
        ) => {
          e.preventDefault();
          start({ kind: "primary", from: Number(from), to: Number(to) });
        }}>
          <h2>Primary scan</h2>
          <label for="scan-from">From</label>
          <input id="scan-from" inputmode="numeric" value=${from}
            onInput=${(e: Event) =>
              setFrom((e.currentTarget as HTMLInputElement).value)} />
          <label for="scan-to">To</label>
          <input id="scan-to" inputmode="numeric" value=${to}
            onInput=${(e: Event) =>
              setTo((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" disabled=${running}>Scan primary</button>
        </form>
        <form class="scan" aria-label="Secondary scan" onSubmit=${(
          e: Event,
        ) => {
          e.preventDefault();
          start({ kind: "secondary", mask });
        }}>
          <h2>Secondary scan</h2>
          <label for="scan-mask">Mask (16 hex digits, F = any)</label>
          <input id="scan-mask" class="mono" value=${mask} maxlength="16"
            onInput=${(e: Event) =>
              setMask((e.currentTarget as HTMLInputElement).value)} />
          <button type="submit" disabled=${running}>Scan secondary</button>
        </form>
      `
  }
    <${ErrorNote} message=${error} />
    ${
    job
      ? html`<section class="job" aria-labelledby="h-job">
      <h2 id="h-job">${job.kind} scan: <span data-testid="job-status">${job.status}</span></h2>
      <${Progress} label=${`${job.kind} scan progress`} value=${
        job.status === "done" ? (p?.total ?? p?.done ?? 1) : (p?.done ?? 0)
      } max=${p?.total ?? Math.max(1, p?.done ?? 1)} text=${
        progressText(job)
      } />
      ${
        running
          ? html`<button type="button" class="danger" onClick=${cancel}>Cancel scan</button>`
          : null
      }
      ${job.error ? html`<${ErrorNote} message=${job.error.message} />` : null}
      <${FoundList} instance=${props.name} job=${job} configured=${configured} />
    </section>`
      : null
  }
  </div>`;
}
