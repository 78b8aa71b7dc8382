import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import pkg from './package.json' with { type: 'json' };

// TS 6 rejects the baseUrl tsup injects into the .d.ts build unless deprecations are ignored.
const dts = { compilerOptions: { ignoreDeprecations: '6.0' } };

export default defineConfig([
  {
    // The adapters share this neutral build (and its chunks): none of them imports a `node:`
    // module, adapters/node included (it types Node's request and response structurally).
    entry: {
      index: 'src/index.ts',
      verify: 'src/verify/index.ts',
      fetch: 'src/adapters/fetch.ts',
      hono: 'src/adapters/hono.ts',
      node: 'src/adapters/node.ts',
    },
    format: ['esm', 'cjs'],
    target: 'es2022',
    platform: 'neutral',
    dts,
    treeshake: true,
    async onSuccess() {
      await copyFile('src/policy/policy.schema.json', 'dist/policy.schema.json');
    },
  },
  {
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    define: { __VERSION__: JSON.stringify(pkg.version) },
    treeshake: true,
  },
]);
