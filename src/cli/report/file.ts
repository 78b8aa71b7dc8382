/**
 * The `--html FILE` output file: opened before the listing is read, so a path that cannot be
 * written fails at once rather than after a long listing, and removed again when the command
 * fails before the page is written (no empty or stale report is left behind).
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeSystemError, InputError, UsageError } from '../errors.js';

/** An opened report file. */
export interface ReportFile {
  readonly path: string;
  /** Writes the page and closes the file. */
  write(html: string): Promise<void>;
  /** Closes and removes the file (the command failed before writing it). */
  discard(): Promise<void>;
}

/**
 * Open `path` for the page, refusing `-` (standard output carries the command's own output) and
 * the command's input files (writing would truncate them before they are read).
 *
 * @example
 * const out = await openReportFile('audit.html', 'audit', ['policy.json', 'keys.txt']);
 * try { …; await out.write(html); } catch (e) { await out.discard(); throw e; }
 */
export async function openReportFile(
  path: string,
  command: string,
  inputs: readonly string[],
): Promise<ReportFile> {
  if (path === '-')
    throw new UsageError(
      'option --html needs a file name: standard output carries the report text or JSON',
      command,
    );
  const target = resolve(path);
  if (inputs.some((input) => input !== '-' && resolve(input) === target))
    throw new UsageError(`option --html would overwrite the input ${path}`, command);
  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${describeSystemError(error)}`);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path,
    async write(html) {
      try {
        await handle.writeFile(html, 'utf8');
        await close();
      } catch (error) {
        // A disk that fills up mid-page: remove the part written rather than leave a broken page.
        await close().catch(() => undefined);
        await rm(path, { force: true }).catch(() => undefined);
        throw new InputError(`cannot write ${path}: ${describeSystemError(error)}`);
      }
    },
    async discard() {
      await close().catch(() => undefined);
      await rm(path, { force: true }).catch(() => undefined);
    },
  };
}
