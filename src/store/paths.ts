import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** Where the store lives when neither --store nor an option names it (contracts §2). */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BACKUP_PANEL_STORE) return resolve(env.BACKUP_PANEL_STORE);
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(dataHome, 'backup-panel', 'store.json');
}

/** The files that belong to one store; all of them sit in the store's directory. */
export interface StoreFiles {
  readonly store: string;
  readonly dir: string;
  readonly base: string;
  readonly lock: string;
  readonly key: string;
  /** Last good version, a hard link to the file a save replaced. */
  readonly backup: string;
  /** The version-1 original kept by the migration (passwords sealed). */
  readonly v1Backup: string;
  readonly audit: string;
}

export function storeFiles(path: string): StoreFiles {
  const store = resolve(path);
  return {
    store,
    dir: dirname(store),
    base: basename(store),
    lock: `${store}.lock`,
    key: `${store}.key`,
    backup: `${store}.bak`,
    v1Backup: `${store}.v1.bak`,
    audit: `${store}.audit.log`,
  };
}
