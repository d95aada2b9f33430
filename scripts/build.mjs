// Bundles the CLI into dist/ so start-up loads one file instead of hundreds of modules.
// Heavy, rarely needed code (msal-node, certificates, the sandbox) is split into chunks that
// load on first use through dynamic import().
import { build } from 'esbuild';
import { chmod, readFile, rename, rm, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { isAllNarrowSource, segmentsSource } from './narrow-text.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stubs = join(root, 'scripts', 'stubs');
// Built beside dist/ and swapped in at the end, so a program (or test) running from dist/ never
// finds it half-written.
const staging = join(root, `.dist-${process.pid}`);

await rm(staging, { recursive: true, force: true });
await mkdir(staging, { recursive: true });

/**
 * Yoga (Ink's layout engine) embeds its wasm as a data: URL and its Emscripten loader, built for the
 * web, reads that URL with fetch(): on Node that loads undici and web streams at every start
 * (~20 ms) to decode bytes that are already in memory. Shadowing fetch in that one module makes
 * the loader take its own synchronous path.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => ({
      contents: `var fetch = undefined;\n${await readFile(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

/**
 * Ink turns every line of text into styled cells (ANSI tokenizing, the largest cost of a frame:
 * measured ~60 % of a keypress in Manage server connections) through caches it creates per frame,
 * so a line that did not change is tokenized again on every keypress. The cached cells are never
 * mutated, so one set of caches can serve every frame; it is dropped when it grows large, which
 * bounds its memory. Fails the build if Ink's code changed shape, rather than silently not applying.
 */
const inkCachesAcrossFrames = {
  name: 'ink-caches-across-frames',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const field = '    caches = new OutputCaches();';
      if (!source.includes(field)) throw new Error(`ink-caches-across-frames: ${args.path} no longer has "${field.trim()}"; review the plugin`);
      const shared = `let sharedCaches;
function framesCaches() {
  if (!sharedCaches || sharedCaches.styledChars.size > 5000 || sharedCaches.widths.size > 20000) sharedCaches = new OutputCaches();
  return sharedCaches;
}
`;
      return { contents: source.replace(field, '    caches = framesCaches();').replace('export default class Output', `${shared}export default class Output`), loader: 'js' };
    });
  },
};

/**
 * Four dependencies of Ink (string-width twice, slice-ansi, @alcalzone/ansi-tokenize) make an
 * Intl.Segmenter when they are loaded, and the first one in a process costs ~20 ms (ICU's break
 * rules), before the first frame; string-width also runs the \p{RGI_Emoji} regex on any non-ASCII
 * text. Here each makes it on first use, and text made only of characters known to be narrow
 * (scripts/narrow-text.mjs; test/build/narrow-text.test.ts checks them against string-width and
 * Intl.Segmenter) is measured by its length and split by code unit, so the panel's frames never
 * need the segmenter. Anything else takes the library's own path. A file that changed shape fails
 * the build rather than silently not being adapted.
 */
function replaceOrFail(source, path, pairs) {
  let out = source;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`segmenter-on-demand: ${path} no longer has "${from.trim().slice(0, 60)}"; review the plugin`);
    out = out.split(from).join(to);
  }
  return out;
}

const segmenterOnDemand = {
  name: 'segmenter-on-demand',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const widthAnchor = '\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};';
      const patched = replaceOrFail(await readFile(args.path, 'utf8'), args.path, [
        ['const segmenter = new Intl.Segmenter();', ''],
        ['segmenter.segment(', 'bpSegments('],
        [widthAnchor, `\tif (ambiguousIsNarrow && bpAllNarrow(string)) {\n\t\treturn string.length;\n\t}\n\n${widthAnchor}`],
      ]);
      return { contents: `${patched}\n${isAllNarrowSource('bpAllNarrow')}\n${segmentsSource('bpSegments')}`, loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/ }, async (args) => {
      const patched = replaceOrFail(await readFile(args.path, 'utf8'), args.path, [
        ['const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });', ''],
        ['segmenter.segment(str)', 'bpSegments(str)'],
      ]);
      return { contents: `${patched}\n${segmentsSource('bpSegments')}`, loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]node_modules[\\/]slice-ansi[\\/]tokenize-ansi\.js$/ }, async (args) => {
      const patched = replaceOrFail(await readFile(args.path, 'utf8'), args.path, [
        ["const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});", ''],
        ['GRAPHEME_SEGMENTER.segment(', 'bpSegments('],
      ]);
      return { contents: `${patched}\n${segmentsSource('bpSegments')}`, loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: root,
  plugins: [yogaWithoutFetch, inkCachesAcrossFrames, segmenterOnDemand],
  // bin.ts switches on the compile cache before anything else is compiled, then loads cli.ts.
  entryPoints: { cli: 'src/bin.ts' },
  outdir: staging,
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

await chmod(join(staging, 'cli.js'), 0o755);
await writeFile(join(staging, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');

const old = join(root, `.dist-old-${process.pid}`);
await rename(dist, old).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, dist);
await rm(old, { recursive: true, force: true });
