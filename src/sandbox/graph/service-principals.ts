/**
 * /servicePrincipals, their appRoleAssignedTo / appRoleAssignments. `PATCH
 * /servicePrincipals(appId='…')` with `Prefer: create-if-missing` is the idempotent create. New
 * principals and grants lag (replication.ts): reads answer 404, and a grant to a principal Graph's
 * replicas do not have yet is refused as "does not exist".
 */
import type { AppRoleAssignment, Application, ServicePrincipal } from '../directory.js';
import { isGuid } from '../directory.js';
import { emptyReply, type Reply, type RequestContext } from '../http.js';
import { isObject } from '../jwt.js';
import { GRAPH_APP_ID } from '../well-known.js';
import type { World } from '../world.js';
import { mayGrantAppRole, mayRegisterApps } from './admin-roles.js';
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

const READ: Permission = {
  app: ['Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  delegated: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All', 'AppRoleAssignment.ReadWrite.All'],
};
const WRITE: Permission = {
  app: ['Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy'],
  delegated: ['Application.ReadWrite.All', 'Directory.AccessAsUser.All'],
};
const ASSIGN: Permission = {
  app: ['AppRoleAssignment.ReadWrite.All'],
  delegated: ['AppRoleAssignment.ReadWrite.All'],
};

export function servicePrincipalJson(world: World, sp: ServicePrincipal): Record<string, unknown> {
  const app = world.directory.application(sp.appId);
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: true,
    appDisplayName: sp.displayName,
    appId: sp.appId,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: false,
    displayName: sp.displayName,
    servicePrincipalNames: sp.servicePrincipalNames,
    servicePrincipalType: 'Application',
    signInAudience: app?.signInAudience ?? 'AzureADMultipleOrgs',
    tags: [],
    appRoles: sp.appRoles,
    oauth2PermissionScopes: [],
    keyCredentials: [],
    passwordCredentials: [],
  };
}

function assignmentJson(world: World, caller: GraphCaller, a: AppRoleAssignment): Record<string, unknown> {
  const principal = world.directory.servicePrincipal(caller.tenant.name, a.principalId);
  const resource = world.directory.servicePrincipal(caller.tenant.name, a.resourceId);
  return {
    id: a.id,
    deletedDateTime: null,
    appRoleId: a.appRoleId,
    createdDateTime: new Date(a.createdAt).toISOString(),
    principalDisplayName: principal?.displayName ?? null,
    principalId: a.principalId,
    principalType: 'ServicePrincipal',
    resourceDisplayName: resource?.displayName ?? null,
    resourceId: a.resourceId,
  };
}

