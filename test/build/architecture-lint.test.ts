import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * The folder rules of docs/architecture.md are ESLint rules (scripts/layers.mjs): an import that
 * breaks one fails `npm run lint`. Each case lints a one-line file as if it were at that path.
 */
const eslint = new ESLint({ cwd: ROOT });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? []).filter((m) => /restricted/.test(m.ruleId ?? '')).map((m) => m.message);
}

const BREAKING: ReadonlyArray<readonly [string, string, string, RegExp]> = [
  ['a component imports the app shell', 'src/components/card/Bad.tsx', "import { App } from '../../app/App.js';", /src\/components\/ may import domain\/, text\/, theme\//],
  ['a component imports model state', 'src/components/Bad.tsx', "import { reduce } from '../model/state/reducer.js';", /arrows point down/],
  ['a screen imports the app shell', 'src/screens/Bad.tsx', "import { AppController } from '../app/container/controller.js';", /src\/screens\//],
  ['a screen calls a service', 'src/screens/wizard/Bad.tsx', "import { deleteConnection } from '../../services/index.js';", /only types of services/],
  ['the pure model imports Ink', 'src/model/state/Bad.ts', "import { Box } from 'ink';", /pure: no React, no Ink/],
  ['the model imports the theme', 'src/model/Bad.ts', "import { createTheme } from '../theme/index.js';", /src\/model\//],
  ['a view reads a file', 'src/screens/Bad.tsx', "import { readFileSync } from 'node:fs';", /does no I\/O/],
  ['the app shell calls auth directly', 'src/app/container/Bad.ts', "import { createAuth } from '../../auth/index.js';", /src\/app\//],
  ['the app shell loads auth dynamically', 'src/app/Bad.ts', "const auth = await import('../auth/index.js');", /src\/app\//],
  ['msal-node outside auth/', 'src/services/Bad.ts', "import { PublicClientApplication } from '@azure/msal-node';", /only in src\/auth\//],
  ['lowdb outside store/', 'src/services/Bad.ts', "import { Low } from 'lowdb';", /only in src\/store\//],
  ['a service reaches into store internals', 'src/services/Bad.ts', "import { writeAtomically } from '../store/atomic-write.js';", /public face/],
  ['a storage folder outside repository/', 'src/engine/exchange-online/Bad.ts', "import { pack } from '../../repository/pack-writer.js';", /public face/],
  ['domain imports a service', 'src/domain/Bad.ts', "import { listAlerts } from '../services/index.js';", /nothing of ours/],
  ['domain does I/O', 'src/domain/Bad.ts', "import { readFile } from 'node:fs/promises';", /does no I\/O/],
  ['a service imports the sandbox', 'src/services/Bad.ts', "const { startSandbox } = await import('../sandbox/index.js');", /src\/services\//],
  ['the sandbox imports the domain', 'src/sandbox/graph/Bad.ts', "import { isGuid } from '../../domain/index.js';", /nothing of ours/],
  ['auth imports a service', 'src/auth/verify/Bad.ts', "import { ServiceError } from '../../services/errors.js';", /src\/auth\//],
  ['the engine opens the store', 'src/engine/Bad.ts', "import { openStore } from '../store/index.js';", /src\/engine\//],
  ['a command other than service loads the scheduler', 'src/commands/Bad.ts', "const { runService } = await import('../scheduler/index.js');", /src\/commands\//],
  ['the scheduler reads the runs folder itself', 'src/scheduler/Bad.ts', "import { runHolder } from '../runs/index.js';", /src\/scheduler\//],
];

const ALLOWED: ReadonlyArray<readonly [string, string]> = [
  ['src/components/card/Ok.tsx', "import { useTheme } from '../../theme/index.js';\nimport { fit } from '../../text/cells.js';"],
  ['src/screens/Ok.tsx', "import type { ConnectionRow } from '../services/index.js';\nimport type { ListState } from '../model/state/types.js';"],
  ['src/app/Ok.ts', "import type { StoreChange } from '../store/api.js';\nimport { deleteConnection } from '../services/index.js';"],
  ['src/commands/sandbox.ts', "const { runSandboxCommand } = await import('../sandbox/index.js');"],
  ['src/commands/service.ts', "const { runService } = await import('../scheduler/index.js');"],
  ['src/demo/Ok.ts', "const { startSandbox } = await import('../sandbox/index.js');"],
  ['src/services/Ok.ts', "import type { Store } from '../store/api.js';\nimport { isGuid } from '../domain/index.js';"],
  ['test/sandbox/Ok.ts', "import { startSandbox } from '../../src/sandbox/index.js';"],
];

describe('the architecture is a lint rule', () => {
  it.each(BREAKING)('%s fails lint', async (_what, path, code, message) => {
    const found = await problems(path, code);
    expect(found.length, `no lint error for ${path}: ${code}`).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });

  it.each(ALLOWED)('%s: imports that follow the arrows pass', async (path, code) => {
    expect(await problems(path, code)).toEqual([]);
  });
});
