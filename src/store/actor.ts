import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { AuditActor } from './api.js';

/** The kernel's "no login session" value of /proc/self/loginuid (containers, daemons). */
const LOGINUID_UNSET = 4294967295;

function loginUid(): number | undefined {
  try {
    const value = Number(readFileSync('/proc/self/loginuid', 'utf8').trim());
    return Number.isInteger(value) && value >= 0 && value !== LOGINUID_UNSET ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who is running this process, for the audit log. The user name and uid come from the kernel
 * (os.userInfo, not $USER, which anyone can set); loginuid survives sudo and su. SUDO_USER and
 * SSH_CONNECTION are environment values: recorded as claims, useful over SSH.
 */
export function currentActor(): AuditActor {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A uid without a passwd entry (common in containers) has no name.
    user = `uid ${uid}`;
  }
  const login = loginUid();
  const sudoUser = process.env.SUDO_USER || undefined;
  const sshClient = process.env.SSH_CONNECTION?.trim().split(/\s+/)[0] || undefined;
  return {
    user,
    uid,
    ...(login !== undefined ? { loginUid: login } : {}),
    ...(sudoUser ? { sudoUser } : {}),
    ...(sshClient ? { sshClient } : {}),
    pid: process.pid,
    host: hostname(),
  };
}

/** One line for messages and the document's `updatedBy`, e.g. `alice@backup01 (pid 4242, from 10.0.0.5)`. */
export function actorLabel(actor: AuditActor): string {
  const extras = [`pid ${actor.pid}`];
  if (actor.sudoUser) extras.push(`sudo by ${actor.sudoUser}`);
  if (actor.sshClient) extras.push(`from ${actor.sshClient}`);
  return `${actor.user}@${actor.host} (${extras.join(', ')})`;
}
