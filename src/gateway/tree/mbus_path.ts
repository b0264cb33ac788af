/**
 * The `%mbus:` address notation.
 *
 * ```
 * %mbus:<meter>[/<record>[/<field>]]            instance with cluster 0
 * %mbus<cluster>:<meter>[/<record>[/<field>]]   instance by cluster number, e.g. %mbus2:5/0/value
 * %mbus:<instance>/<meter>[/...]                instance by name, e.g. %mbus:heat/5/0/value
 * %mbus:<meter>/<meterField>                    meter metadata, e.g. %mbus:5/manufacturer
 * ```
 *
 * `<meter>` is a primary address (0..250), an 8-digit ID or a 16-hex secondary address
 * (a wireless meter ID is an 8-hex ID). Instance names start with a letter and are never
 * 8 or 16 hex digits, so the first segment is unambiguous.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../../util/mod.ts";
import { parseMeterName } from "./meter_name.ts";

/** Fields of one record. */
export const RECORD_FIELDS = [
  "value",
  "timestamp",
  "raw",
  "unit",
  "quantity",
  "function",
  "storage",
  "tariff",
  "subunit",
] as const;

/** Fields of a meter. */
export const METER_FIELDS = [
  "id",
  "manufacturer",
  "version",
  "medium",
  "accessNumber",
  "status",
  "readAt",
] as const;

/** A record field name. */
export type RecordField = typeof RECORD_FIELDS[number];
/** A meter field name. */
export type MeterField = typeof METER_FIELDS[number];

/** A parsed `%mbus:` path. */
export interface MbusPath {
  /** Instance name, when the path names one. */
  instance?: string;
  /** Cluster number, when the path uses `%mbus<N>:` (absent = 0 when no instance is named). */
  cluster?: number;
  /** Canonical meter name. */
  meter: string;
  /** Record index. */
  record?: number;
  /** A record field (with `record`) or a meter field (without). */
  field?: RecordField | MeterField;
}

const HEAD_RE = /^%mbus([0-9]{0,5}):(.*)$/;
const INSTANCE_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Parses a `%mbus:` path.
 *
 * @param text The path.
 * @returns The path, or a `BAD_PATH` error with the offset of the bad part.
 * @example
 * ```ts
 * parseMbusPath("%mbus:heat/005/0/value"); // ok: { instance: "heat", meter: "5", record: 0, field: "value" }
 * ```
 */
export function parseMbusPath(text: string): DecodeResult<MbusPath> {
  const m = HEAD_RE.exec(text);
  if (!m) {
    return fail(
      "BAD_PATH",
      0,
      'a path starts with "%mbus:" or "%mbus<cluster>:"',
    );
  }
  const clusterText = m[1] ?? "";
  const segments = (m[2] ?? "").split("/");
  let offset = text.length - (m[2] ?? "").length;
  const out: Partial<MbusPath> = {};
  if (clusterText !== "") out.cluster = Number(clusterText);
  let first = segments.shift() ?? "";
  if (parseMeterName(first) === undefined && INSTANCE_RE.test(first)) {
    if (out.cluster !== undefined) {
      return fail(
        "BAD_PATH",
        offset,
        "a path names either a cluster or an instance, not both",
      );
    }
    out.instance = first;
    offset += first.length + 1;
    first = segments.shift() ?? "";
  }
  const meter = parseMeterName(first);
  if (!meter) {
    return fail(
      "BAD_PATH",
      offset,
      `"${first}" is not a meter (primary 0..250, 8-digit ID or 16 hex digits)`,
    );
  }
  out.meter = meter.text;
  offset += first.length + 1;
  const second = segments.shift();
  if (second !== undefined) {
    if (/^[0-9]{1,6}$/.test(second)) out.record = Number(second);
    else if ((METER_FIELDS as readonly string[]).includes(second)) {
      out.field = second as MeterField;
    } else {return fail(
        "BAD_PATH",
        offset,
        `"${second}" is neither a record number nor a meter field`,
      );}
    offset += second.length + 1;
  }
  const third = segments.shift();
  if (third !== undefined) {
    if (
      out.record === undefined ||
      !(RECORD_FIELDS as readonly string[]).includes(third)
    ) {
      return fail(
        "BAD_PATH",
        offset,
        `"${third}" is not a record field (${RECORD_FIELDS.join(", ")})`,
      );
    }
    out.field = third as RecordField;
    offset += third.length + 1;
  }
  if (segments.length > 0) return fail("BAD_PATH", offset, "too many segments");
  return ok(out as MbusPath);
}

/**
 * Formats a path in canonical form (the inverse of {@link parseMbusPath}).
 *
 * @param path The path.
 * @returns Its text.
 */
export function formatMbusPath(path: MbusPath): string {
  const head = path.cluster !== undefined && path.instance === undefined
    ? `%mbus${path.cluster}:`
    : "%mbus:";
  let text = head + (path.instance === undefined ? "" : `${path.instance}/`) +
    path.meter;
  if (path.record !== undefined) text += `/${path.record}`;
  if (path.field !== undefined) text += `/${path.field}`;
  return text;
}
