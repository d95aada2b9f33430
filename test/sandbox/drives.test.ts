import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { QuickXor } from '../../src/sandbox/drives/quickxor.js';
import { appToken, deltaRound, fetchRaw, G, get } from './data-helpers.js';
import { call } from './helpers.js';

type Item = { id: string; name: string; size?: number; parentReference: { id?: string; path?: string; driveId: string }; file?: { hashes: { quickXorHash: string } }; folder?: unknown; root?: unknown; deleted?: unknown; '@microsoft.graph.downloadUrl'?: string };

let s: Sandbox;
let token: string;
const HR = 'contoso.sharepoint.com/sites/hr';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s = await startSandbox({ data: { files: 40, largeFiles: 1, largeFileBytes: 3 * 1024 * 1024 } });
  token = await appToken(s, ['Sites.Read.All']);
});
afterAll(() => s.close());

async function hrDrives(): Promise<Array<{ id: string; name: string; driveType: string; webUrl: string }>> {
  const site = await get(s, `${G}/sites/contoso.sharepoint.com:/sites/hr`, token);
  const res = await get(s, `${G}/sites/${site.json<{ id: string }>().id}/drives`, token);
  expect(res.status).toBe(200);
  return res.json<{ value: Array<{ id: string; name: string; driveType: string; webUrl: string }> }>().value;
}

/** Downloads a file the way a client should: /content → 302 → the pre-authenticated URL without Authorization. */
async function download(driveId: string, itemId: string): Promise<{ bytes: Buffer; location: string }> {
  const redirect = await fetchRaw(s, `${G}/drives/${driveId}/items/${itemId}/content`, { headers: { authorization: `Bearer ${token}` } });
  expect(redirect.status).toBe(302);
  const location = redirect.headers.get('location') ?? '';
  const res = await fetchRaw(s, location);
  expect(res.status).toBe(200);
  return { bytes: Buffer.from(await res.arrayBuffer()), location };
}

