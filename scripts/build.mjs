// Bundles the CLI into dist/ so start-up loads one file instead of hundreds of modules.
// Heavy, rarely needed code (msal-node, certificates, the sandbox) is split into chunks that
// load on first use through dynamic import().
import { build } from 'esbuild';
import { chmod, readFile, rename, rm, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { codeUnitSegmentsSource, isAllNarrowSource } from './narrow-text.mjs';

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
 * string-width measures any non-ASCII text (a box border, "›", "·") with Intl.Segmenter and the
 * \p{RGI_Emoji} regex, whose first use costs ~22 ms of start-up, before the first frame, to learn
 * that "╭" is one column. Text made only of characters known to be narrow (scripts/narrow-text.mjs,
 * each checked against string-width by a test) takes the ASCII-style path; anything else, or wide
 * ambiguous characters, takes string-width's own.
 */
const narrowTextFastPath = {
  name: 'narrow-text-fast-path',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const anchor = '\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};';
      if (!source.includes(anchor)) throw new Error(`narrow-text-fast-path: ${args.path} changed shape; review the plugin`);
      const patched = source.replace(anchor, `\tif (ambiguousIsNarrow && bpAllNarrow(string)) {\n\t\treturn string.length;\n\t}\n\n${anchor}`);
      return { contents: `${patched}\n${isAllNarrowSource('bpAllNarrow')}`, loader: 'js' };
    });
  },
};

/**
 * Ink turns every line of the first frame into cells with @alcalzone/ansi-tokenize, which walks the
 * text grapheme by grapheme with Intl.Segmenter: its first use alone costs ~20 ms, and the frame is
 * a few thousand graphemes. Text made of narrow characters and escape sequences has one grapheme per
 * code unit (scripts/narrow-text.mjs; test/build/narrow-text.test.ts checks it against
 * Intl.Segmenter), so it is walked without the segmenter; anything else takes the segmenter.
 */
const tokenizeWithoutSegmenter = {
  name: 'tokenize-without-segmenter',
  setup(build) {
    build.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const anchor = 'for (const { segment, index } of segmenter.segment(str)) {';
      if (!source.includes(anchor)) throw new Error(`tokenize-without-segmenter: ${args.path} changed shape; review the plugin`);
      const patched = source.replace(anchor, 'for (const { segment, index } of (bpCodeUnitSegments(str) ?? segmenter.segment(str))) {');
      return { contents: `${patched}\n${codeUnitSegmentsSource('bpCodeUnitSegments')}`, loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: root,
  plugins: [yogaWithoutFetch, inkCachesAcrossFrames, narrowTextFastPath, tokenizeWithoutSegmenter],
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
