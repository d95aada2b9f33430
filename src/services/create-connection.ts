import type { CheckResult, Progress } from '../auth/api.js';
import type { Connection, NameSource } from '../domain/index.js';
import { connectionNameProblem, defaultConnectionName, duplicateNameText, sameNamed } from '../domain/index.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import type { NewConnectionInput } from './new-connection.js';
import { saveNewConnection, validateNewConnection, verifyNewConnection } from './new-connection.js';
import { VerificationFailed, withTenantInfo } from './reconfigure.js';
import { firstFailure } from './verification.js';

type WithoutName<T> = T extends unknown ? Omit<T, 'displayName'> : never;

/** A new connection from a script (`connections create`): the wizard's fields; the name is optional. */
export type CreateConnectionInput = WithoutName<NewConnectionInput> & { readonly name?: string };

function nameSource(input: CreateConnectionInput): NameSource {
  if (input.location === 'online') {
    return input.service === 'exchange' ? { service: 'exchange', location: 'online', upn: input.modern.mailbox ?? input.modern.tenantId } : { service: 'sharepoint', location: 'online', url: input.url };
  }
  if (input.service === 'sharepoint') return { service: 'sharepoint', location: 'onpremises', url: input.url };
  const email = input.autodiscoverEmail ?? (input.userName.includes('@') ? input.userName : undefined);
  const domain = email?.slice(email.lastIndexOf('@') + 1);
  return { service: 'exchange', location: 'onpremises', server: input.server, ...(domain ? { autodiscoverDomain: domain } : {}) };
}

/** The name the connection will get: the one given (checked; a duplicate refused, contracts §7), else the assigned one made unique. */
export function nameForNewConnection(ctx: Pick<ServiceContext, 'store'>, input: CreateConnectionInput): string {
  const connections = ctx.store.current().connections;
  if (input.name === undefined) return defaultConnectionName(nameSource(input), connections);
  const name = input.name.trim();
  const problem = connectionNameProblem(name, connections);
  if (problem) throw new ServiceError('bad-input', problem);
  const others = sameNamed(name, connections);
  if (others.length > 0) throw new ServiceError('bad-input', duplicateNameText(name, others));
  return name;
}

/**
 * Creates a connection in one go, as the wizard does: field checks and the name first, the
 * tenant's cloud and directory GUID from its OpenID configuration, then verify, and save only if
 * no check failed. Nothing is written before the save.
 */
export async function createConnection(
  ctx: ServiceContext,
  given: CreateConnectionInput,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<{ connection: Connection; checks: readonly CheckResult[] }> {
  const { name: _name, ...fields } = given;
  let input = { ...fields, displayName: nameForNewConnection(ctx, given) } as NewConnectionInput;
  validateNewConnection(input, ctx.now());
  if (input.location === 'online') input = { ...input, modern: await withTenantInfo(ctx, input.modern, options.signal) };
  const checks = await verifyNewConnection(ctx, input, options);
  if (firstFailure(checks)) throw new VerificationFailed(checks, input.displayName);
  const connection = await saveNewConnection(ctx, input, checks, { uniqueName: given.name !== undefined ? 'refuse' : 'number' });
  return { connection, checks };
}
