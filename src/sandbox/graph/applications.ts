/**
 * /applications: app registrations. Addressed by object id, `(appId='…')` or `(uniqueName='…')`;
 * `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing` is the idempotent create
 * (201 + the app when created, 204 when updated, 404 without the header). New apps and keys lag
 * (replication.ts): writes see them at once, reads answer 404 until Graph's replicas catch up.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseCertificate } from '../certificates.js';
import type { Application, KeyCredential } from '../directory.js';
import { emptyReply, type Reply, type RequestContext } from '../http.js';
import { isObject, type JsonObject } from '../jwt.js';
import type { World } from '../world.js';
import { mayRegisterApps } from './admin-roles.js';
import {
  badRequest,
  DIRECTORY_DENIED,
  equalityFilter,
  GRAPH_BASE,
  graphError,
  graphOk,
  notFound,
  requirePermission,
  select,
  unsupportedFilter,
  type GraphCaller,
  type Permission,
} from './common.js';
import { methodNotAllowed } from './service-principals.js';

const READ: Permission = {
  app: ['Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  delegated: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'],
};
const WRITE: Permission = {
  app: ['Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy'],
  delegated: ['Application.ReadWrite.All', 'Directory.AccessAsUser.All'],
};
const AUDIENCES = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'];

export function applicationJson(world: World, app: Application): Record<string, unknown> {
  const tenant = world.directory.tenant(app.tenant);
  return {
    id: app.objectId,
    deletedDateTime: null,
    appId: app.appId,
    createdDateTime: new Date(app.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    description: null,
    displayName: app.displayName,
    identifierUris: [],
    uniqueName: app.uniqueName ?? null,
    isFallbackPublicClient: app.isFallbackPublicClient,
    publisherDomain: tenant.initialDomain,
    signInAudience: app.signInAudience,
    tags: [],
    keyCredentials: app.keyCredentials.map((k) => ({
      customKeyIdentifier: k.certificate.thumbprintSha1,
      displayName: k.displayName,
      endDateTime: k.certificate.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      key: null,
      keyId: k.keyId,
      startDateTime: k.certificate.notBefore.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      type: k.type,
      usage: k.usage,
    })),
    passwordCredentials: app.passwordCredentials.map((p) => ({
      customKeyIdentifier: null,
      displayName: p.displayName,
      endDateTime: p.endDateTime.toISOString(),
      hint: p.hint,
      keyId: p.keyId,
      secretText: null,
      startDateTime: p.startDateTime.toISOString(),
    })),
    publicClient: { redirectUris: [] },
    requiredResourceAccess: app.requiredResourceAccess,
    web: { homePageUrl: null, logoutUrl: null, redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
  };
}

type ParsedKeys = Array<Omit<KeyCredential, 'keyId' | 'replica'> & { keyId?: string }>;

/** Graph's validation of keyCredentials: X.509 certificates for signature verification only. */
function parseKeyCredentials(ctx: RequestContext, input: unknown): ParsedKeys | Reply {
  if (!Array.isArray(input)) return badRequest(ctx, "Invalid value specified for property 'keyCredentials' of resource 'Application'.");
  const keys: ParsedKeys = [];
  for (const item of input as unknown[]) {
    if (!isObject(item)) return badRequest(ctx, "Invalid value specified for property 'keyCredentials' of resource 'Application'.");
    if (item.type !== 'AsymmetricX509Cert') return badRequest(ctx, "Invalid value specified for property 'type' of resource 'KeyCredential'.");
    if (item.usage !== 'Verify') return badRequest(ctx, "Invalid value specified for property 'usage' of resource 'KeyCredential'.");
    const certificate = typeof item.key === 'string' ? parseCertificate(item.key) : undefined;
    if (!certificate) return badRequest(ctx, "Invalid value specified for property 'key' of resource 'KeyCredential'.", 'KeyCredentialsInvalidValue');
    keys.push({
      ...(typeof item.keyId === 'string' ? { keyId: item.keyId } : {}),
      displayName: typeof item.displayName === 'string' ? item.displayName : `CN=${certificate.subject.replace(/^CN=/, '')}`,
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      certificate,
    });
  }
  return keys;
}