/** Handles paths below /servicePrincipals; `rest` is what follows it ('' | "(appId='…')" | '/{id}…'). */
export function servicePrincipals(ctx: RequestContext, world: World, caller: GraphCaller, rest: string): Reply {
  const { directory } = world;
  const tenant = caller.tenant.name;

  if (rest === '') {
    if (ctx.method === 'POST') return createServicePrincipal(ctx, world, caller);
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
    const denied = requirePermission(ctx, caller, READ, DIRECTORY_DENIED);
    if (denied) return denied;
    const filter = equalityFilter(ctx, ['appId', 'displayName', 'id']);
    if (filter === null) return unsupportedFilter(ctx);
    const all = directory.servicePrincipalsIn(tenant).filter((sp) => directory.graphVisible(sp));
    const matches = filter
      ? all.filter((sp) => String(sp[filter.property as 'appId' | 'displayName' | 'id']).toLowerCase() === filter.value.toLowerCase())
      : all;
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#servicePrincipals`,
      value: matches.map((sp) => select(ctx, servicePrincipalJson(world, sp))),
    });
  }

  const m = rest.match(/^(?:\(appId='([^']*)'\)|\/([^/]+))(?:\/(appRoleAssignedTo|appRoleAssignments)(?:\/([^/]+))?)?$/);
  if (!m) return badRequest(ctx, `Resource not found for the segment '${rest.replace(/^\//, '')}'.`, 'BadRequest');
  const [, byAppId, byId, relation, assignmentId] = m;
  const sp = byAppId !== undefined ? directory.servicePrincipalByAppId(tenant, byAppId) : directory.servicePrincipal(tenant, byId ?? '');
  if (!relation && byAppId !== undefined && ctx.method === 'PATCH') return upsertServicePrincipal(ctx, world, caller, byAppId, sp);
  if (!sp) return notFound(ctx, byAppId ?? byId ?? '');
  if (ctx.method === 'GET' && !directory.graphVisible(sp)) {
    directory.replication.note('graph-read-not-found');
    return notFound(ctx, byAppId ?? byId ?? '');
  }

  if (!relation) {
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
    const denied = requirePermission(ctx, caller, READ, DIRECTORY_DENIED);
    if (denied) return denied;
    return graphOk(ctx, 200, select(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#servicePrincipals/$entity`, ...servicePrincipalJson(world, sp) }));
  }

  const asResource = relation === 'appRoleAssignedTo';
  if (assignmentId !== undefined) {
    if (ctx.method !== 'DELETE') return methodNotAllowed(ctx);
    const denied = requirePermission(ctx, caller, ASSIGN, DIRECTORY_DENIED);
    if (denied) return denied;
    const a = directory.assignment(assignmentId);
    if (!a || (asResource ? a.resourceId : a.principalId) !== sp.id) return notFound(ctx, assignmentId);
    directory.removeAssignment(a.id);
    return emptyReply(204);
  }
  if (ctx.method === 'GET') {
    const denied = requirePermission(ctx, caller, READ, DIRECTORY_DENIED);
    if (denied) return denied;
    const list = (asResource ? directory.assignmentsTo(sp.id) : directory.assignmentsOf(sp.id)).filter((a) => directory.graphVisible(a));
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#servicePrincipals('${sp.id}')/${relation}`,
      value: list.map((a) => assignmentJson(world, caller, a)),
    });
  }
  if (ctx.method !== 'POST') return methodNotAllowed(ctx);
  return assignAppRole(ctx, world, caller, sp, relation);
}

/** The app a new service principal is for; refused while Graph's replicas do not have the app yet. */
function applicationFor(ctx: RequestContext, world: World, caller: GraphCaller, appId: string): Application | Reply {
  const app = world.directory.application(appId);
  if (!app || app.tenant !== caller.tenant.name || !world.directory.graphVisible(app)) {
    if (app && app.tenant === caller.tenant.name) world.directory.replication.note('graph-reference-not-found');
    return badRequest(ctx, `The appId '${appId}' of the service principal does not reference a valid application object.`);
  }
  return app;
}

function createServicePrincipal(ctx: RequestContext, world: World, caller: GraphCaller): Reply {
  const denied = requirePermission(ctx, caller, WRITE, DIRECTORY_DENIED);
  if (denied) return denied;
  if (!mayRegisterApps(caller)) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
  const body = ctx.json();
  const appId = isObject(body) && typeof body.appId === 'string' ? body.appId.toLowerCase() : undefined;
  if (!appId) return badRequest(ctx, "Invalid value specified for property 'appId' of resource 'ServicePrincipal'.");
  const app = applicationFor(ctx, world, caller, appId);
  if ('status' in app) return app;
  if (world.directory.servicePrincipalByAppId(caller.tenant.name, appId)) {
    return graphError(ctx, 409, 'Request_MultipleObjectsWithSameKeyValue',
      `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`);
  }
  const sp = world.directory.createServicePrincipal(app, true);
  return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#servicePrincipals/$entity`, ...servicePrincipalJson(world, sp) });
}

