/**
 * Reading and writing JSON files so that a crash never leaves a torn file.
 *
 * @module
 */
import { open, readFile, readdir, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";

let written = 0;

/**
 * Write `value` as JSON to `file` atomically: to a temporary file in the same
 * directory, flushed to disk, then renamed over `file`. A reader (or a
 * restart after a crash) sees the old contents or the new, never a mixture.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.${++written}.tmp`;
  const fh = await open(tmp, "w", 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  await rename(tmp, file);
  // The rename itself is durable only once the directory is flushed; not every platform allows it.
  const dir = await open(dirname(file), "r").catch(() => null);
  if (dir !== null) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}

/** The temporary files {@link writeJsonAtomic} makes: `NAME.PID.N.tmp`. */
const TEMPORARY = /^.+\.\d+\.\d+\.tmp$/;

/**
 * Remove the temporary files a crash during {@link writeJsonAtomic} left in
 * `dir` (they were never renamed into place, so nothing acknowledged is in
 * them alone). Returns their names.
 */
export async function removeLeftovers(dir: string): Promise<string[]> {
  const gone: string[] = [];
  for (const name of await readdir(dir)) {
    if (!TEMPORARY.test(name)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
    gone.push(name);
  }
  return gone;
}

/**
 * Read the JSON in `file`, or `fallback` if there is no such file.
 * @throws Error naming the file if it exists but is not valid JSON (it is never overwritten then).
 */
export async function readJson(file: string, fallback: unknown): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); it was left as it is: repair or move it, then start again`, { cause: e });
  }
}