const isKeys = (value: ParsedKeys | Reply): value is ParsedKeys => Array.isArray(value);

export function applications(ctx: RequestContext, world: World, caller: GraphCaller, rest: string): Reply {
  const { directory } = world;
  const tenant = caller.tenant.name;

  if (rest === '') {
    if (ctx.method === 'POST') return createApplication(ctx, world, caller);
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
    const denied = requirePermission(ctx, caller, READ, DIRECTORY_DENIED);
    if (denied) return denied;
    const filter = equalityFilter(ctx, ['appId', 'displayName', 'id', 'uniqueName']);
    if (filter === null) return unsupportedFilter(ctx);
    const all = directory.applicationsIn(tenant).filter((a) => directory.graphVisible(a));
    const matches = filter
      ? all.filter((a) => {
          const v = filter.property === 'id' ? a.objectId : filter.property === 'appId' ? a.appId : filter.property === 'uniqueName' ? (a.uniqueName ?? '') : a.displayName;
          return v.toLowerCase() === filter.value.toLowerCase();
        })
      : all;
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#applications`,
      value: matches.map((a) => select(ctx, applicationJson(world, a))),
    });
  }

  const m = rest.match(/^(?:\(appId='([^']*)'\)|\(uniqueName='([^']*)'\)|\/([^/]+))(?:\/(addPassword))?$/);
  if (!m) return badRequest(ctx, `Resource not found for the segment '${rest.replace(/^\//, '')}'.`, 'BadRequest');
  const [, byAppId, byUniqueName, byId, action] = m;
  const found =
    byAppId !== undefined
      ? directory.application(byAppId)
      : byUniqueName !== undefined
        ? directory.applicationByUniqueName(tenant, byUniqueName)
        : directory.applicationByObjectId(tenant, byId ?? '');
  const existing = found && found.tenant === tenant ? found : undefined;
  const key = byAppId ?? byUniqueName ?? byId ?? '';
  if (!existing && byUniqueName !== undefined && ctx.method === 'PATCH' && /\bcreate-if-missing\b/i.test(ctx.header('prefer') ?? '')) {
    return createApplication(ctx, world, caller, byUniqueName);
  }
  if (!existing) return notFound(ctx, key);
  // Reads go to replicas that may not have the new app yet; writes see it.
  if (ctx.method === 'GET' && !directory.graphVisible(existing)) {
    directory.replication.note('graph-read-not-found');
    return notFound(ctx, key);
  }
  const app = existing;

  if (action === 'addPassword') {
    if (ctx.method !== 'POST') return methodNotAllowed(ctx);
    const denied = requirePermission(ctx, caller, WRITE, DIRECTORY_DENIED);
    if (denied) return denied;
    const body = ctx.json();
    const pc = isObject(body) && isObject(body.passwordCredential) ? body.passwordCredential : {};
    const end = typeof pc.endDateTime === 'string' ? new Date(pc.endDateTime) : new Date(ctx.now.getTime() + 2 * 365 * 86_400_000);
    if (Number.isNaN(end.getTime())) return badRequest(ctx, "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.");
    // Entra secrets: 40 characters from a URL-safe alphabet with '~' and '.'.
    const secret = randomBytes(30).toString('base64').replace(/\+/g, '~').replace(/\//g, '.').replace(/=/g, '');
    const credential = directory.addPassword(app, secret, typeof pc.displayName === 'string' ? pc.displayName : null, end, undefined, true);
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#microsoft.graph.passwordCredential`,
      customKeyIdentifier: null,
      displayName: credential.displayName,
      endDateTime: credential.endDateTime.toISOString(),
      hint: credential.hint,
      keyId: credential.keyId,
      secretText: credential.secretText,
      startDateTime: credential.startDateTime.toISOString(),
    });
  }

  switch (ctx.method) {
    case 'GET': {
      const denied = requirePermission(ctx, caller, READ, DIRECTORY_DENIED);
      if (denied) return denied;
      return graphOk(ctx, 200, select(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#applications/$entity`, ...applicationJson(world, app) }));
    }
    case 'PATCH': {
      const denied = requirePermission(ctx, caller, WRITE, DIRECTORY_DENIED);
      if (denied) return denied;
      if (!mayRegisterApps(caller)) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
      const body = ctx.json();
      if (!isObject(body)) return badRequest(ctx, 'Empty Payload. JSON content expected.');
      return patchApplication(ctx, world, app, body);
    }
    case 'DELETE': {
      const denied = requirePermission(ctx, caller, WRITE, DIRECTORY_DENIED);
      if (denied) return denied;
      if (!mayRegisterApps(caller)) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
      directory.deleteApplication(app);
      return emptyReply(204);
    }
    default:
      return methodNotAllowed(ctx);
  }
}

/** POST /applications, or the create half of the uniqueName upsert (`uniqueName` from the URL). */
function createApplication(ctx: RequestContext, world: World, caller: GraphCaller, uniqueName?: string): Reply {
  const denied = requirePermission(ctx, caller, WRITE, DIRECTORY_DENIED);
  if (denied) return denied;
  if (!mayRegisterApps(caller)) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
  const body = ctx.json();
  if (!isObject(body)) return badRequest(ctx, 'Empty Payload. JSON content expected.');
  if (typeof body.displayName !== 'string' || !body.displayName.trim()) {
    return badRequest(ctx, "Invalid value specified for property 'displayName' of resource 'Application'.");
  }
  if (body.signInAudience !== undefined && (typeof body.signInAudience !== 'string' || !AUDIENCES.includes(body.signInAudience))) {
    return badRequest(ctx, "Invalid value specified for property 'signInAudience' of resource 'Application'.");
  }
  const keys = body.keyCredentials === undefined ? [] : parseKeyCredentials(ctx, body.keyCredentials);
  if (!isKeys(keys)) return keys;
  if (body.requiredResourceAccess !== undefined && !Array.isArray(body.requiredResourceAccess)) {
    return badRequest(ctx, "Invalid value specified for property 'requiredResourceAccess' of resource 'Application'.");
  }
  const unique = uniqueName ?? (typeof body.uniqueName === 'string' ? body.uniqueName : undefined);
  if (unique !== undefined && (!/^[\w.~-]{1,120}$/.test(unique) || world.directory.applicationByUniqueName(caller.tenant.name, unique))) {
    return badRequest(ctx, `Another object with the same value for property uniqueName already exists, or '${unique}' is not a valid uniqueName.`, 'Request_MultipleObjectsWithSameKeyValue');
  }
  const app = world.directory.createApplication(caller.tenant.name, {
    displayName: body.displayName,
    ...(unique !== undefined ? { uniqueName: unique } : {}),
    ...(typeof body.signInAudience === 'string' ? { signInAudience: body.signInAudience } : {}),
    isFallbackPublicClient: body.isFallbackPublicClient === true,
    keyCredentials: keys,
    requiredResourceAccess: (body.requiredResourceAccess as unknown[] | undefined) ?? [],
  }, true);
  return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#applications/$entity`, ...applicationJson(world, app) });
}

function patchApplication(ctx: RequestContext, world: World, app: Application, body: JsonObject): Reply {
  if (body.displayName !== undefined) {
    if (typeof body.displayName !== 'string' || !body.displayName.trim()) {
      return badRequest(ctx, "Invalid value specified for property 'displayName' of resource 'Application'.");
    }
    app.displayName = body.displayName;
  }
  if (body.isFallbackPublicClient !== undefined) app.isFallbackPublicClient = body.isFallbackPublicClient === true;
  if (Array.isArray(body.requiredResourceAccess)) app.requiredResourceAccess = body.requiredResourceAccess as unknown[];
  if (body.keyCredentials !== undefined) {
    const keys = parseKeyCredentials(ctx, body.keyCredentials);
    if (!isKeys(keys)) return keys;
    // The list replaces the old one; keys that stay keep their age, new ones start replicating now.
    app.keyCredentials = keys.map((k) => {
      const existing = app.keyCredentials.find((old) => old.certificate.thumbprintSha256 === k.certificate.thumbprintSha256);
      return existing ?? { ...k, keyId: k.keyId ?? randomUUID(), replica: world.directory.newKeyReplica(true) };
    });
  }
  return emptyReply(204);
}
