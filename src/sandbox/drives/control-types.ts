/**
 * The public shape of `sandbox.drives`. A library is named by its drive id, by "<site>/<library>"
 * ("contoso.sharepoint.com/sites/hr/Documents") or by the site alone (its "Documents"); items by id
 * or by path in the library ("Reports/2026/Budget 2026.xlsx").
 */
export interface SandboxDriveInfo {
  readonly id: string;
  /** e.g. "contoso.sharepoint.com/sites/hr". */
  readonly site: string;
  readonly name: string;
  readonly webUrl: string;
}

export interface SandboxDriveItemInfo {
  readonly id: string;
  readonly path: string;
  readonly name: string;
  readonly kind: 'file' | 'folder';
  readonly size: number;
  readonly mimeType?: string;
  readonly quickXorHash?: string;
  readonly eTag: string;
  readonly lastModifiedDateTime: string;
}

/** Content for a file: bytes, or a size (then generated from the seed, never held in memory). */
export type FileContentInput = string | Buffer | { readonly size: number };

export interface SandboxDrives {
  /** The libraries of a site (or of every site). */
  list(site?: string): SandboxDriveInfo[];
  /** Every live item below a folder (default the root), parents first. */
  items(drive: string, folder?: string): SandboxDriveItemInfo[];
  item(drive: string, item: string): SandboxDriveItemInfo | undefined;
  content(drive: string, item: string): Promise<Buffer>;
  sha256(drive: string, item: string): Promise<string>;
  /** Returns the new file's id. */
  addFile(drive: string, path: string, content: FileContentInput): string;
  changeFile(drive: string, item: string, content: FileContentInput): void;
  /** Returns the new folder's id. */
  addFolder(drive: string, path: string): string;
  rename(drive: string, item: string, name: string): void;
  move(drive: string, item: string, folder: string): void;
  delete(drive: string, item: string): void;
  /** Every delta token of the library (or of all) answers 410 resyncRequired from now on. */
  expireDeltaTokens(drive?: string): void;
}
