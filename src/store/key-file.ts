import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import * as z from 'zod';
import { StoreError } from './api.js';
import type { FsFacade } from './fs-facade.js';
import { closeQuietly, syncDirectory, unlinkQuietly } from './fs-facade.js';
import { describeIoError, errorCode, showPath } from '../fs/io-errors.js';
import type { StoreFiles } from './paths.js';
import { openBeside } from './safe-files.js';
import { KEY_BYTES, Vault } from './vault.js';

const KeyFileContent = z.strictObject({
  version: z.literal(1),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  key: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

/** Who should own new files: the owner of the existing store when root saves it for another user. */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

export async function chownIfRoot(fs: FsFacade, handle: FileHandle, owner: FileOwner | undefined): Promise<void> {
  if (!owner || typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  if (owner.uid === 0 && owner.gid === 0) return;
  await fs.fchown(handle, owner.uid, owner.gid);
}

/**
 * Reads a small secret file (key, passphrase): never through a link, only a regular file of an
 * expected owner that no other user may read (as ssh refuses a private key others can read).
 * Refusals are StoreError('unsafe') naming the fix; other failures the system error.
 */
export async function readSmallFile(fs: FsFacade, path: string, owners: readonly number[]): Promise<Buffer> {
  const { handle, stat } = await openBeside(fs, path, { access: 'read', owners, private: true });
  try {
    if (stat.size > 64 * 1024) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return await fs.readAll(handle);
  } finally {
    await closeQuietly(fs, handle);
  }
}

/** Reads `<store>.key`; every failure is a 'key' StoreError that names the file and the fix. */
export async function readKeyFile(fs: FsFacade, files: StoreFiles, owners: readonly number[], expectedKid?: string): Promise<Vault> {
  const where = showPath(files.key);
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(fs, files.key, owners);
  } catch (error) {
    if (error instanceof StoreError) throw new StoreError('key', error.message, files.key);
    const sealedWith = expectedKid ? ` The secrets in ${showPath(files.store)} were sealed with key ${expectedKid}.` : '';
    if (errorCode(error) === 'ENOENT') {
      throw new StoreError('key', `cannot read the key file ${where}: it does not exist.${sealedWith} Restore the key file from your backup.`, files.key);
    }
    throw new StoreError('key', `cannot read the key file ${where}: ${describeIoError(error)}.${sealedWith} Run as the user that owns it, or restore it from your backup.`, files.key);
  }
  let vault: Vault | undefined;
  try {
    const content = KeyFileContent.parse(JSON.parse(bytes.toString('utf8')));
    const key = Buffer.from(content.key, 'base64');
    if (key.length === KEY_BYTES) vault = new Vault(key);
    if (vault && vault.kid !== content.kid) vault = undefined;
  } catch {
    vault = undefined;
  }
  if (!vault) throw new StoreError('key', `the key file ${where} is damaged (it does not hold a valid backup-panel key); restore it from your backup.`, files.key);
  if (expectedKid && vault.kid !== expectedKid) {
    throw new StoreError(
      'key',
      `the key file ${where} holds key ${vault.kid}, but ${showPath(files.store)} was sealed with key ${expectedKid}; restore the matching key file from your backup.`,
      files.key,
    );
  }
  return vault;
}

/**
 * Writes a new key file: a private temp file (wx, 0600), fsync, then link() to the final name,
 * which fails if the name exists, so a key is never replaced and never seen half written.
 */
export async function createKeyFile(fs: FsFacade, files: StoreFiles, vault: Vault, owner: FileOwner | undefined): Promise<void> {
  const temp = `${files.dir}/.${files.base}.key.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  let handle: FileHandle | undefined;
  try {
    handle = (await openBeside(fs, temp, { access: 'write', create: 'new' })).handle;
    await chownIfRoot(fs, handle, owner);
    const content = { version: 1, kid: vault.kid, key: vault.exportKey().toString('base64') };
    await fs.write(handle, Buffer.from(JSON.stringify(content) + '\n', 'utf8'));
    await fs.sync(handle, 'key');
    await fs.close(handle);
    handle = undefined;
    await fs.link(temp, files.key);
    await unlinkQuietly(fs, temp);
    await syncDirectory(fs, files.dir);
  } catch (error) {
    await closeQuietly(fs, handle);
    await unlinkQuietly(fs, temp);
    if (error instanceof StoreError) throw error;
    const reason = errorCode(error) === 'EEXIST' ? 'another key file appeared there' : describeIoError(error);
    throw new StoreError('write-failed', `cannot create the key file ${showPath(files.key)}: ${reason}; nothing was saved`, files.key);
  }
}