describe('document libraries', () => {
  it('lists a site’s libraries by id and by path', async () => {
    const drives = await hrDrives();
    expect(drives.map((d) => [d.name, d.driveType])).toEqual([
      ['Documents', 'documentLibrary'],
      ['Policies', 'documentLibrary'],
    ]);
    expect(drives[0]?.webUrl).toBe('https://contoso.sharepoint.com/sites/hr/Shared%20Documents');
    const byPath = await get(s, `${G}/sites/contoso.sharepoint.com:/sites/hr:/drives`, token);
    expect(byPath.json<{ value: unknown[] }>().value).toHaveLength(2);
  });

  it('root/delta enumerates the tree (root first, parents before children), paged, with hashes and download URLs', async () => {
    const [documents] = await hrDrives();
    const round = await deltaRound<Item>(s, `${G}/drives/${documents?.id}/root/delta?$top=7`, token);
    expect(round.pages).toBeGreaterThan(3);
    expect(round.items[0]?.root).toBeDefined();
    const seen = new Set<string>();
    for (const item of round.items) {
      if (!item.root) expect(seen.has(item.parentReference.id ?? '')).toBe(true);
      expect(item.parentReference.path).toBeUndefined();
      seen.add(item.id);
    }
    const files = round.items.filter((i) => i.file);
    expect(files).toHaveLength(40);
    expect(new Set(round.items.map((i) => i.id)).size).toBe(round.items.length);
    expect(round.items.map((i) => i.name)).toEqual(expect.arrayContaining(['Verträge & Angebote', 'Ältere Dateien', 'Q1']));
    expect(files.some((f) => f.size === 0)).toBe(true);
    expect(files.filter((f) => (f.size ?? 0) > 2 * 1024 * 1024)).toHaveLength(1);
    expect(round.deltaLink).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/drives\/b!.+\/root\/delta\?token=/);
    expect((await deltaRound<Item>(s, round.deltaLink, token)).items).toEqual([]);
  });

  it('content is a 302 to download.aspx on the tenant host that works without Authorization and refuses it with', async () => {
    const [documents] = await hrDrives();
    const list = s.drives.items(HR).filter((i) => i.kind === 'file');
    const large = list.find((i) => i.size > 2 * 1024 * 1024);
    for (const f of [large, ...list.slice(0, 5)]) {
      if (!f) continue;
      const { bytes, location } = await download(documents?.id ?? '', f.id);
      expect(location).toMatch(/^https:\/\/contoso\.sharepoint\.com\/sites\/hr\/_layouts\/15\/download\.aspx\?UniqueId=[0-9a-f-]+&Translate=false&tempauth=.+&ApiVersion=2\.0$/);
      expect(bytes.length).toBe(f.size);
      expect(sha(bytes)).toBe(await s.drives.sha256(HR, f.id));
      const q = new QuickXor();
      q.update(bytes);
      expect(q.digest()).toBe(f.quickXorHash);
    }
    const { location } = await download(documents?.id ?? '', large?.id ?? '');
    const withBearer = await fetchRaw(s, location, { headers: { authorization: `Bearer ${token}` } });
    expect(withBearer.status).toBe(401);
    const range = await fetchRaw(s, location, { headers: { range: 'bytes=100-199' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 100-199/${large?.size}`);
    expect(Buffer.from(await range.arrayBuffer())).toEqual((await s.drives.content(HR, large?.id ?? '')).subarray(100, 200));
    const forged = await fetchRaw(s, location.replace(/tempauth=[^&]+/, 'tempauth=eyJ.eyJ.AAAA'));
    expect(forged.status).toBe(401);
  });

  it('after changes the next round has only them; deletions carry the deleted facet; an expired token is 410 resyncRequired', async () => {
    const [documents] = await hrDrives();
    const url = `${G}/drives/${documents?.id}/root/delta`;
    const first = await deltaRound<Item>(s, url, token);
    const reports = [s.drives.item(HR, 'Reports'), ...s.drives.items(HR, 'Reports')];
    const added = s.drives.addFile(HR, 'General/neu – Übersicht.txt', 'hallo');
    const changed = s.drives.items(HR).find((i) => i.kind === 'file' && i.path.startsWith('Projects/'));
    s.drives.changeFile(HR, changed?.id ?? '', { size: 12345 });
    s.drives.move(HR, 'Archiv', 'General');
    s.drives.delete(HR, 'Reports');
    const next = await deltaRound<Item>(s, first.deltaLink, token);
    const deleted = next.items.filter((i) => i.deleted);
    expect(deleted.map((i) => i.id).sort()).toEqual(reports.map((i) => i?.id).sort());
    // Children are reported before their folder.
    expect(deleted.at(-1)?.id).toBe(reports[0]?.id);
    const live = next.items.filter((i) => !i.deleted).map((i) => i.id);
    expect(live).toEqual(expect.arrayContaining([added, changed?.id, s.drives.item(HR, 'General/Archiv')?.id]));
    expect(live).toHaveLength(3);
    expect(next.items.find((i) => i.id === changed?.id)?.size).toBe(12345);

    s.drives.expireDeltaTokens(HR);
    const gone = await get(s, next.deltaLink, token);
    expect(gone.status).toBe(410);
    expect(gone.json()).toMatchObject({ error: { code: 'resyncRequired', innerError: { code: 'resyncChangesApplyDifferences' } } });
    expect(gone.headers.get('location')).toBe(url);
    const fresh = await deltaRound<Item>(s, gone.headers.get('location') ?? '', token);
    expect(fresh.items.length).toBe(s.drives.items(HR).length + 1);
  });

  it('restore writes: folders, simple PUT, upload sessions in ranges, conflict rules; read back', async () => {
    const rw = await appToken(s, ['Sites.ReadWrite.All']);
    const [documents] = await hrDrives();
    const d = documents?.id ?? '';
    const auth = { authorization: `Bearer ${rw}`, 'content-type': 'application/json' };
    expect((await call(s, `${G}/drives/${d}/root:/x.txt:/content`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: 'x' })).status).toBe(403);
    const folder = await call(s, `${G}/drives/${d}/root/children`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Restored 2026-11-24', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' }) });
    expect(folder.status).toBe(201);
    const folderId = folder.json<{ id: string }>().id;
    const again = await call(s, `${G}/drives/${d}/root/children`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Restored 2026-11-24', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' }) });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'nameAlreadyExists' } });

    const put = await call(s, `${G}/drives/${d}/items/${folderId}:/Notiz für Jürgen.txt:/content`, { method: 'PUT', headers: { authorization: `Bearer ${rw}` }, body: 'Grüße' });
    expect(put.status).toBe(201);
    const replaced = await call(s, `${G}/drives/${d}/items/${folderId}:/Notiz für Jürgen.txt:/content`, { method: 'PUT', headers: { authorization: `Bearer ${rw}` }, body: 'Grüße 2' });
    expect(replaced.status).toBe(200);
    expect(await s.drives.content(HR, 'Restored 2026-11-24/Notiz für Jürgen.txt')).toEqual(Buffer.from('Grüße 2'));

    const big = Buffer.alloc(5 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const session = await call(s, `${G}/drives/${d}/items/${folderId}:/Präsentation.pptx:/createUploadSession`, { method: 'POST', headers: auth, body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'rename', name: 'Präsentation.pptx', fileSize: big.length } }) });
    expect(session.status).toBe(200);
    const uploadUrl = session.json<{ uploadUrl: string }>().uploadUrl;
    expect(uploadUrl).toMatch(/^https:\/\/contoso\.sharepoint\.com\/sites\/hr\/_api\/v2\.0\/drives\/.+\/uploadSession\?/);
    const chunk = 320 * 1024 * 8;
    let done: Response | undefined;
    for (let at = 0; at < big.length; at += chunk) {
      const end = Math.min(big.length, at + chunk) - 1;
      done = await fetchRaw(s, uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes ${at}-${end}/${big.length}` }, body: big.subarray(at, end + 1) });
      expect(done.status).toBe(end === big.length - 1 ? 201 : 202);
    }
    const created = (await done?.json()) as Item;
    expect(created.name).toBe('Präsentation.pptx');
    expect(await s.drives.sha256(HR, created.id)).toBe(sha(big));
    const q = new QuickXor();
    q.update(big);
    expect(created.file?.hashes.quickXorHash).toBe(q.digest());
  });
});
