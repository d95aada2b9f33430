import { readFile } from 'node:fs/promises';
import { Secret, displayText } from '../domain/index.js';
import { ServiceError } from '../services/index.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * Secrets come from a file (or `-` for standard input), never from the command line, where any
 * user can read them in /proc/<pid>/cmdline. One trailing newline is dropped.
 */
export async function readSecretFile(path: string, what: string, stdin: NodeJS.ReadableStream): Promise<Secret> {
  let bytes: Buffer;
  try {
    bytes = path === '-' ? await readAll(stdin) : await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ServiceError('bad-input', `Cannot read the ${what} file '${displayText(path, { maxLength: 200 })}' (${code}). Give a readable file, or - for standard input.`);
  }
  const text = bytes.toString('utf8').replace(/\r?\n$/, '');
  if (text.length === 0) throw new ServiceError('bad-input', `The ${what} file '${displayText(path, { maxLength: 200 })}' is empty.`);
  return new Secret(text);
}
