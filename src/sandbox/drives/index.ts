/**
 * SharePoint document libraries of the sandbox's sites (every site: "Documents"; /sites/hr also
 * "Policies"), seeded from `SandboxOptions.data` (seed.ts): nested folders with non-ASCII names, files
 * of varied sizes (an empty one, large ones), content derived from the seed when read.
 *
 * Served on graph.microsoft.com/v1.0:
 * - GET  /sites/{id | host:/sites/x: | root}/drives, /sites/{id}/drive…, /drives/{id}
 * - GET  /drives/{id}/root/delta (also `delta(token='…')`): pages by @odata.nextLink (`?token=`), ends
 *        with @odata.deltaLink; $top (default 200, at most 1000), $select; `token=latest`; later rounds
 *        only changes, deleted items (a folder's contents too, children first) with `deleted: {state}`;
 *        parentReference without `path` as in Graph's delta; expired tokens 410 resyncRequired
 *        (innerError resyncChangesApplyDifferences) with Location = a fresh delta URL
 * - GET  items/{id}, root, root:/path:, items/{id}:/path:, …/children ($top, $skiptoken)
 * - GET  …/content: 302 to https://<tenant>.sharepoint.com<site>/_layouts/15/download.aspx?UniqueId=…
 *        &tempauth=… (1 hour), also in @microsoft.graph.downloadUrl; that URL serves the bytes without
 *        Authorization (Range → 206) and answers 401 when a bearer token is forwarded (transfer.ts)
 * - PUT  items/{parent}:/{name}:/content (≤ 250 MB; 201 / 200), items/{id}/content
 * - POST items/{parent}:/{name}:/createUploadSession → PUT ranges to …/_api/v2.0/…/uploadSession
 *        (202 + nextExpectedRanges, 201/200 + driveItem at the end; no Authorization header)
 * - POST …/children (folders), PATCH items/{id} (name, parentReference), DELETE items/{id}
 * file.hashes.quickXorHash, eTag/cTag "{GUID},version". Permissions: Files.Read.All / Sites.Read.All
 * (and higher) to read, Files.ReadWrite.All / Sites.ReadWrite.All (and higher) to write.
 * Control and read-back: `sandbox.drives` (control.ts, control-types.ts).
 */
export { drives, siteDrives, siteDrivesPath } from './graph.js';
export { driveControl } from './control.js';
export type { SandboxDrives } from './control-types.js';
