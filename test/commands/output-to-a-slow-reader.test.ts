import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { CLI, fixtureStore } from '../helpers/cli.js';

/**
 * A script that reads `--json` slowly (a loaded machine, a pipe into a busy program) gets all of
 * it: the program used to exit 1.5 s after its work with megabytes still in the pipe, exit code 0
 * and the JSON cut short (seen as "Unterminated string in JSON at position 8368576" under load).
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('output to a reader that does not keep up', () => {
  it('connections list --json arrives whole, however long the reader pauses', async () => {
    const { dir, store } = await fixtureStore();
    dirs.push(dir);
    // A version-1 store is read (migrated in memory) without being written: 5,000 more connections, ~2 MB of JSON.
    const doc = JSON.parse(await readFile(store, 'utf8')) as { connections: Array<Record<string, unknown>> };
    const base = doc.connections.find((c) => c.location === 'onpremises') ?? doc.connections[0]!;
    for (let i = 0; i < 5_000; i++) doc.connections.push({ ...base, id: `c-many-${i}`, displayName: `server-${i}.corp.contoso.com` });
    await writeFile(store, JSON.stringify(doc), { mode: 0o600 });

    const child = spawn(process.execPath, [CLI, 'connections', 'list', '--json', '--store', store], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const closed = new Promise((resolve) => child.stdout.once('close', resolve));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // The reader stays away until the program gives up on it (the old bug) or for 6 s (4 s past the
    // old exit): a slow machine can only hide the bug, never fail a correct program.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 6_000))]);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    const code = await exited;
    await closed;
    expect(code, stderr).toBe(0);
    const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
    expect(list.length).toBe(doc.connections.length);
  }, 300_000);
});
