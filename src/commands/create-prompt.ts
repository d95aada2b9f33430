import { createInterface } from 'node:readline/promises';
import { displayText } from '../domain/index.js';

/**
 * Before the panel opens on a path where no store exists: a yes/no on the terminal, so that a
 * mistyped --store never leaves a new store behind. Ctrl-C and end of input answer no. Enter
 * takes the default: yes for the default location (a first start), no for a path given.
 */
export async function askToCreateStore(path: string, yesByDefault: boolean, stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<boolean> {
  const rl = createInterface({ input: stdin, output: stdout, terminal: true });
  const abort = new AbortController();
  rl.on('SIGINT', () => abort.abort());
  rl.on('close', () => abort.abort());
  try {
    const answer = await rl.question(`There is no store at ${displayText(path, { maxLength: 300 })}. Create a new, empty store there? ${yesByDefault ? '[Y/n]' : '[y/N]'} `, { signal: abort.signal });
    const word = answer.trim().toLowerCase();
    return word === '' ? yesByDefault : word === 'y' || word === 'yes';
  } catch {
    stdout.write('\n');
    return false;
  } finally {
    rl.close();
  }
}
