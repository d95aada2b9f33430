/** /me, /users (paged), mailboxes (mailFolders and messages in ../mail, mailboxSettings) and /organization. */
import type { TenantState } from '../directory.js';
import type { Reply, RequestContext } from '../http.js';
import { mailboxRequest } from '../mail/graph.js';
import type { SeedUser } from '../tenants.js';
import type { World } from '../world.js';
import {
  badRequest,
  DIRECTORY_DENIED,
  GRAPH_BASE,
  graphError,
  graphOk,
  MAIL_DENIED,
  notFound,
  requireMailboxPermission,
  requirePermission,
  select,
  type GraphCaller,
  type Permission,
} from './common.js';
import { methodNotAllowed } from './service-principals.js';

const USERS: Permission = {
  app: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // Members of a tenant can read other users' profiles; the panel's admin token always may.
  delegated: 'any',
};
/** Any of these lets a caller reach a mailbox at all; each operation then checks its own (../mail). */
const MAIL_APP = ['Mail.ReadBasic.All', 'Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite', 'MailboxFolder.Read.All', 'MailboxFolder.ReadWrite.All', 'MailboxItem.Read.All', 'MailboxItem.ImportExport.All'];
const MAIL_SELF = ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
const MAIL_SHARED = ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
const SETTINGS_APP = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const SETTINGS_SELF = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const MAX_USERS_PAGE = 999;

export function userJson(user: SeedUser): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.hasMailbox ? user.userPrincipalName : null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
  };
}

export function users(ctx: RequestContext, world: World, caller: GraphCaller, segments: readonly string[]): Reply {
  const [first, ...rest] = segments;
  if (first === undefined) {
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
    const denied = requirePermission(ctx, caller, USERS, DIRECTORY_DENIED);
    if (denied) return denied;
    const q = ctx.url.searchParams;
    const skip = q.get('$skiptoken');
    const state = skip ? world.data.tokens.open<{ t: string; at: number; top: number; sel?: string }>('users.skip', skip) : undefined;
    if (skip && (!state || state.t !== caller.tenant.id)) return badRequest(ctx, 'Invalid $skiptoken.', 'Request_BadRequest');
    const topParam = Number(q.get('$top') ?? state?.top ?? '100');
    const top = Math.max(1, Math.min(Number.isFinite(topParam) && topParam > 0 ? Math.floor(topParam) : 100, MAX_USERS_PAGE));
    const at = state?.at ?? 0;
    const all = world.data.usersOf(caller.tenant);
    const page = all.slice(at, at + top);
    const sel = state?.sel ?? q.get('$select') ?? undefined;
    const next = at + top < all.length ? world.data.tokens.seal('users.skip', { t: caller.tenant.id, at: at + top, top, ...(sel ? { sel } : {}) }) : undefined;
    const selected = (u: SeedUser): Record<string, unknown> => {
      if (!sel) return userJson(u);
      const wanted = new Set(['id', ...sel.split(',').map((x) => x.trim().toLowerCase())]);
      return Object.fromEntries(Object.entries(userJson(u)).filter(([k]) => wanted.has(k.toLowerCase())));
    };
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#users${sel ? `(${sel})` : ''}`,
      ...(next ? { '@odata.nextLink': `${GRAPH_BASE}/users?$top=${top}&$skiptoken=${next}` } : {}),
      value: page.map(selected),
    });
  }
  return userResource(ctx, world, caller, first, rest);
}

export function me(ctx: RequestContext, world: World, caller: GraphCaller, rest: readonly string[]): Reply {
  if (!caller.user) return badRequest(ctx, '/me request is only valid with delegated authentication flow.', 'BadRequest');
  return userResource(ctx, world, caller, caller.user.id, rest);
}

function userResource(ctx: RequestContext, world: World, caller: GraphCaller, idOrUpn: string, rest: readonly string[]): Reply {
  const tenant: TenantState = caller.tenant;
  const user = world.data.findUser(tenant, idOrUpn);
  const self = caller.user !== undefined && user?.id === caller.user.id;
  const [relation, ...more] = rest;

  if (relation === undefined || relation.toLowerCase() === 'mailboxsettings') {
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
  }
  if (relation === undefined) {
    const denied = requirePermission(ctx, caller, USERS, DIRECTORY_DENIED);
    if (denied) return denied;
    if (!user) return notFound(ctx, idOrUpn);
    return graphOk(ctx, 200, select(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#users/$entity`, ...userJson(user) }));
  }

  const mailboxGate = (app: readonly string[], delegated: readonly string[]): Reply | undefined => {
    const denied = requireMailboxPermission(ctx, world, caller, { app, delegated: self ? delegated : MAIL_SHARED }, MAIL_DENIED, user?.userPrincipalName);
    if (denied) return denied;
    if (!user) return graphError(ctx, 404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);
    if (!user.hasMailbox) {
      return graphError(ctx, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    }
    return undefined;
  };
  const context = `${GRAPH_BASE}/$metadata#users('${encodeURIComponent(idOrUpn)}')`;

  switch (relation.toLowerCase()) {
    case 'mailfolders':
    case 'messages': {
      const gate = mailboxGate(MAIL_APP, MAIL_SELF);
      if (gate || !user) return gate ?? notFound(ctx, idOrUpn);
      const mailbox = world.data.mailboxOf(tenant, user);
      return mailboxRequest({ ctx, world, caller, mailbox, self }, relation.toLowerCase() === 'messages' ? 'messages' : 'mailfolders', more);
    }
    case 'mailboxsettings': {
      const gate = mailboxGate(SETTINGS_APP, SETTINGS_SELF);
      if (gate || !user) return gate ?? notFound(ctx, idOrUpn);
      return graphOk(ctx, 200, select(ctx, {
        '@odata.context': `${context}/mailboxSettings`,
        archiveFolder: world.data.mailboxOf(tenant, user).folder('archive')?.id ?? null,
        timeZone: 'W. Europe Standard Time',
        delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
        dateFormat: 'dd.MM.yyyy',
        timeFormat: 'HH:mm',
        userPurpose: 'user',
        automaticRepliesSetting: {
          status: 'disabled',
          externalAudience: 'all',
          internalReplyMessage: '',
          externalReplyMessage: '',
        },
        language: { locale: 'en-US', displayName: 'English (United States)' },
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '08:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: { name: 'W. Europe Standard Time' },
        },
      }));
    }
    default:
      return badRequest(ctx, `Resource not found for the segment '${relation}'.`, 'BadRequest');
  }
}

export function organization(ctx: RequestContext, caller: GraphCaller): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx);
  const denied = requirePermission(
    ctx,
    caller,
    { app: ['Organization.Read.All', 'Directory.Read.All', 'User.Read.All', 'Directory.ReadWrite.All'], delegated: 'any' },
    DIRECTORY_DENIED,
  );
  if (denied) return denied;
  const t = caller.tenant;
  return graphOk(ctx, 200, {
    '@odata.context': `${GRAPH_BASE}/$metadata#organization`,
    value: [
      select(ctx, {
        id: t.id,
        displayName: t.displayName,
        tenantType: 'AAD',
        verifiedDomains: t.domains.map((d) => ({
          capabilities: 'Email, OfficeCommunicationsOnline',
          isDefault: d === t.domains[t.domains.length - 1],
          isInitial: d === t.initialDomain,
          name: d,
          type: 'Managed',
        })),
      }),
    ],
  });
}
