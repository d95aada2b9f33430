import { GRAPH_BASE } from '../graph-client.js';
import type { DataClient } from './client.js';
import { graphFailure } from './client.js';
import { DataCallError } from './classify.js';
import type { OpenResponse } from './http.js';
import { discard, readCapped } from './http.js';
import type { DeltaPage } from './mail.js';

/**
 * Microsoft Graph drives (contracts §9): sites, their document libraries, root/delta per drive,
 * content through the 302 to a pre-authenticated URL (fetched without the Authorization header),
 * and restore by simple PUT (≤ 250 MB) or an upload session.
 */

export interface Site {
  readonly id: string;
  readonly webUrl?: string;
  readonly name?: string;
  readonly displayName?: string;
}

export interface Drive {
  readonly id: string;
  readonly name?: string;
  readonly driveType?: string;
}

export interface DriveItem {
  readonly id: string;
  readonly name?: string;
  readonly size?: number;
  readonly lastModifiedDateTime?: string;
  readonly createdDateTime?: string;
  readonly eTag?: string;
  readonly cTag?: string;
  readonly root?: object;
  readonly folder?: object;
  readonly file?: { readonly mimeType?: string; readonly hashes?: { readonly quickXorHash?: string; readonly sha256Hash?: string } };
  readonly deleted?: object;
  readonly parentReference?: { readonly id?: string; readonly path?: string; readonly driveId?: string };
  readonly '@removed'?: object;
}

interface ODataPage<T> {
  readonly value?: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

/** Simple upload limit (Graph docs); above it an upload session. */
export const SIMPLE_UPLOAD_MAX = 250 * 1_048_576;
/** Upload session chunks must be multiples of 320 KiB: 32 × 320 KiB = 10 MiB. */
export const UPLOAD_CHUNK = 32 * 327_680;

export class DrivesApi {
  constructor(
    private readonly client: DataClient,
    private readonly base = GRAPH_BASE,
  ) {}

  /** A site by host and server-relative path: contoso.sharepoint.com + /sites/Finance. */
  async siteByPath(host: string, path: string): Promise<Site> {
    const rel = path.startsWith('/') ? path : `/${path}`;
    return (await this.client.json<Site>({ url: `${this.base}/sites/${host}:${rel.split('/').map(encodeURIComponent).join('/')}` })).body;
  }

  /** Every site collection of the tenant (application permissions). */
  async *sites(): AsyncGenerator<Site> {
    let url: string | undefined = `${this.base}/sites/getAllSites?$select=id,webUrl,name,displayName&$top=999`;
    while (url) {
      const page: ODataPage<Site> = (await this.client.json<ODataPage<Site>>({ url })).body;
      for (const site of page.value ?? []) yield site;
      url = page['@odata.nextLink'];
    }
  }

  async drives(siteId: string): Promise<Drive[]> {
    const out: Drive[] = [];
    let url: string | undefined = `${this.base}/sites/${encodeURIComponent(siteId)}/drives?$select=id,name,driveType`;
    while (url) {
      const page: ODataPage<Drive> = (await this.client.json<ODataPage<Drive>>({ url })).body;
      out.push(...(page.value ?? []));
      url = page['@odata.nextLink'];
    }
    return out;
  }

  /** A drive's changes since `deltaLink` (everything without one); removed items carry `deleted`. */
  async *delta(driveId: string, deltaLink?: string): AsyncGenerator<DeltaPage<DriveItem>> {
    let next: string | undefined = deltaLink ?? `${this.base}/drives/${encodeURIComponent(driveId)}/root/delta?$top=500`;
    while (next) {
      const page: ODataPage<DriveItem> = (
        await this.client.json<ODataPage<DriveItem>>({ url: next, key: driveId, headers: { Prefer: 'deltashowremovedasdeleted, deltatraversepermissiongaps' } })
      ).body;
      const link = page['@odata.deltaLink'];
      next = page['@odata.nextLink'];
      yield { items: page.value ?? [], ...(link && !next ? { deltaLink: link } : {}) };
      if (!next && !link) throw new DataCallError(200, 'NoDeltaLink', 'the drive delta ended without a delta link', 'graph');
    }
  }