/** PATCH /servicePrincipals(appId='…'): update, or create with `Prefer: create-if-missing` (201 / 204). */
function upsertServicePrincipal(ctx: RequestContext, world: World, caller: GraphCaller, appId: string, existing: ServicePrincipal | undefined): Reply {
  const denied = requirePermission(ctx, caller, WRITE, DIRECTORY_DENIED);
  if (denied) return denied;
  if (!isObject(ctx.json())) return badRequest(ctx, 'Empty Payload. JSON content expected.');
  if (existing) {
    if (existing.firstParty) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
    if (!mayRegisterApps(caller)) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
    return emptyReply(204);
  }
  if (!/\bcreate-if-missing\b/i.test(ctx.header('prefer') ?? '')) return notFound(ctx, appId);
  if (!mayRegisterApps(caller)) return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
  const app = applicationFor(ctx, world, caller, appId.toLowerCase());
  if ('status' in app) return app;
  const sp = world.directory.createServicePrincipal(app, true);
  return graphOk(ctx, 201, { '@odata.context': `${GRAPH_BASE}/$metadata#servicePrincipals/$entity`, ...servicePrincipalJson(world, sp) });
}

function assignAppRole(ctx: RequestContext, world: World, caller: GraphCaller, pathSp: ServicePrincipal, relation: string): Reply {
  const denied = requirePermission(ctx, caller, ASSIGN, DIRECTORY_DENIED);
  if (denied) return denied;
  const body = ctx.json();
  if (!isObject(body)) return badRequest(ctx, 'Empty Payload. JSON content expected.');
  const field = (name: string): string | undefined => (typeof body[name] === 'string' ? (body[name] as string).toLowerCase() : undefined);
  const principalId = field('principalId');
  const resourceId = field('resourceId');
  const appRoleId = field('appRoleId');
  for (const [name, value] of [['principalId', principalId], ['resourceId', resourceId], ['appRoleId', appRoleId]] as const) {
    if (!value || !isGuid(value)) return badRequest(ctx, `Invalid value specified for property '${name}' of resource 'AppRoleAssignment'.`);
  }
  const expected = relation === 'appRoleAssignedTo' ? resourceId : principalId;
  if (expected !== pathSp.id) {
    return badRequest(ctx, `The ${relation === 'appRoleAssignedTo' ? 'resourceId' : 'principalId'} in the request body must match the service principal in the request URL.`);
  }
  const tenant = caller.tenant.name;
  const principal = world.directory.servicePrincipal(tenant, principalId ?? '');
  if (!principal) return notFound(ctx, principalId ?? '');
  // A principal created moments ago: Graph's replica answering this write does not have it yet.
  if (!world.directory.graphVisible(principal)) {
    world.directory.replication.note('graph-reference-not-found');
    return notFound(ctx, principalId ?? '');
  }
  const resource = world.directory.servicePrincipal(tenant, resourceId ?? '');
  if (!resource) return notFound(ctx, resourceId ?? '');
  const role = resource.appRoles.find((r) => r.id === appRoleId);
  if (!role) return badRequest(ctx, `Permission being assigned was not found on application '${resource.appId}'.`);
  if (!mayGrantAppRole(caller, resource.appId === GRAPH_APP_ID)) {
    return graphError(ctx, 403, DIRECTORY_DENIED.code, DIRECTORY_DENIED.message);
  }
  if (world.directory.assignmentsOf(principal.id).some((a) => a.resourceId === resource.id && a.appRoleId === role.id)) {
    return badRequest(ctx, 'Permission being assigned already exists on the object.');
  }
  const assignment = world.directory.assign(tenant, principal.id, resource.id, role.id, true);
  return graphOk(ctx, 201, {
    '@odata.context': `${GRAPH_BASE}/$metadata#servicePrincipals('${pathSp.id}')/${relation}/$entity`,
    ...assignmentJson(world, caller, assignment),
  });
}

export function methodNotAllowed(ctx: RequestContext): Reply {
  return graphError(ctx, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
}
