/**
 * The data the sandbox's tenants hold (mailboxes, document libraries) and the traffic rules around it
 * (throttling, concurrency, request kinds). One instance per sandbox, passed in the World.
 */
import type { Directory, TenantState } from '../directory.js';
import { MailStore } from '../mail/store.js';
import { DriveStore, siteRef } from '../drives/store.js';
import type { Mailbox } from '../mail/mailbox.js';
import type { SeedUser } from '../tenants.js';
import { BlobStore } from './blobs.js';
import { derive } from './random.js';
import { Traffic } from './traffic.js';
import { TokenSealer } from './tokens.js';
import { UploadSessions } from './uploads.js';

export interface DataOptions {
  readonly seed: string;
  /** Mailboxes of contoso that hold seeded mail (generated users beyond its own); undefined = every mailbox user. */
  readonly mailboxes: number | undefined;
  readonly messages: number;
  readonly largeMessages: number;
  readonly largeMessageBytes: number;
  readonly files: number;
  readonly largeFiles: number;
  readonly largeFileBytes: number;
  readonly mailboxConcurrency: number;
}

export const DEFAULT_DATA: DataOptions = {
  seed: 'backup-panel',
  mailboxes: undefined,
  messages: 24,
  largeMessages: 1,
  largeMessageBytes: 3 * 1024 * 1024,
  files: 24,
  largeFiles: 1,
  largeFileBytes: 6 * 1024 * 1024,
  mailboxConcurrency: 4,
};

function guid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class SandboxData {
  readonly blobs = new BlobStore();
  readonly tokens = new TokenSealer();
  readonly uploads = new UploadSessions(this.blobs);
  readonly mail: MailStore;
  readonly drives: DriveStore;
  readonly traffic: Traffic;
  private readonly generated = new Map<string, SeedUser[]>();

  constructor(
    readonly options: DataOptions,
    private readonly directory: Directory,
    readonly clock: () => Date,
  ) {
    this.traffic = new Traffic(options.mailboxConcurrency, (name) => this.mailboxKeys(name), (name) => this.driveKeys(name));
    this.drives = new DriveStore(
      { seed: options.seed, files: options.files, largeFiles: options.largeFiles, largeFileBytes: options.largeFileBytes },
      () => directory.tenants.flatMap((t) => t.sites.map((s) => siteRef(t, s))),
    );
    this.mail = new MailStore(
      { seed: options.seed, largeMessages: options.largeMessages, largeMessageBytes: options.largeMessageBytes },
      this.blobs,
      clock,
    );
  }

  /** The tenant's users plus the mailbox users generated for `--mailboxes` beyond the seeded ones. */
  usersOf(tenant: TenantState): readonly SeedUser[] {
    return [...tenant.users, ...this.generatedUsers(tenant)];
  }

  private generatedUsers(tenant: TenantState): SeedUser[] {
    let list = this.generated.get(tenant.name);
    if (!list) {
      const wanted = tenant.name === 'contoso' ? (this.options.mailboxes ?? 0) : 0;
      const extra = Math.max(0, wanted - tenant.users.filter((u) => u.hasMailbox).length);
      list = Array.from({ length: extra }, (_, i) => {
        const n = String(i + 1).padStart(4, '0');
        return {
          id: guid(derive(this.options.seed, 'user', tenant.name, i)),
          userPrincipalName: `user${n}@${tenant.initialDomain}`,
          displayName: `Test User ${n}`,
          givenName: 'Test',
          surname: `User ${n}`,
          jobTitle: null,
          hasMailbox: true,
          // Generated users never sign in; a password nobody knows keeps Basic closed to them.
          password: derive(this.options.seed, 'password', i).toString('base64'),
          roles: [],
          inboxItemCount: 0,
        };
      });
      this.generated.set(tenant.name, list);
    }
    return list;
  }

  findUser(tenant: TenantState, idOrUpn: string): SeedUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.usersOf(tenant).find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  }

  /** Seeded messages for a mailbox user: `messages`, or none outside the first `mailboxes` of contoso. */
  private messagesFor(tenant: TenantState, user: SeedUser): number {
    if (this.options.mailboxes === undefined || tenant.name !== 'contoso') return this.options.messages;
    const rank = this.usersOf(tenant)
      .filter((u) => u.hasMailbox)
      .findIndex((u) => u.id === user.id);
    return rank >= 0 && rank < this.options.mailboxes ? this.options.messages : 0;
  }

  mailboxOf(tenant: TenantState, user: SeedUser): Mailbox {
    return this.mail.open({ key: user.id, address: { name: user.displayName, address: user.userPrincipalName } }, this.messagesFor(tenant, user));
  }

  /** An on-premises mailbox, keyed by its SMTP address. */
  onPremisesMailbox(smtp: string, displayName: string): Mailbox {
    return this.mail.open({ key: smtp.toLowerCase(), address: { name: displayName, address: smtp.toLowerCase() } }, this.options.messages);
  }

  /** Every name of a mailbox, the key its store uses first: [user id, UPN] online, [SMTP] on-premises. */
  mailboxKeys(name: string): string[] {
    const key = name.toLowerCase();
    for (const tenant of this.directory.tenants) {
      const user = this.findUser(tenant, key);
      if (user) return [user.id, user.userPrincipalName.toLowerCase()];
    }
    return [key];
  }

  /**
   * Every name of a library for throttling rules: [drive id, site key, Graph site id]. A site key or
   * Graph site id names the site's libraries; an item's UniqueId names its library.
   */
  driveKeys(name: string): string[] {
    const n = name.toLowerCase();
    const sites = this.directory.tenants.flatMap((t) => t.sites.map((s) => siteRef(t, s)));
    const site = sites.find((s) => s.key.toLowerCase() === n || s.graphId.toLowerCase() === n || `https://${s.key}`.toLowerCase() === n);
    if (site) return [site.key.toLowerCase(), ...this.drives.drivesOf(site).map((d) => d.id.toLowerCase())];
    const found = this.drives.drive(name) ?? this.drives.openedDrives().find((d) => d.drive.itemByUniqueId(name) !== undefined);
    return found ? [found.site.key.toLowerCase(), found.drive.id.toLowerCase()] : [n];
  }

  close(): void {
    this.blobs.close();
  }
}
