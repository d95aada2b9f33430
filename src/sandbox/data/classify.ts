/**
 * Names each request by what it asks for ("mail.messages.delta", "drive.download", "ews.GetItem"…),
 * so tests can count, say, how many MIME downloads an incremental cycle made.
 */
import { basicCredentials, type RequestContext } from '../http.js';
import type { RequestTarget } from './traffic.js';

const LOGIN = new Set(['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net']);

/** `users('x')/mailFolders('y')` → `users/x/mailFolders/y`. */
export function unparenthesise(path: string): string {
  return path.replace(/([A-Za-z]+)\('([^'/]*)'\)/g, (_m, name: string, key: string) => `${name}/${key}`);
}

function graphKind(method: string, path: string): RequestTarget {
  const p = unparenthesise(path).replace(/^\/(v1\.0|beta)/i, '').replace(/\/+$/, '');
  const lower = p.toLowerCase();
  const user = p.match(/^\/(?:users)\/([^/]+)(\/.*)?$/i);
  if (user) {
    const mailbox = (user[1] ?? '').toLowerCase();
    const rest = (user[2] ?? '').toLowerCase();
    const kind = (k: string): RequestTarget => ({ service: 'graph', kind: k, mailbox });
    if (rest === '') return { service: 'graph', kind: 'graph.user' };
    if (rest.startsWith('/mailboxsettings')) return kind('mail.settings');
    if (rest === '/mailfolders/delta') return kind('mail.folders.delta');
    if (/\/messages\/delta$/.test(rest)) return kind('mail.messages.delta');
    if (/\/\$value$/.test(rest)) return kind('mail.mime');
    if (/\/attachments\/createuploadsession$/.test(rest)) return kind('mail.attachment.session');
    if (/\/attachments(\/[^/]+)?$/.test(rest)) return kind(method === 'POST' ? 'mail.attachment.create' : 'mail.attachments');
    if (/\/messages\/[^/]+\/(move|copy)$/.test(rest)) return kind('mail.message.move');
    if (/\/messages\/[^/]+$/.test(rest)) return kind(method === 'PATCH' ? 'mail.message.update' : method === 'DELETE' ? 'mail.message.delete' : 'mail.message');
    if (/\/messages$/.test(rest)) return kind(method === 'POST' ? 'mail.message.create' : 'mail.messages');
    if (rest.startsWith('/mailfolders')) return kind(method === 'POST' ? 'mail.folders.create' : method === 'GET' ? 'mail.folders' : 'mail.folders.update');
    if (rest.startsWith('/drive')) return { service: 'graph', kind: 'drive.user', mailbox };
    return kind('mail.other');
  }
  if (lower === '/users') return { service: 'graph', kind: 'graph.users' };
  const drive = p.match(/^\/drives\/([^/]+)(\/.*)?$/i) ?? p.match(/^\/sites\/([^/]+)\/drive(\/.*)?$/i);
  if (drive) {
    const rest = (drive[2] ?? '').toLowerCase();
    const target = (k: string): RequestTarget => ({ service: 'graph', kind: k, drive: drive[1] ?? '' });
    if (/\/delta(\(.*\))?$/.test(rest)) return target('drive.delta');
    if (/\/content$/.test(rest)) return target(method === 'PUT' ? 'drive.upload' : 'drive.content');
    if (/\/createuploadsession$/.test(rest)) return target('drive.session');
    if (/\/children$/.test(rest)) return target(method === 'POST' ? 'drive.folder.create' : 'drive.children');
    return target(method === 'GET' ? 'drive.item' : 'drive.item.update');
  }
  if (/^\/sites\/[^/]+\/drives$/i.test(p)) return { service: 'graph', kind: 'drive.list', drive: p.split('/')[2] ?? '' };
  if (lower.startsWith('/sites')) return { service: 'graph', kind: 'sites' };
  return { service: 'graph', kind: `graph.${lower.split('/')[1] ?? ''}` };
}

function ewsKind(ctx: RequestContext): RequestTarget {
  const xml = ctx.body.toString('utf8');
  const operation = xml.match(/<(?:[\w-]+:)?Body\b[^>]*>\s*<(?:[\w-]+:)?([A-Za-z]+)/)?.[1] ?? 'unknown';
  const impersonated = xml.match(/<(?:[\w-]+:)?ExchangeImpersonation\b[\s\S]*?<(?:[\w-]+:)?(?:PrimarySmtpAddress|SmtpAddress)>\s*([^<\s]+)\s*</)?.[1];
  const mailbox = (impersonated ?? ctx.header('x-anchormailbox') ?? basicCredentials(ctx)?.user)?.toLowerCase();
  return { service: 'ews', kind: `ews.${operation}`, ...(mailbox ? { mailbox } : {}) };
}

export function classify(ctx: RequestContext): RequestTarget {
  const host = ctx.host;
  if (LOGIN.has(host)) return { service: 'identity', kind: 'identity' };
  if (host === 'graph.microsoft.com') return graphKind(ctx.method, ctx.path);
  if (host === 'outlook.office.com' && /^\/api\/v2\.0\//i.test(ctx.path)) {
    const m = unparenthesise(ctx.path).match(/^\/api\/v2\.0\/users\/([^/]+)/i);
    return { service: 'graph', kind: 'mail.attachment.upload', ...(m?.[1] ? { mailbox: m[1].toLowerCase().replace(/@[0-9a-f-]{36}$/, '') } : {}) };
  }
  if (/\/ews\/exchange\.asmx$/i.test(ctx.path)) return ewsKind(ctx);
  if (host.endsWith('.sharepoint.com')) {
    if (/\/_layouts\/15\/download\.aspx$/i.test(ctx.path)) return { service: 'sharepoint', kind: 'drive.download', drive: ctx.url.searchParams.get('UniqueId') ?? '' };
    if (/\/uploadsession$/i.test(ctx.path)) return { service: 'sharepoint', kind: 'drive.upload.chunk' };
    return { service: 'sharepoint', kind: 'sharepoint.rest' };
  }
  return { service: 'other', kind: 'other' };
}
