import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

describe('package', () => {
  it('has no runtime dependencies', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
  });

  it('pins every dev dependency exactly', () => {
    for (const [name, version] of Object.entries<string>(pkg.devDependencies)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('packs only what users need', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    );
    const files: string[] = packed.files.map((f: { path: string }) => f.path).sort();
    // The guides ship because the CLI's help points at them (docs/api/ is generated: it does not).
    const allowed =
      /^(?:package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/[\w./-]+\.(?:js|cjs|d\.ts|d\.cts|json)|docs\/[\w.-]+\.md|docs\/example-policy\.json)$/;
    for (const f of files) expect(f, 'unexpected file in the package').toMatch(allowed);
    for (const needed of [
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/policy.schema.json',
      'docs/behaviour.md',
      'docs/cli.md',
      'docs/example-policy.json',
    ]) {
      expect(files).toContain(needed);
    }
  });

  it('keeps node: imports out of the core (only cli/ and adapters/node.ts may use them)', () => {
    const src = join(root, 'src');
    for (const file of sourceFiles(src)) {
      const rel = relative(src, file).replaceAll('\\', '/');
      if (rel.startsWith('cli/') || rel === 'adapters/node.ts') continue;
      const text = readFileSync(file, 'utf8');
      expect(text, rel).not.toMatch(
        /from\s+['"](?:node:|fs|path|crypto|http|url|util|buffer)['"/]/,
      );
      expect(text, rel).not.toMatch(
        /\brequire\(|\bprocess\.(?:env|argv|stdout|stderr|exit|cwd|platform|versions|nextTick|hrtime)\b|\bBuffer\./,
      );
    }
  });
});
