/**
 * What one user types, made safe to show to another.
 *
 * @module
 */

// Terminal escape sequences: CSI (ESC [ … final byte), OSC/DCS/PM/APC strings (ESC ] … BEL or ESC \),
// and any other two-byte ESC sequence; then the C1 forms of CSI and OSC.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]?|\x9d[^\x07\x9c]*[\x07\x9c]?/g;
// Every other control character (C0 but tab, DEL, C1).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * `text` without terminal escape sequences and control characters (a tab is
 * kept), so a user cannot move another's cursor, clear their screen, set their
 * window title or ring their bell by posting.
 */
export function plainText(text: string): string {
  return text.replace(SEQUENCES, "").replace(CONTROLS, "");
}
