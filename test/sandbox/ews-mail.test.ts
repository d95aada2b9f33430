import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call } from './helpers.js';

let s: Sandbox;
const ONPREM = 'https://ex01.corp.contoso.com/EWS/Exchange.asmx';
const ONLINE = 'https://outlook.office365.com/EWS/Exchange.asmx';
const SVC = `Basic ${Buffer.from('CORP\\svc-backup:S3rv1ce-Backup').toString('base64')}`;
const SMITH = 'j.smith@corp.contoso.com';
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s = await startSandbox({ data: { messages: 40 } });
});
afterAll(() => s.close());

function soap(body: string, mailbox?: string): string {
  const impersonation = mailbox ? `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${mailbox}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/>${impersonation}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

async function ews(body: string, mailbox = SMITH, url = ONPREM, auth = SVC) {
  return call(s, url, { method: 'POST', headers: { authorization: auth, 'content-type': 'text/xml; charset=utf-8' }, body: soap(body, mailbox) });
}

const tagText = (xml: string, tag: string): string | undefined => xml.match(new RegExp(`<(?:\\w+:)?${tag}>([^<]*)</(?:\\w+:)?${tag}>`))?.[1];
const ids = (xml: string, change: string): string[] => [...xml.matchAll(new RegExp(`<t:${change}>(?:<t:Message>)?<t:ItemId Id="([^"]+)"`, 'g'))].map((m) => m[1] ?? '');

