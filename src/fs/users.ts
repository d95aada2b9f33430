import { readFileSync } from 'node:fs';

/** The effective uid of this process; undefined where the platform has none (Windows). */
export function processUid(): number | undefined {
  return typeof process.geteuid === 'function' ? process.geteuid() : undefined;
}

/** Who may own our files and folders: the user we run as, and root (who can replace anything anyway). */
export function trustedOwners(uid: number | undefined = processUid()): readonly number[] {
  if (uid === undefined) return [];
  return uid === 0 ? [0] : [uid, 0];
}

let names: Map<number, string> | undefined;

/**
 * The name of a uid from /etc/passwd (root-owned, so not a claim anyone else can make), for
 * messages and the audit log; undefined when it has none (containers, NSS-only users).
 */
export function userNameOf(uid: number): string | undefined {
  if (!names) {
    names = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        const n = Number(id);
        if (name && id !== undefined && id !== '' && Number.isInteger(n) && !names.has(n)) names.set(n, name);
      }
    } catch {
      // No passwd file: numbers only.
    }
  }
  return names.get(uid);
}

/** "alice (uid 1000)", or "uid 1000" for a uid without a name. */
export function describeUid(uid: number): string {
  const name = userNameOf(uid);
  return name ? `${name} (uid ${uid})` : `uid ${uid}`;
}
