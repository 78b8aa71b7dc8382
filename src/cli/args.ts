/**
 * Argument parsing on top of `node:util` `parseArgs`, with messages a person can act on. Node's
 * strict mode throws multi-line errors, and its loose mode silently takes `--policy --json` as a
 * policy named `--json`; so the arguments are first read loosely as tokens and checked here, then
 * parsed strictly, which can no longer fail.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** One option, as `parseArgs` takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}
export type Options = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string;

/** Parsed arguments: a value for each option given, and the positionals in order. */
export interface Parsed<T extends Options> {
  readonly values: { readonly [K in keyof T]?: ValueOf<T[K]> };
  readonly positionals: string[];
}

/** `--help`/`-h`, which every command accepts. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

const optionName = (raw: string) => (raw.startsWith('--') ? raw : `-${raw.replace(/^-+/, '')}`);

/**
 * Parse a command's arguments; throws {@link UsageError} for an unknown option, a missing or
 * ambiguous value, a value given to a flag, or a single-valued option given twice.
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: string[],
  options: T,
): Parsed<T> {
  const { tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    const raw = optionName(token.rawName);
    if (spec === undefined) throw new UsageError(`unknown option ${raw}`, command);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option ${raw} takes no value`, command);
    } else if (token.value === undefined) {
      throw new UsageError(`option ${raw} needs a value`, command);
    } else if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
      throw new UsageError(
        `option ${raw} needs a value, not the option ${token.value} (write ${token.rawName}=${token.value} if you mean it)`,
        command,
      );
    }
    if (!spec.multiple && seen.has(token.name))
      throw new UsageError(`option ${raw} given more than once`, command);
    seen.add(token.name);
  }
  return parseArgs({ args, options, strict: true, allowPositionals: true }) as Parsed<T>;
}

/** A non-negative integer option value. */
export function parseCount(value: string, option: string, command: string): number {
  if (!/^\d{1,9}$/.test(value))
    throw new UsageError(`option ${option} needs a whole number, not "${value}"`, command);
  return Number(value);
}

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `--now`: an ISO 8601 date-time (`2024-05-01T10:00:00Z`; without an offset it is local time, as in
 * JavaScript) or Unix seconds (`1714557600`). `Date` alone would also take `May 1`, so the form is
 * checked first.
 */
export function parseNow(value: string, command: string): Date {
  const seconds = /^\d+(?:\.\d+)?$/.test(value);
  const date = seconds ? new Date(Number(value) * 1000) : new Date(value);
  if ((!seconds && !ISO_8601.test(value)) || Number.isNaN(date.getTime()))
    throw new UsageError(
      `option --now needs an ISO 8601 date-time or Unix seconds, not "${value}"`,
      command,
    );
  return date;
}

/** A command as the dispatcher sees it. */
export interface Command {
  readonly name: string;
  /** One line for the tool's `--help`. */
  readonly summary: string;
  readonly help: string;
  /** Parses `args` (after the command name) and runs; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** A command from its options and body; `--help` and argument errors are handled here. */
export function defineCommand<T extends Options>(definition: {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly options: T;
  run(parsed: Parsed<T>): Promise<number>;
}): Command {
  const { name, summary, help } = definition;
  return {
    name,
    summary,
    help,
    async run(args) {
      const parsed = parseCommandArgs(name, args, { ...definition.options, ...HELP_OPTION });
      if (parsed.values.help) {
        process.stdout.write(`${help}\n`);
        return 0;
      }
      return definition.run(parsed as unknown as Parsed<T>);
    },
  };
}

/** Machine output: one JSON document on stdout. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
