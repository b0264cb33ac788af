import assert from "node:assert/strict";

Deno.test("without --allow-ffi a serial port gives PERMISSION_DENIED, not a crash", async () => {
  const probe = new URL("./_no_ffi_probe.ts", import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--allow-read", probe.pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.equal(
    text,
    "PERMISSION_DENIED Cannot use serial ports: FFI is not allowed (run with --allow-ffi)",
  );
});
