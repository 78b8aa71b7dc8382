import { execFileSync } from 'node:child_process';

/**
 * Build `dist/` once before the suite: the CLI, package and runtime tests run the built files,
 * so `npm test` works on a fresh clone without a separate build step.
 */
export default function setup(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
