import assert from "node:assert/strict";
import { ERROR_STATUS, statusForCode } from "../../src/api/mod.ts";
import { forwardDecodeCode } from "../../src/util/mod.ts";

/** The statuses the table had before it was typed; every other code answered 500. */
const BEFORE: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  BAD_ADDRESS: 400,
  BAD_MASK: 400,
  BAD_PATH: 400,
  BAD_BAUD_RATE: 400,
  BAD_SCAN: 400,
  INVALID_CONFIG: 400,
  CONFIRMATION_REQUIRED: 400,
  UNAUTHORIZED: 401,
  CROSS_SITE: 403,
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  BUS_BUSY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SCAN_FINISHED: 409,
  UNSUPPORTED: 422,
  COLLISION: 502,
  // Changed on purpose: a meter's unusable answer is the bus's fault, like a collision
  // (it answered 500, which the README reserves for the gateway's own faults).
  BAD_ANSWER: 502,
  STOPPED: 503,
  CLOSED: 503,
  IO: 503,
  CONNECT_FAILED: 503,
  ABORTED: 503,
  NO_RESPONSE: 504,
  TIMEOUT: 504,
};

Deno.test("ERROR_STATUS: every code keeps the status it had before the table was typed", () => {
  for (const [code, status] of Object.entries(ERROR_STATUS)) {
    assert.equal(status, BEFORE[code] ?? 500, code);
  }
  for (const [code, status] of Object.entries(BEFORE)) {
    assert.equal(statusForCode(code), status, code);
  }
});

Deno.test("statusForCode() answers 500 for a forwarded decoder code and for inherited names", () => {
  assert.equal(statusForCode(forwardDecodeCode("WRONG_KEY")), 500);
  assert.equal(statusForCode("toString"), 500);
  assert.equal(statusForCode("constructor"), 500);
});
