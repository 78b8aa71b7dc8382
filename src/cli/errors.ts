/**
 * The two kinds of failure the CLI reports without a stack trace: both print one line (plus
 * details, such as a policy's problems) on stderr and exit 2.
 */

/** The command line itself is wrong: unknown option, missing argument, bad value. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose `--help` the message points to, when there is one. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** An input could not be used: unreadable file, invalid JSON, invalid policy, overlong line. */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** Further lines printed after the message (for example each policy problem). */
  readonly details: readonly string[];
  /** Where in a file the problem is, when it is at one place (a JSON syntax error). */
  readonly position: { readonly line: number; readonly column: number } | undefined;

  constructor(
    message: string,
    details: readonly string[] = [],
    position?: { readonly line: number; readonly column: number },
  ) {
    super(message);
    this.details = details;
    this.position = position;
  }
}

/**
 * An operating-system error for people: `no such file or directory (ENOENT)` rather than node's
 * `ENOENT: no such file or directory, open 'x.json'`, which repeats the file name.
 */
export function describeSystemError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('E')) return error.message;
  // Node adds the system call and path: `ENOENT: no such file or directory, open 'x.json'`.
  const text = error.message.replace(/^E[A-Z0-9]+: /, '').replace(/, \w+(?: '.*')?$/s, '');
  return `${text} (${code})`;
}
