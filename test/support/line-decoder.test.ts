import assert from "node:assert/strict";
import { test } from "node:test";
import { LineDecoder, type DecodedLine } from "../../src/support/index.js";

const text = (d: DecodedLine[]): string[] => d.map((x) => ("line" in x ? x.line : `<invalid ${x.invalid.length}>`));

test("LineDecoder: lines split across chunks (a multi-byte character too) come out whole, CRLF trimmed", () => {
  const d = new LineDecoder();
  const bytes = Buffer.from("héllo\r\nwörld\npart", "utf8");
  const out: DecodedLine[] = [];
  // Byte by byte: every split point, including inside "é" and "ö".
  for (let i = 0; i < bytes.length; i++) out.push(...d.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(text(out), ["héllo", "wörld"]);
  assert.equal(d.hasPartial, true);
  assert.deepEqual(text([d.flush()!]), ["part"]);
  assert.equal(d.flush(), null);
});

test("LineDecoder: a line that is not UTF-8 is reported alone, with its bytes; the lines around it survive", () => {
  const d = new LineDecoder();
  const out = d.push(Buffer.concat([Buffer.from("a\n"), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from("b\n")]));
  assert.deepEqual(text(out), ["a", "<invalid 2>", "b"]);
  const bad = out[1]!;
  assert.ok("invalid" in bad && /not valid UTF-8/.test(bad.error.message));
});
