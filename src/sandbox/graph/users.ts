/** /me, /users, mailboxes (mailFolders, messages, mailboxSettings) and /organization. */
import { createHash } from 'node:crypto';
import type { TenantState } from '../directory.js';
import type { Reply, RequestContext } from '../http.js';
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
const MAIL_APP = ['Mail.ReadBasic.All', 'Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite', 'MailboxFolder.Read.All', 'MailboxFolder.ReadWrite.All', 'MailboxItem.Read.All', 'MailboxItem.ImportExport.All'];
const MAIL_SELF = ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
const MAIL_SHARED = ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'];
const MESSAGES_APP = ['Mail.ReadBasic.All', 'Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite', 'MailboxItem.Read.All', 'MailboxItem.ImportExport.All'];
const SETTINGS_APP = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const SETTINGS_SELF = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];

const WELL_KNOWN_FOLDERS: Record<string, { displayName: string; share: number }> = {
  msgfolderroot: { displayName: 'Top of Information Store', share: 0 },
  inbox: { displayName: 'Inbox', share: 0.7 },
  sentitems: { displayName: 'Sent Items', share: 0.2 },
  drafts: { displayName: 'Drafts', share: 0.01 },
  deleteditems: { displayName: 'Deleted Items', share: 0.05 },
  junkemail: { displayName: 'Junk Email', share: 0.02 },
  archive: { displayName: 'Archive', share: 0.02 },
  outbox: { displayName: 'Outbox', share: 0 },
};

/** Exchange item ids are long base64 strings; derive stable ones from the mailbox and folder. */
function folderId(user: SeedUser, folder: string): string {
  const hash = createHash('sha256').update(`${user.id}/${folder}`).digest();
  return `AAMkAD${Buffer.concat([hash, hash.subarray(0, 18)]).toString('base64')}AAA=`;
}

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

function folderJson(user: SeedUser, name: string): Record<string, unknown> {
  const info = WELL_KNOWN_FOLDERS[name] ?? { displayName: name, share: 0 };
  const total = Math.round(user.inboxItemCount * info.share);
  return {
    id: folderId(user, name),
    displayName: info.displayName,
    parentFolderId: folderId(user, 'msgfolderroot'),
    childFolderCount: name === 'msgfolderroot' ? Object.keys(WELL_KNOWN_FOLDERS).length - 1 : 0,
    unreadItemCount: Math.min(total, 3),
    totalItemCount: total,
    sizeInBytes: total * 48_213,
    isHidden: false,
  };
}

export function users(ctx: RequestContext, world: World, caller: GraphCaller, segments: readonly string[]): Reply {
  if (ctx.method !== 'GET') return methodNotAllowed(ctx);
  const [first, ...rest] = segments;
  if (first === undefined) {
    const denied = requirePermission(ctx, caller, USERS, DIRECTORY_DENIED);
    if (denied) return denied;
    const top = Number(ctx.url.searchParams.get('$top') ?? '100');
    return graphOk(ctx, 200, {
      '@odata.context': `${GRAPH_BASE}/$metadata#users`,
      value: caller.tenant.users.slice(0, Number.isFinite(top) && top > 0 ? top : 100).map((u) => select(ctx, userJson(u))),
    });
  }
  return userResource(ctx, world, caller, first, rest);
}

export function me(ctx: RequestContext, world: World, caller: GraphCaller, rest: readonly string[]): Reply {
  if (!caller.user) return badRequest(ctx, '/me request is only valid with delegated authentication flow.', 'BadRequest');
  if (ctx.method !== 'GET') return methodNotAllowed(ctx);
  return userResource(ctx, world, caller, caller.user.id, rest);
}

function userResource(ctx: RequestContext, _world: World, caller: GraphCaller, idOrUpn: string, rest: readonly string[]): Reply {
  const tenant: TenantState = caller.tenant;
  const user = tenant.users.find((u) => u.id === idOrUpn.toLowerCase() || u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase());
  const self = caller.user !== undefined && user?.id === caller.user.id;
  const [relation, folder, ...more] = rest;

  if (relation === undefined) {
    const denied = requirePermission(ctx, caller, USERS, DIRECTORY_DENIED);
    if (denied) return denied;
    if (!user) return notFound(ctx, idOrUpn);
    return graphOk(ctx, 200, select(ctx, { '@odata.context': `${GRAPH_BASE}/$metadata#users/$entity`, ...userJson(user) }));
  }

  const mailboxGate = (app: readonly string[], delegated: readonly string[]): Reply | undefined => {
    const denied = requireMailboxPermission(ctx, _world, caller, { app, delegated: self ? delegated : MAIL_SHARED }, MAIL_DENIED, user?.userPrincipalName);
    if (denied) return denied;
    if (!user) return graphError(ctx, 404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);
    if (!user.hasMailbox) {
      return graphError(ctx, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    }
    return undefined;
  };
  const context = `${GRAPH_BASE}/$metadata#users('${encodeURIComponent(idOrUpn)}')`;

  switch (relation.toLowerCase()) {
    case 'mailfolders': {
      const gate = mailboxGate(MAIL_APP, MAIL_SELF);
      if (gate || !user) return gate ?? notFound(ctx, idOrUpn);
      if (more.length) return badRequest(ctx, `Resource not found for the segment '${more[0]}'.`, 'BadRequest');
      if (folder === undefined) {
        return graphOk(ctx, 200, {
          '@odata.context': `${context}/mailFolders`,
          value: Object.keys(WELL_KNOWN_FOLDERS).filter((f) => f !== 'msgfolderroot').map((f) => select(ctx, folderJson(user, f))),
        });
      }
      const name = Object.keys(WELL_KNOWN_FOLDERS).find((f) => f === folder.toLowerCase() || folderId(user, f) === folder);
      if (!name) return graphError(ctx, 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      return graphOk(ctx, 200, select(ctx, { '@odata.context': `${context}/mailFolders/$entity`, ...folderJson(user, name) }));
    }
    case 'messages': {
      const gate = mailboxGate(MESSAGES_APP, MAIL_SELF);
      if (gate || !user) return gate ?? notFound(ctx, idOrUpn);
      const top = Math.max(1, Math.min(Number(ctx.url.searchParams.get('$top') ?? '10') || 10, 50));
      const value = Array.from({ length: Math.min(top, user.inboxItemCount) }, (_, i) => ({
        id: `${folderId(user, 'inbox').slice(0, 60)}${String(i).padStart(4, '0')}AAA=`,
        subject: `Sandbox message ${i + 1}`,
        receivedDateTime: new Date(ctx.now.getTime() - (i + 1) * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        hasAttachments: false,
        isRead: i > 2,
        from: { emailAddress: { name: 'Sandbox', address: 'noreply@contoso.com' } },
      }));
      return graphOk(ctx, 200, { '@odata.context': `${context}/messages`, value: value.map((v) => select(ctx, v)) });
    }
    case 'mailboxsettings': {
      const gate = mailboxGate(SETTINGS_APP, SETTINGS_SELF);
      if (gate || !user) return gate ?? notFound(ctx, idOrUpn);
      return graphOk(ctx, 200, select(ctx, {
        '@odata.context': `${context}/mailboxSettings`,
        archiveFolder: folderId(user, 'archive'),
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
