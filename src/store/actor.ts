import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processUid, userNameOf } from '../fs/index.js';
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
 * Who is running this process, for the audit log. Facts come from the kernel: the effective uid
 * (named from /etc/passwd, never from $USER, which anyone can set) and the login uid, which
 * survives sudo and su where the audit subsystem sets it. SUDO_USER and SSH_CONNECTION come from
 * the environment, which the user controls: kept apart, as claims.
 */
export function currentActor(): AuditActor {
  const uid = processUid() ?? -1;
  const login = loginUid();
  const sudoUser = process.env.SUDO_USER || undefined;
  const sshClient = process.env.SSH_CONNECTION?.trim().split(/\s+/)[0] || undefined;
  const loginUser = login !== undefined ? userNameOf(login) : undefined;
  return {
    uid,
    user: userNameOf(uid) ?? `uid ${uid}`,
    ...(login !== undefined ? { loginUid: login } : {}),
    ...(loginUser ? { loginUser } : {}),
    pid: process.pid,
    host: hostname(),
    ...(sudoUser || sshClient ? { claimed: { ...(sudoUser ? { sudoUser } : {}), ...(sshClient ? { sshClient } : {}) } } : {}),
  };
}

/**
 * One line for messages and the document's `updatedBy`, e.g.
 * `root@backup01 (pid 4242, login alice, claimed: sudo by alice, from 10.0.0.5)`.
 */
export function actorLabel(actor: AuditActor): string {
  const extras = [`pid ${actor.pid}`];
  if (actor.loginUid !== undefined && actor.loginUid !== actor.uid) extras.push(`login ${actor.loginUser ?? `uid ${actor.loginUid}`}`);
  const claims: string[] = [];
  if (actor.claimed?.sudoUser) claims.push(`sudo by ${actor.claimed.sudoUser}`);
  if (actor.claimed?.sshClient) claims.push(`from ${actor.claimed.sshClient}`);
  const claimed = claims.length > 0 ? `; claimed: ${claims.join(', ')}` : '';
  return `${actor.user}@${actor.host} (${extras.join(', ')}${claimed})`;
}
