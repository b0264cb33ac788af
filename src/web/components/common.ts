/**
 * Small shared pieces: loading data, an error line, a progress bar with its ARIA values, a
 * modal dialog, and a ticking clock for "5 s ago" texts.
 *
 * @module
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiFailure } from "../api.ts";
import { type Child, html } from "../html.ts";

/** What {@link useData} returns. */
export interface Data<T> {
  /** The data, once loaded. */
  data: T | undefined;
  /** The last error message. */
  error: string | undefined;
  /** Whether the last load failed with 404 (the thing asked for does not exist). */
  missing: boolean;
  /** Loads again. */
  reload: () => void;
}

/**
 * Loads data when `key` changes, keeping the last data while reloading.
 *
 * @param load Fetches the data.
 * @param key Reload when it changes.
 * @returns Data, error, reload.
 */
export function useData<T>(load: () => Promise<T>, key: string): Data<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [missing, setMissing] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then((d) => {
      if (live) {
        setData(d);
        setError(undefined);
        setMissing(false);
      }
    }, (e: unknown) => {
      if (!live) return;
      setError(e instanceof Error ? e.message : String(e));
      setMissing(e instanceof ApiFailure && e.status === 404);
    });
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, missing, reload };
}

/**
 * A page for something the URL names that does not exist: the message and links back.
 *
 * @param props The message and further links (label, href) before the one to the instances.
 * @returns The element.
 */
export function NotFound(
  props: { message: string; back?: readonly [string, string][] },
): preact.JSX.Element {
  return html`
    <section aria-labelledby="h-missing">
      <h1 id="h-missing">Not found</h1>
      <p class="error" role="alert">${props.message}</p>
      <p class="back">${[
        ...(props.back ?? []),
        ["Back to the instances", "#/"] as const,
      ].map((
        [label, to],
        i,
      ) => html`${i > 0 ? " · " : ""}<a href=${to}>${label}</a>`)}</p>
    </section>
  `;
}

/**
 * Re-renders every `ms` and returns the time.
 *
 * @param ms Interval.
 * @returns Epoch ms.
 */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * An error line, announced to screen readers.
 *
 * @param props The message (nothing rendered when empty).
 * @returns The element.
 */
export function ErrorNote(
  props: { message: string | undefined | null },
): preact.JSX.Element | null {
  if (!props.message) return null;
  return html`<p class="error" role="alert">${props.message}</p>`;
}

/**
 * A progress bar with `role="progressbar"` and its current, least and greatest values.
 *
 * @param props Value, max, accessible label and the text shown.
 * @returns The element.
 */
export function Progress(
  props: { value: number; max: number; label: string; text?: string },
): preact.JSX.Element {
  const max = Math.max(1, props.max);
  const value = Math.min(max, Math.max(0, props.value));
  const pct = Math.round((value / max) * 100);
  return html`
    <div class="progress-row">
      <div class="progress" role="progressbar" aria-label=${props.label}
        aria-valuemin="0" aria-valuemax=${max} aria-valuenow=${value}
        aria-valuetext=${props.text ?? `${pct} %`}>
        <div class="bar" style=${`width:${pct}%`}></div>
      </div>
      <span class="muted">${props.text ?? `${pct} %`}</span>
    </div>
  `;
}

/**
 * A modal dialog (the platform's `<dialog>`, so focus is trapped and Escape closes it).
 *
 * @param props Title, content, and what closing does.
 * @returns The element.
 */
export function Modal(
  props: { title: string; onClose: () => void; children: Child },
): preact.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return html`
    <dialog ref=${ref} aria-label=${props.title}
      onClose=${props.onClose} onCancel=${props.onClose}>
        <h2>${props.title}</h2>
        ${props.children}
      </dialog>
  `;
}