  /** The file's content as a stream: follows the 302 to the pre-authenticated URL without Authorization. */
  async content(driveId: string, itemId: string): Promise<OpenResponse> {
    const first = await this.client.open({ url: `${this.base}/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(itemId)}/content`, key: driveId, accept: [302] });
    if (first.status === 200) return first;
    if (first.status === 302 || first.status === 301 || first.status === 307) {
      const location = first.headers.location;
      await discard(first);
      if (!location) throw new DataCallError(first.status, 'NoLocation', `${first.host} redirected without a Location.`, first.host);
      const second = await this.client.open({ url: location, key: driveId, auth: false });
      if (second.status === 200) return second;
      throw graphFailure(second.status, (await readCapped(second, 1_048_576)).toString('utf8'), second.host);
    }
    throw graphFailure(first.status, (await readCapped(first, 1_048_576)).toString('utf8'), first.host);
  }

  /** A child folder by name under `parentId`, created when missing. */
  async ensureFolder(driveId: string, parentId: string, name: string): Promise<string> {
    const children = `${this.base}/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(parentId)}/children`;
    const created = await this.client.json<DriveItem>({
      method: 'POST',
      url: children,
      key: driveId,
      json: { name, folder: {}, '@microsoft.graph.conflictBehavior': 'fail' },
      accept: [409],
    });
    if (created.status !== 409) return created.body.id;
    const existing = await this.client.json<DriveItem>({ url: `${this.base}/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(parentId)}:/${encodeURIComponent(name)}`, key: driveId });
    return existing.body.id;
  }

  async rootId(driveId: string): Promise<string> {
    return (await this.client.json<DriveItem>({ url: `${this.base}/drives/${encodeURIComponent(driveId)}/root?$select=id`, key: driveId })).body.id;
  }

  /**
   * Uploads a file: one PUT up to 250 MB, an upload session above (10 MiB chunks, no Authorization
   * on the chunks). `chunks(start, end)` returns the bytes of that range (read from the storage).
   */
  async upload(driveId: string, parentId: string, name: string, size: number, read: (start: number, end: number) => Promise<Uint8Array>, conflict: 'rename' | 'replace' | 'fail' = 'rename'): Promise<string> {
    const path = `${this.base}/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(parentId)}:/${encodeURIComponent(name)}:`;
    if (size <= SIMPLE_UPLOAD_MAX) {
      const body = await read(0, size);
      const put = await this.client.json<DriveItem>({
        method: 'PUT',
        url: `${path}/content?@microsoft.graph.conflictBehavior=${conflict}`,
        key: driveId,
        idempotent: true,
        headers: { 'Content-Type': 'application/octet-stream' },
        body,
      });
      return put.body.id;
    }
    const session = await this.client.json<{ uploadUrl: string }>({
      method: 'POST',
      url: `${path}/createUploadSession`,
      key: driveId,
      json: { item: { '@microsoft.graph.conflictBehavior': conflict, name } },
    });
    let done: DriveItem | undefined;
    for (let start = 0; start < size; start += UPLOAD_CHUNK) {
      const end = Math.min(size, start + UPLOAD_CHUNK);
      const answer = await this.client.json<DriveItem>({
        method: 'PUT',
        url: session.body.uploadUrl,
        key: driveId,
        auth: false,
        idempotent: true,
        headers: { 'Content-Range': `bytes ${start}-${end - 1}/${size}`, 'Content-Type': 'application/octet-stream' },
        body: await read(start, end),
      });
      if (answer.status === 200 || answer.status === 201) done = answer.body;
    }
    if (!done?.id) throw new DataCallError(500, 'UploadIncomplete', 'the upload session ended without the file', 'graph');
    return done.id;
  }
}
