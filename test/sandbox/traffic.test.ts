import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { appToken, deltaRound, fetchRaw, G, get } from './data-helpers.js';

let s: Sandbox;
let token: string;
const CEO = 'ceo@contoso.com';

beforeAll(async () => {
  s = await startSandbox({ data: { messages: 30, files: 12 } });
  token = await appToken(s, ['Mail.Read', 'Sites.Read.All', 'User.Read.All']);
});
afterAll(() => s.close());

describe('throttling and concurrency', () => {
  it('a 429 storm on one mailbox carries Retry-After and spares the others', async () => {
    s.throttle({ mailbox: CEO, requests: 3, retryAfterSeconds: 7 });
    for (let i = 0; i < 3; i++) {
      const res = await get(s, `${G}/users/${CEO}/mailFolders/inbox`, token);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
      expect((await get(s, `${G}/users/helpdesk@contoso.onmicrosoft.com/mailFolders/inbox`, token)).status).toBe(200);
    }
    expect((await get(s, `${G}/users/${CEO}/mailFolders/inbox`, token)).status).toBe(200);
  });

  it('503 storms and library storms answer as SharePoint does', async () => {
    s.throttle({ drive: 'contoso.sharepoint.com/sites/finance', requests: 1, status: 503, retryAfterSeconds: 2 });
    const drives = s.drives.list('contoso.sharepoint.com/sites/finance');
    const res = await get(s, `${G}/drives/${drives[0]?.id}/root/delta`, token);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await get(s, `${G}/drives/${drives[0]?.id}/root/delta`, token)).status).toBe(200);
  });

  it('a fifth concurrent request to one mailbox is refused with MailboxConcurrency; the held four then succeed', async () => {
    const release = s.mail.hold(CEO);
    const held = Array.from({ length: 4 }, () => get(s, `${G}/users/${CEO}/mailFolders/inbox/messages?$top=1`, token));
    await vi.waitFor(() => expect(s.mail.inFlight(CEO)).toBe(4), { timeout: 10_000, interval: 5 });
    const fifth = await get(s, `${G}/users/${CEO}/messages?$top=1`, token);
    expect(fifth.status).toBe(429);
    expect(fifth.json()).toMatchObject({ error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } });
    expect(fifth.headers.get('retry-after')).toBeTruthy();
    expect((await get(s, `${G}/users/helpdesk@contoso.onmicrosoft.com/messages?$top=1`, token)).status).toBe(200);
    release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(s.mail.inFlight(CEO)).toBe(0);
  });
});

describe('a connection reset in the middle of a body', () => {
  it('sends the real headers and the first bytes, then drops the socket; the retry is whole', async () => {
    const [m] = s.mail.messages(CEO, 'Inbox').filter((x) => x.size > 5000);
    s.inject({ path: /\/\$value$/, respond: { resetAfterBytes: 1000 } });
    const cut = await fetchRaw(s, `${G}/users/${CEO}/messages/${m?.id}/$value`, { headers: { authorization: `Bearer ${token}` } });
    expect(cut.status).toBe(200);
    expect(Number(cut.headers.get('content-length'))).toBe(m?.size);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    const whole = await get(s, `${G}/users/${CEO}/messages/${m?.id}/$value`, token);
    expect(Buffer.byteLength(whole.text)).toBe(m?.size);
  });
});

describe('request counting: the next round costs requests proportional to changes', () => {
  it('counts delta pages and MIME downloads by kind', async () => {
    const round = await deltaRound<{ id: string }>(s, `${G}/users/${CEO}/mailFolders/inbox/messages/delta?$select=subject`, token, 5);
    const mark = s.requests.length;
    const added = s.mail.addMessage(CEO, 'Inbox');
    const next = await deltaRound<{ id: string }>(s, round.deltaLink, token, 5);
    for (const m of next.items) expect((await get(s, `${G}/users/${CEO}/messages/${m.id}/$value`, token)).status).toBe(200);
    expect(next.items.map((m) => m.id)).toEqual([added]);
    expect(s.countRequests('mail.messages.delta', mark)).toBe(1);
    expect(s.countRequests('mail.mime', mark)).toBe(1);
    expect(s.countRequests('mail', mark)).toBe(2);
    expect(s.countRequests(/^mail\.(mime|messages\.delta)$/, mark)).toBe(2);
  });
});

describe('HTTP control API for data', () => {
  const control = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${s.url}${path}`, { method: init.method ?? 'GET', ...(init.body !== undefined ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}) });
    return { status: res.status, text: await res.text() };
  };

  it('reads, adds, changes, moves and deletes messages and files; throttles; counts', async () => {
    const folders = JSON.parse((await control(`/_sandbox/mail/folders?mailbox=${CEO}`)).text) as Array<{ path: string }>;
    expect(folders.map((f) => f.path)).toContain('Inbox/Projects/Alpha');
    const added = await control(`/_sandbox/mail/messages?mailbox=${CEO}&folder=${encodeURIComponent('Inbox/Projects')}`, { method: 'POST', body: { subject: 'über HTTP' } });
    expect(added.status).toBe(201);
    const id = (JSON.parse(added.text) as { id: string }).id;
    expect((await control(`/_sandbox/mail/message?mailbox=${CEO}&id=${id}`, { method: 'PATCH', body: { isRead: true, folder: 'Archive' } })).status).toBe(204);
    expect(JSON.parse((await control(`/_sandbox/mail/message?mailbox=${CEO}&id=${id}`)).text)).toMatchObject({ folder: 'Archive', isRead: true, subject: 'über HTTP' });
    const mime = await control(`/_sandbox/mail/mime?mailbox=${CEO}&id=${id}`);
    expect(mime.text).toContain('Subject: =?utf-8?B?');
    expect((await control(`/_sandbox/mail/message?mailbox=${CEO}&id=${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await control(`/_sandbox/mail/message?mailbox=${CEO}&id=${id}`)).status).toBe(404);

    const site = 'contoso.sharepoint.com/sites/projects';
    const file = await control(`/_sandbox/drives/items?drive=${encodeURIComponent(site)}`, { method: 'POST', body: { path: 'General/neu.txt', content: 'hallo' } });
    expect(file.status).toBe(201);
    expect((await control(`/_sandbox/drives/content?drive=${encodeURIComponent(site)}&item=${encodeURIComponent('General/neu.txt')}`)).text).toBe('hallo');
    expect((await control(`/_sandbox/drives/item?drive=${encodeURIComponent(site)}&item=${encodeURIComponent('General/neu.txt')}`, { method: 'PATCH', body: { size: 4096 } })).status).toBe(204);
    expect(JSON.parse((await control(`/_sandbox/drives/item?drive=${encodeURIComponent(site)}&item=${encodeURIComponent('General/neu.txt')}`)).text)).toMatchObject({ size: 4096, kind: 'file' });

    expect((await control('/_sandbox/throttle', { method: 'POST', body: { mailbox: CEO, requests: 1 } })).status).toBe(201);
    expect((await get(s, `${G}/users/${CEO}/mailFolders/inbox`, token)).status).toBe(429);
    expect(JSON.parse((await control('/_sandbox/requests/count?kind=mail.folders')).text)).toMatchObject({ count: expect.any(Number) });
    expect((await control('/_sandbox/mail/expire', { method: 'POST', body: { mailbox: CEO } })).status).toBe(200);
    expect((await control(`/_sandbox/mail/folders?mailbox=nobody@contoso.com`)).status).toBe(404);
  });
});
