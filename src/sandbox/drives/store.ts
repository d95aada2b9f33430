/** Every document library of the sandbox's SharePoint sites, created on first use. */
import { derive } from '../data/random.js';
import type { TenantState } from '../directory.js';
import type { SeedSite } from '../tenants.js';
import { Drive } from './drive.js';
import { librariesOf, type LibrarySeed } from './seed.js';

export interface SiteRef {
  readonly tenant: TenantState;
  readonly site: SeedSite;
  /** "contoso.sharepoint.com/sites/hr" ("contoso.sharepoint.com" for the root site). */
  readonly key: string;
  /** Graph's site id: "{hostname},{siteCollectionId},{webId}". */
  readonly graphId: string;
}

export function siteRef(tenant: TenantState, site: SeedSite): SiteRef {
  return { tenant, site, key: `${tenant.sharePointHost}${site.path}`, graphId: `${tenant.sharePointHost},${site.siteId},${site.webId}` };
}

export class DriveStore {
  private readonly drives = new Map<string, { drive: Drive; site: SiteRef }>();
  private readonly opened = new Set<string>();

  constructor(
    private readonly seed: LibrarySeed,
    private readonly sites: () => SiteRef[],
  ) {}

  private driveId(site: SiteRef, library: string): string {
    return `b!${Buffer.concat([derive('drive', site.key, library), derive('list', site.key, library).subarray(0, 16)]).toString('base64url')}`;
  }

  /** The site's libraries, "Documents" first. */
  drivesOf(site: SiteRef): Drive[] {
    if (!this.opened.has(site.key)) {
      this.opened.add(site.key);
      for (const library of librariesOf(site.site.path)) {
        const id = this.driveId(site, library.name);
        const drive = new Drive(id, `${site.key}/${library.name}`, library, this.seed, new Date(site.site.created));
        this.drives.set(id, { drive, site });
      }
    }
    return [...this.drives.values()].filter((d) => d.site.key === site.key).map((d) => d.drive);
  }

  /** A library by id, opening its site if needed. */
  drive(id: string): { drive: Drive; site: SiteRef } | undefined {
    const known = this.drives.get(id);
    if (known) return known;
    for (const site of this.sites()) {
      if (this.opened.has(site.key)) continue;
      if (librariesOf(site.site.path).some((l) => this.driveId(site, l.name) === id)) {
        this.drivesOf(site);
        return this.drives.get(id);
      }
    }
    return undefined;
  }

  openedDrives(): Array<{ drive: Drive; site: SiteRef }> {
    return [...this.drives.values()];
  }
}
