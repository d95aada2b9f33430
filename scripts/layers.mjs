// The folder rules of docs/architecture.md as ESLint configuration: which folders of src/ each
// folder may import, which packages live in one folder only, which folders show only their public
// face, and that views do no I/O. eslint.config.js spreads `layerConfigs()`;
// test/build/architecture-lint.test.ts proves that a breaking import fails.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** What each folder of src/ may import of ours (arrows point down). `types`: type imports only. */
export const LAYERS = {
  domain: { may: [] },
  text: { may: ['domain'] },
  theme: { may: [] },
  m365: { may: ['domain'] },
  auth: { may: ['domain', 'm365'] },
  fs: { may: ['domain'] },
  store: { may: ['domain', 'fs'] },
  repository: { may: ['domain', 'fs'] },
  runs: { may: ['domain', 'fs'] },
  engine: { may: ['domain', 'm365', 'auth', 'repository'] },
  jobs: { may: ['domain', 'auth'] },
  services: { may: ['domain', 'store', 'auth', 'm365', 'engine', 'repository', 'jobs', 'runs'] },
  scheduler: { may: ['domain', 'services'] },
  commands: { may: ['domain', 'services', 'store', 'auth', 'app', 'demo'] },
  model: { may: ['domain', 'text', 'services'] },
  components: { may: ['domain', 'text', 'theme'], types: ['services'] },
  screens: { may: ['domain', 'text', 'theme', 'components', 'model'], types: ['services'] },
  app: { may: ['domain', 'text', 'theme', 'components', 'screens', 'model', 'services'], types: ['store'] },
  demo: { may: ['domain', 'fs', 'store', 'sandbox'] },
  sandbox: { may: [] },
};

/** Files that may import a folder their own folder may not (the one door to the sandbox, the one to the backup service). */
const EXTRA = { 'src/commands/sandbox.ts': ['sandbox'], 'src/commands/service.ts': ['scheduler'] };

/** Folders that others may reach only through these modules. */
const FACES = { store: ['api', 'index'], auth: ['api', 'index'], repository: ['api', 'index'] };

const VIEWS = ['app', 'model', 'screens', 'components', 'theme', 'text'];
const PURE = ['domain', 'model', 'text'];
const IO_MODULES = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'tls', 'dgram', 'child_process', 'worker_threads'].flatMap((m) => [m, `node:${m}`]).concat(['undici']);

/** Packages that live in one folder only. */
const OWNED = { '@azure/msal-node': 'auth', lowdb: 'store', 'proper-lockfile': 'store' };

function folders() {
  const found = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  return [...new Set([...Object.keys(LAYERS), ...found])].sort();
}

const up = (depth) => (depth === 0 ? '\\./' : `(\\.\\./){${depth}}`);
const list = (names) => names.join(', ');

/** The no-restricted-imports options for a file of `folder` that sits `depth` folders below src/. */
function restrictions(folder, depth, extra = []) {
  const layer = LAYERS[folder] ?? { may: [] };
  const allowed = new Set([folder, ...layer.may, ...extra]);
  const typesOnly = (layer.types ?? []).filter((f) => !allowed.has(f));
  const others = folders().filter((f) => !allowed.has(f) && !typesOnly.includes(f));
  const where = folder === '' ? 'src/cli.ts' : `src/${folder}/`;
  const may = [...allowed].filter((f) => f !== folder);
  const patterns = [];
  if (others.length) {
    patterns.push({
      regex: `^${up(depth)}(${others.join('|')})(/|\\.js$)`,
      message: `${where} may import ${may.length ? list(may.map((f) => `${f}/`)) : 'nothing of ours'}${typesOnly.length ? ` (and types of ${list(typesOnly)}/)` : ''}: arrows point down (docs/architecture.md, Layers).`,
    });
  }
  if (typesOnly.length) {
    patterns.push({
      regex: `^${up(depth)}(${typesOnly.join('|')})(/|\\.js$)`,
      allowTypeImports: true,
      message: `${where} may import only types of ${list(typesOnly)}/ (docs/architecture.md, Layers).`,
    });
  }
  for (const [face, modules] of Object.entries(FACES)) {
    if (face === folder || !allowed.has(face)) continue;
    patterns.push({
      regex: `^${up(depth)}${face}/(?!(${modules.join('|')})\\.js$)`,
      message: `Outside src/${face}/, use its public face (${list(modules.map((m) => `${face}/${m}.ts`))}): ${face}/ alone owns ${face === 'store' ? 'the store file' : face === 'repository' ? 'a storage folder' : 'identity'}.`,
    });
  }
  const paths = [];
  for (const [name, owner] of Object.entries(OWNED)) {
    if (owner !== folder) paths.push({ name, message: `${name} is used only in src/${owner}/ (docs/architecture.md, Folders).` });
  }
  if (VIEWS.includes(folder) || folder === 'domain') {
    for (const name of IO_MODULES) paths.push({ name, message: `src/${folder}/ does no I/O: ask services/ (through the app container) instead.` });
  }
  if (PURE.includes(folder)) {
    for (const name of ['ink', 'react']) paths.push({ name, message: `src/${folder}/ is pure: no React, no Ink.` });
  }
  return { paths, patterns };
}

/** `import('…')` escapes no-restricted-imports; the same folder rules, for dynamic imports. */
function dynamicImports(options) {
  const selectors = options.patterns
    .filter((p) => !p.allowTypeImports)
    .map((p) => ({ selector: `ImportExpression[source.value=/${p.regex.replaceAll('/', '\\/')}/]`, message: p.message }));
  for (const p of options.paths) selectors.push({ selector: `ImportExpression[source.value='${p.name}']`, message: p.message });
  return selectors;
}

function block(files, options) {
  return {
    files,
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', options],
      'no-restricted-syntax': ['error', ...dynamicImports(options)],
    },
  };
}

const MAX_DEPTH = 6;

export function layerConfigs() {
  const configs = [];
  // Outside src/ (tests, bench, scripts) only msal-node is kept to src/auth/: tests that prove the
  // sandbox against the real library say so with a disable comment. Tests may reach anything else.
  configs.push({
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: '@azure/msal-node', message: 'msal-node lives only in src/auth/.' }] }] },
  });
  configs.push(block(['src/cli.ts', 'src/bin.ts'], restrictions('', 0, ['commands'])));
  for (const folder of folders()) {
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const stars = Array.from({ length: depth - 1 }, () => '*').join('/');
      const glob = `src/${folder}/${stars ? `${stars}/` : ''}*.{ts,tsx}`;
      configs.push(block([glob], restrictions(folder, depth)));
    }
  }
  for (const [file, extra] of Object.entries(EXTRA)) {
    const [, folder] = file.split('/');
    const depth = file.split('/').length - 2;
    configs.push(block([file], restrictions(folder, depth, extra)));
  }
  return configs;
}
