/**
 * Secrets for verifying signatures in `check` and `explain`: `--secret ACCESS_KEY_ID:SECRET`
 * (repeatable) and `--secrets FILE`, a JSON object `{"AccessKeyId": "secret", …}` (the same file
 * `serve --secrets` reads).
 */
import { InputError, UsageError } from './errors.js';
import { inputLabel, parseJson, readText } from './files.js';

/** `ID:SECRET` pairs from the command line; the secret may hold `:`, the id may not. */
export function secretPairs(values: readonly string[], command: string): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1)
      throw new UsageError(
        `--secret needs ACCESS_KEY_ID:SECRET, not ${JSON.stringify(value.replace(/:.*/s, ':…'))}`,
        command,
      );
    secrets.set(value.slice(0, colon), value.slice(colon + 1));
  }
  return secrets;
}

/** A secrets file: a JSON object of non-empty strings, at least one. */
export async function secretsFile(file: string): Promise<Map<string, string>> {
  const label = inputLabel(file);
  const value = parseJson(await readText(file), label);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(
      `${label}: a secrets file is a JSON object {"AccessKeyId": "secret", ...}`,
    );
  const secrets = new Map<string, string>();
  for (const [id, secret] of Object.entries(value)) {
    if (typeof secret !== 'string' || secret === '' || id === '')
      throw new InputError(
        `${label}: the secret of ${JSON.stringify(id)} must be a non-empty string`,
      );
    secrets.set(id, secret);
  }
  if (secrets.size === 0) throw new InputError(`${label}: the secrets file lists no AccessKeyId`);
  return secrets;
}

/** Every secret given, or undefined when none was (signatures are then only detected). */
export async function loadSecrets(
  pairs: readonly string[] | undefined,
  file: string | undefined,
  command: string,
): Promise<ReadonlyMap<string, string> | undefined> {
  if (pairs === undefined && file === undefined) return undefined;
  const secrets = file === undefined ? new Map<string, string>() : await secretsFile(file);
  for (const [id, secret] of secretPairs(pairs ?? [], command)) secrets.set(id, secret);
  return secrets;
}