async function syncItems(folder: string, state?: string, max = 5): Promise<{ creates: string[]; updates: string[]; deletes: string[]; reads: string[]; state: string; calls: number }> {
  const out = { creates: [] as string[], updates: [] as string[], deletes: [] as string[], reads: [] as string[], state: state ?? '', calls: 0 };
  for (;;) {
    const res = await ews(`<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="${folder}"/></m:SyncFolderId>${out.state ? `<m:SyncState>${out.state}</m:SyncState>` : ''}<m:MaxChangesReturned>${max}</m:MaxChangesReturned></m:SyncFolderItems>`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('ResponseClass="Success"');
    out.calls += 1;
    out.creates.push(...ids(res.text, 'Create'));
    out.updates.push(...ids(res.text, 'Update'));
    out.deletes.push(...ids(res.text, 'Delete'));
    out.reads.push(...ids(res.text, 'ReadFlagChange'));
    out.state = tagText(res.text, 'SyncState') ?? '';
    if (tagText(res.text, 'IncludesLastItemInRange') === 'true') return out;
  }
}

describe('EWS on-premises: sync, MIME, restore', () => {
  it('SyncFolderHierarchy lists the folder tree with real ids', async () => {
    const res = await ews('<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape></m:SyncFolderHierarchy>');
    expect(res.status).toBe(200);
    const names = [...res.text.matchAll(/<t:DisplayName>([^<]*)<\/t:DisplayName>/g)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Projects', 'Alpha', 'Verträge', '2025']));
    expect(tagText(res.text, 'IncludesLastFolderInRange')).toBe('true');
  });

  it('SyncFolderItems pages with SyncState until IncludesLastItemInRange, then reports only changes', async () => {
    const inbox = s.mail.messages(SMITH, 'Inbox');
    const first = await syncItems('inbox');
    expect(first.calls).toBeGreaterThan(2);
    expect(first.creates).toHaveLength(inbox.length);
    expect(new Set(first.creates).size).toBe(inbox.length);

    const [a, b, c] = inbox;
    s.mail.changeMessage(SMITH, a?.id ?? '', { isRead: !a?.isRead });
    s.mail.changeMessage(SMITH, b?.id ?? '', { categories: ['Red category'] });
    s.mail.moveMessage(SMITH, c?.id ?? '', 'Archive');
    const added = s.mail.addMessage(SMITH, 'Inbox', { subject: 'new' });
    const next = await syncItems('inbox', first.state);
    const ewsId = (id: string | undefined): string => (id ?? '').replace(/-/g, '+').replace(/_/g, '/');
    expect(next.reads).toEqual([ewsId(a?.id)]);
    expect(next.updates).toEqual([ewsId(b?.id)]);
    expect(next.deletes).toEqual([ewsId(c?.id)]);
    expect(next.creates).toEqual([ewsId(added)]);
    expect((await syncItems('inbox', next.state)).creates).toEqual([]);

    s.mail.expireSyncState(SMITH);
    const expired = await ews(`<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="inbox"/></m:SyncFolderId><m:SyncState>${next.state}</m:SyncState><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>`);
    expect(expired.text).toContain('<m:ResponseCode>ErrorInvalidSyncStateData</m:ResponseCode>');
    const bad = await ews('<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="inbox"/></m:SyncFolderId><m:MaxChangesReturned>513</m:MaxChangesReturned></m:SyncFolderItems>');
    expect(bad.status).toBe(500);
  });

  it('GetItem with IncludeMimeContent carries the same bytes as Graph $value; PR_MESSAGE_FLAGS on request', async () => {
    const [m] = s.mail.messages(SMITH, 'Inbox').filter((x) => x.hasAttachments);
    const res = await ews(`<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true</t:IncludeMimeContent><t:AdditionalProperties><t:FieldURI FieldURI="item:Subject"/><t:ExtendedFieldURI PropertyTag="3591" PropertyType="Integer"/></t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id="${m?.id}"/><t:ItemId Id="AAMkADnotthere"/></m:ItemIds></m:GetItem>`);
    expect(res.status).toBe(200);
    const mime = Buffer.from(res.text.match(/<t:MimeContent CharacterSet="UTF-8">([^<]+)<\/t:MimeContent>/)?.[1] ?? '', 'base64');
    expect(sha(mime)).toBe(sha(await s.mail.mime(SMITH, m?.id ?? '')));
    expect(res.text).toContain(`<t:Value>${m?.flags}</t:Value>`);
    expect(res.text).toContain('ErrorItemNotFound');
  });

  it('CreateItem with MimeContent: a draft unless PR_MESSAGE_FLAGS says otherwise; dates from the extended properties', async () => {
    const folder = await ews('<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id="msgfolderroot"/></m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Restored 2026-11-24</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>');
    const folderId = folder.text.match(/<t:FolderId Id="([^"]+)"/)?.[1];
    expect(folderId).toBeDefined();
    const [orig] = s.mail.messages(SMITH, 'Inbox');
    const b64 = (await s.mail.mime(SMITH, orig?.id ?? '')).toString('base64');
    const flag = '<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="3591" PropertyType="Integer"/><t:Value>1</t:Value></t:ExtendedProperty><t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x0E06" PropertyType="SystemTime"/><t:Value>2024-01-02T03:04:05Z</t:Value></t:ExtendedProperty>';
    const res = await ews(`<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId><t:FolderId Id="${folderId}"/></m:SavedItemFolderId><m:Items><t:Message><t:MimeContent CharacterSet="UTF-8">${b64}</t:MimeContent>${flag}</t:Message><t:Message><t:MimeContent CharacterSet="UTF-8">${b64}</t:MimeContent></t:Message></m:Items></m:CreateItem>`);
    expect(res.text.match(/ResponseClass="Success"/g)).toHaveLength(2);
    const restored = s.mail.messages(SMITH, 'Restored 2026-11-24');
    expect(restored.map((m) => m.isDraft)).toEqual([false, true]);
    expect(restored[0]).toMatchObject({ subject: orig?.subject, isRead: true, receivedDateTime: '2024-01-02T03:04:05.000Z' });
    expect(sha(await s.mail.mime(SMITH, restored[0]?.id ?? ''))).toBe(sha(Buffer.from(b64, 'base64')));
  });
});

describe('EWS Exchange Online and throttling', () => {
  it('Basic works only while the tenant allows it, on the same mailboxes Graph serves', async () => {
    const admin = `Basic ${Buffer.from('admin@contoso.onmicrosoft.com:Winter2020!').toString('base64')}`;
    const body = '<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="inbox"/></m:SyncFolderId><m:MaxChangesReturned>512</m:MaxChangesReturned></m:SyncFolderItems>';
    expect((await ews(body, 'ceo@contoso.com', ONLINE, admin)).status).toBe(401);
    s.setTenant('contoso', { basicAuth: true });
    const res = await ews(body, 'ceo@contoso.com', ONLINE, admin);
    expect(res.status).toBe(200);
    expect(ids(res.text, 'Create')).toHaveLength(s.mail.messages('ceo@contoso.com', 'Inbox').length);
    s.setTenant('contoso', { basicAuth: false });
  });

  it('a throttled mailbox answers ErrorServerBusy with BackOffMilliseconds', async () => {
    s.throttle({ mailbox: SMITH, service: 'ews', requests: 2, retryAfterSeconds: 3 });
    const body = '<m:SyncFolderHierarchy><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape></m:SyncFolderHierarchy>';
    for (let i = 0; i < 2; i++) {
      const busy = await ews(body);
      expect(busy.status).toBe(500);
      expect(busy.text).toContain('ErrorServerBusy');
      expect(busy.text).toContain('<t:Value Name="BackOffMilliseconds">3000</t:Value>');
    }
    expect((await ews(body, 'administrator@corp.contoso.com')).status).toBe(200);
    expect((await ews(body)).status).toBe(200);
    expect(s.countRequests('ews.SyncFolderHierarchy')).toBeGreaterThanOrEqual(4);
  });
});
