/**
 * The exit-status contract every command keeps, stated once: the top-level help prints it, and
 * the README and docs/cli.md quote it word for word (a test checks all three).
 */
export const EXIT_STATUS = `Exit status, the same for every command:
  0  yes: the files are valid, every URL is allowed, no key becomes exposed, the report or
     conversion is printed, the server stopped cleanly
  1  no: validate or import found a problem in the file it checks (with --strict, a warning
     too), check or explain denied a URL, diff would expose keys, serve cut requests short
  2  no answer: a usage error, or an input the command needs is missing, unreadable or unusable
     (not JSON or not XML, an invalid policy given to any command but validate, a bad secrets
     file)`;
