import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { parseMime } from '../../src/sandbox/mail/mime-read.js';
import { appToken, deltaRound, G, get } from './data-helpers.js';
import { call } from './helpers.js';

type Msg = { id: string; subject?: string; isRead?: boolean; isDraft?: boolean; '@removed'?: { reason: string }; parentFolderId?: string; body?: unknown };
type Folder = { id: string; displayName: string; parentFolderId: string; totalItemCount: number; '@removed'?: unknown };

let s: Sandbox;
let token: string;
const CEO = 'ceo@contoso.com';
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s = await startSandbox({ data: { messages: 60, largeMessages: 2, largeMessageBytes: 2 * 1024 * 1024 } });
  token = await appToken(s, ['Mail.Read', 'User.Read.All']);
});
afterAll(() => s.close());

async function folders(upn = CEO): Promise<Folder[]> {
  return (await deltaRound<Folder>(s, `${G}/users/${upn}/mailFolders/delta`, token, 4)).items;
}

describe('mailboxes: users, folders, messages', () => {
  it('pages /users by @odata.nextLink', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${G}/users?$select=id,userPrincipalName,mail&$top=2`;
    while (url) {
      const res = await get(s, url, token);
      expect(res.status).toBe(200);
      const body = res.json<{ value: Array<{ userPrincipalName: string; displayName?: string }>; '@odata.nextLink'?: string }>();
      expect(body.value.length).toBeLessThanOrEqual(2);
      expect(body.value[0]?.displayName).toBeUndefined();
      seen.push(...body.value.map((u) => u.userPrincipalName));
      url = body['@odata.nextLink'];
    }
    expect(seen).toContain(CEO);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(6);
  });

  it('mailFolders/delta returns the nested folder tree, paged, then a delta link', async () => {
    const list = await folders();
    const byName = new Map(list.map((f) => [f.displayName, f]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Drafts', 'Projects', 'Alpha', 'Verträge', '2025']));
    expect(byName.get('Alpha')?.parentFolderId).toBe(byName.get('Projects')?.id);
    expect(byName.get('Projects')?.parentFolderId).toBe(byName.get('Inbox')?.id);
    const total = list.reduce((n, f) => n + f.totalItemCount, 0);
    expect(total).toBe(60);
  });

  it('messages/delta pages a folder without duplicates and the next round is empty', async () => {
    const inbox = (await folders()).find((f) => f.displayName === 'Inbox');
    const round = await deltaRound<Msg>(s, `${G}/users/${CEO}/mailFolders/${inbox?.id}/messages/delta?$select=subject,isRead,isDraft`, token, 7);
    expect(round.items.length).toBe(inbox?.totalItemCount);
    expect(round.pages).toBeGreaterThan(2);
    expect(new Set(round.items.map((m) => m.id)).size).toBe(round.items.length);
    expect(round.items[0]).not.toHaveProperty('body');
    expect(round.deltaLink).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/users\('.+'\)\/mailFolders\('.+'\)\/messages\/delta\?\$deltatoken=/);
    const again = await deltaRound<Msg>(s, round.deltaLink, token);
    expect(again.items).toEqual([]);
  });

  it('serves MIME byte-identical on every request, large items streamed, with RFC 2047/2231 names that parse back', async () => {
    const inbox = s.mail.messages(CEO, 'Inbox');
    const large = inbox.filter((m) => m.size > 2 * 1024 * 1024);
    expect(large.length).toBe(2);
    let withAttachment = 0;
    for (const m of inbox) {
      const a = await get(s, `${G}/users/${CEO}/messages/${m.id}/$value`, token);
      const b = await get(s, `${G}/users/${CEO}/mailFolders/inbox/messages/${m.id}/$value`, token);
      expect(a.status).toBe(200);
      expect(sha(a.text)).toBe(sha(b.text));
      const direct = await s.mail.mime(CEO, m.id);
      expect(Buffer.byteLength(a.text)).toBe(direct.length);
      expect(sha(a.text)).toBe(sha(direct));
      const parsed = parseMime(direct);
      expect(parsed.subject).toBe(m.subject);
      const hashes = await s.mail.attachments(CEO, m.id);
      expect(parsed.attachments.map((x) => [x.name, x.sha256])).toEqual(hashes.map((x) => [x.name, x.sha256]));
      if (hashes.some((x) => !x.isInline)) withAttachment++;
    }
    expect(withAttachment).toBeGreaterThanOrEqual(2);
  });

  it('lists pages by $top/$skip across a folder and across the mailbox', async () => {
    const collect = async (first: string): Promise<string[]> => {
      const out: string[] = [];
      for (let url: string | undefined = first; url; ) {
        const res = await get(s, url, token);
        expect(res.status).toBe(200);
        const body = res.json<{ value: Msg[]; '@odata.nextLink'?: string }>();
        out.push(...body.value.map((m) => m.id));
        url = body['@odata.nextLink'];
      }
      return out;
    };
    const inbox = await collect(`${G}/users/${CEO}/mailFolders/inbox/messages?$top=7&$select=subject`);
    expect(inbox.sort()).toEqual(s.mail.messages(CEO, 'Inbox').map((m) => m.id).sort());
    const all = await collect(`${G}/users/${CEO}/messages?$top=9&$select=subject`);
    expect(new Set(all).size).toBe(60);
  });

  it('reports drafts as drafts (MSGFLAG_UNSENT)', async () => {
    const drafts = s.mail.messages(CEO, 'drafts');
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) expect(d).toMatchObject({ isDraft: true });
    const res = await get(s, `${G}/users/${CEO}/messages/${drafts[0]?.id}?$select=isDraft&$expand=singleValueExtendedProperties($filter=id eq 'Integer 0x0E07')`, token);
    expect(res.json()).toMatchObject({ isDraft: true, singleValueExtendedProperties: [{ id: 'Integer 0xe07', value: String(drafts[0]?.flags) }] });
    const immutable = await get(s, `${G}/users/${CEO}/mailFolders/drafts/messages/delta`, token, { prefer: 'IdType="ImmutableId", odata.maxpagesize=50' });
    expect(immutable.headers.get('preference-applied')).toBe('odata.maxpagesize=50, IdType="ImmutableId"');
  });
});

describe('mailboxes: changes at the source', () => {
  it('the next round returns only the changes: added, changed, moved (remove + add, same MIME) and deleted', async () => {
    const admin = 'admin@contoso.onmicrosoft.com';
    const list = await folders(admin);
    const inboxId = list.find((f) => f.displayName === 'Inbox')?.id ?? '';
    const alphaId = list.find((f) => f.displayName === 'Alpha')?.id ?? '';
    const inboxUrl = `${G}/users/${admin}/mailFolders/${inboxId}/messages/delta?$select=subject,isRead`;
    const alphaUrl = `${G}/users/${admin}/mailFolders/${alphaId}/messages/delta?$select=subject`;
    const inbox0 = await deltaRound<Msg>(s, inboxUrl, token, 50);
    const alpha0 = await deltaRound<Msg>(s, alphaUrl, token, 50);
    const [a, b, c] = inbox0.items;
    const mimeBefore = await s.mail.mime(admin, c?.id ?? '');

    const added = s.mail.addMessage(admin, 'Inbox', { subject: 'Neue Nachricht – Übergabe' });
    s.mail.changeMessage(admin, a?.id ?? '', { isRead: !a?.isRead });
    s.mail.deleteMessage(admin, b?.id ?? '');
    s.mail.moveMessage(admin, c?.id ?? '', 'Inbox/Projects/Alpha');

    const inbox1 = await deltaRound<Msg>(s, inbox0.deltaLink, token, 50);
    expect(inbox1.items.map((m) => m.id).sort()).toEqual([added, a?.id, b?.id, c?.id].sort());
    expect(inbox1.items.find((m) => m.id === b?.id)).toEqual({ '@odata.type': '#microsoft.graph.message', id: b?.id, '@removed': { reason: 'deleted' } });
    expect(inbox1.items.find((m) => m.id === c?.id)).toMatchObject({ '@removed': { reason: 'deleted' } });
    expect(inbox1.items.find((m) => m.id === a?.id)).toMatchObject({ isRead: !a?.isRead });
    expect(inbox1.items.find((m) => m.id === added)).toMatchObject({ subject: 'Neue Nachricht – Übergabe' });

    const alpha1 = await deltaRound<Msg>(s, alpha0.deltaLink, token, 50);
    expect(alpha1.items.map((m) => m.id)).toEqual([c?.id]);
    const moved = await get(s, `${G}/users/${admin}/messages/${c?.id}/$value`, token);
    expect(sha(moved.text)).toBe(sha(mimeBefore));

    expect((await deltaRound<Msg>(s, inbox1.deltaLink, token)).items).toEqual([]);
    const folders1 = await deltaRound<Folder>(s, `${G}/users/${admin}/mailFolders/delta`, token);
    const newFolder = s.mail.addFolder(admin, 'Inbox', 'Kunden');
    s.mail.deleteFolder(admin, 'Inbox/Verträge');
    const folders2 = await deltaRound<Folder>(s, folders1.deltaLink, token);
    expect(folders2.items.map((f) => f.displayName ?? 'removed').sort()).toEqual(['Kunden', 'removed']);
    expect(folders2.items.find((f) => f.id === newFolder)).toMatchObject({ displayName: 'Kunden', parentFolderId: inboxId });
    expect(folders2.items.find((f) => f['@removed'])).toBeDefined();
  });

  it('an expired delta token answers 410 SyncStateNotFound; a forged one 400', async () => {
    const url = `${G}/users/helpdesk@contoso.onmicrosoft.com/mailFolders/inbox/messages/delta`;
    const round = await deltaRound<Msg>(s, url, token, 100);
    s.mail.expireSyncState('helpdesk@contoso.onmicrosoft.com');
    const gone = await get(s, round.deltaLink, token);
    expect(gone.status).toBe(410);
    expect(gone.json()).toMatchObject({ error: { code: 'SyncStateNotFound' } });
    const forged = await get(s, round.deltaLink.replace(/deltatoken=.{6}/, 'deltatoken=AAAAAA'), token);
    expect(forged.status).toBe(400);
    const fresh = await deltaRound<Msg>(s, url, token, 100);
    expect(fresh.items.length).toBe(round.items.length);
  });
});

describe('mailboxes: permissions', () => {
  it('Mail.ReadBasic.All sees no body and no MIME; no mail role is refused', async () => {
    const basic = await appToken(s, ['Mail.ReadBasic.All']);
    const [m] = s.mail.messages(CEO, 'Inbox');
    const json = await get(s, `${G}/users/${CEO}/messages/${m?.id}`, basic);
    expect(json.status).toBe(200);
    expect(json.json()).not.toHaveProperty('body');
    expect((await get(s, `${G}/users/${CEO}/messages/${m?.id}/$value`, basic)).status).toBe(403);
    const none = await appToken(s, ['User.Read.All']);
    const denied = await get(s, `${G}/users/${CEO}/mailFolders/delta`, none);
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
  });
});

describe('mailboxes: restore writes', () => {
  const admin = 'admin@contoso.onmicrosoft.com';
  let rw: string;
  beforeAll(async () => {
    rw = await appToken(s, ['Mail.ReadWrite']);
  });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    call(s, url, { method: 'POST', headers: { authorization: `Bearer ${rw}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('MIME create makes a draft; JSON create with PidTagMessageFlags does not, with the original dates; PATCH cannot clear the draft flag', async () => {
    const folder = await post(`${G}/users/${admin}/mailFolders/msgfolderroot/childFolders`, { displayName: 'Restored 2026-11-24' });
    expect(folder.status).toBe(201);
    const folderId = folder.json<{ id: string }>().id;
    expect((await post(`${G}/users/${admin}/mailFolders/msgfolderroot/childFolders`, { displayName: 'Restored 2026-11-24' })).status).toBe(409);

    const [orig] = s.mail.messages(CEO, 'Inbox');
    const mime = await s.mail.mime(CEO, orig?.id ?? '');
    const draft = await post(`${G}/users/${admin}/mailFolders/${folderId}/messages`, mime.toString('base64'), { 'content-type': 'text/plain' });
    expect(draft.status).toBe(201);
    expect(draft.json()).toMatchObject({ isDraft: true, subject: orig?.subject });
    const patched = await call(s, `${G}/users/${admin}/messages/${draft.json<{ id: string }>().id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${rw}`, 'content-type': 'application/json' },
      body: JSON.stringify({ singleValueExtendedProperties: [{ id: 'Integer 0x0E07', value: '1' }] }),
    });
    expect(patched.json()).toMatchObject({ isDraft: true });
    expect((await post(`${G}/users/${admin}/messages`, 'not base64!', { 'content-type': 'text/plain' })).json()).toMatchObject({ error: { code: 'ErrorMimeContentInvalidBase64String' } });

    const created = await post(`${G}/users/${admin}/mailFolders/${folderId}/messages`, {
      subject: 'Übergabe – Restore',
      body: { contentType: 'html', content: '<p>Hallo</p>' },
      from: { emailAddress: { name: 'Jürgen Müller', address: 'juergen.mueller@fabrikam.com' } },
      toRecipients: [{ emailAddress: { name: 'Admin', address: admin } }],
      singleValueExtendedProperties: [
        { id: 'Integer 0x0E07', value: '1' },
        { id: 'SystemTime 0x0E06', value: '2025-03-04T05:06:07Z' },
        { id: 'SystemTime 0x0039', value: '2025-03-04T05:06:00Z' },
      ],
    });
    expect(created.status).toBe(201);
    const id = created.json<{ id: string }>().id;
    const small = await post(`${G}/users/${admin}/messages/${id}/attachments`, { '@odata.type': '#microsoft.graph.fileAttachment', name: 'Übersicht Q3.xlsx', contentBytes: Buffer.from('small').toString('base64') });
    expect(small.status).toBe(201);
    const big = Buffer.alloc(3_500_000, 7);
    const session = await post(`${G}/users/${admin}/messages/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'große Präsentation.pptx', size: big.length } });
    expect(session.status).toBe(201);
    const uploadUrl = session.json<{ uploadUrl: string; nextExpectedRanges: string[] }>().uploadUrl;
    expect(uploadUrl).toMatch(/^https:\/\/outlook\.office\.com\/api\/v2\.0\/Users\('.+'\)\/Messages\('.+'\)\/AttachmentSessions\('.+'\)\?authtoken=/);
    const withAuth = await call(s, uploadUrl, { method: 'PUT', headers: { authorization: `Bearer ${rw}`, 'content-range': `bytes 0-9/${big.length}` }, body: big.subarray(0, 10).toString('latin1') });
    expect(withAuth.status).toBe(401);
    const chunk = 2 * 1024 * 1024;
    for (let at = 0; at < big.length; at += chunk) {
      const end = Math.min(big.length, at + chunk) - 1;
      const res = await fetch(`${s.url}${new URL(uploadUrl).pathname}${new URL(uploadUrl).search}`, { method: 'PUT', headers: { 'x-forwarded-host': 'outlook.office.com', 'content-range': `bytes ${at}-${end}/${big.length}` }, body: big.subarray(at, end + 1) });
      expect(res.status).toBe(end === big.length - 1 ? 201 : 200);
      if (res.status === 201) expect(res.headers.get('location')).toMatch(/\/Attachments\('.+'\)$/);
    }

    const restored = s.mail.messages(admin, 'Restored 2026-11-24');
    expect(restored.map((m) => [m.subject, m.isDraft])).toEqual([
      [orig?.subject, true],
      ['Übergabe – Restore', false],
    ]);
    const done = s.mail.message(admin, id);
    expect(done).toMatchObject({ isDraft: false, isRead: true, receivedDateTime: '2025-03-04T05:06:07.000Z', sentDateTime: '2025-03-04T05:06:00.000Z', hasAttachments: true });
    const atts = await s.mail.attachments(admin, id);
    expect(atts.map((a) => [a.name, a.size])).toEqual([
      ['Übersicht Q3.xlsx', 5],
      ['große Präsentation.pptx', big.length],
    ]);
    expect(atts[1]?.sha256).toBe(sha(big));
    const parsed = parseMime(await s.mail.mime(admin, id));
    expect(parsed.attachments.map((a) => a.sha256)).toEqual(atts.map((a) => a.sha256));
  });
});
