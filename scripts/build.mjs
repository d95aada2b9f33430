// Bundles the CLI into dist/ so start-up loads one file instead of hundreds of modules.
// Heavy, rarely needed code (msal-node, certificates, the sandbox) is split into chunks that
// load on first use through dynamic import().
import { build } from 'esbuild';
import { chmod, rm, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stubs = join(root, 'scripts', 'stubs');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: {
    'process.env.NODE_ENV': '"production"',
    'process.env.DEV': '"false"',
  },
  alias: {
    // Ink imports its devtools bridge only in development; the package is not installed.
    'react-devtools-core': join(stubs, 'react-devtools-core.mjs'),
    'is-in-ci': join(stubs, 'is-in-ci.mjs'),
  },
  banner: {
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    js: "import { createRequire as __bpCreateRequire } from 'node:module'; const require = __bpCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const cli = join(dist, 'cli.js');
await chmod(cli, 0o755);
await writeFile(join(dist, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
