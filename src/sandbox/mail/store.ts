/** All mailboxes of the sandbox (Exchange Online tenants and the on-premises Exchange), opened lazily. */
import type { BlobStore } from '../data/blobs.js';
import { Mailbox, type MailboxOwner } from './mailbox.js';
import type { MailSeed } from './seed.js';

export class MailStore {
  private readonly boxes = new Map<string, Mailbox>();

  constructor(
    private readonly seed: Omit<MailSeed, 'messages'>,
    private readonly blobs: BlobStore,
    private readonly clock: () => Date,
  ) {}

  /** The mailbox of `owner`; created with `messages` seeded messages the first time it is opened. */
  open(owner: MailboxOwner, messages: number): Mailbox {
    const key = owner.key.toLowerCase();
    let box = this.boxes.get(key);
    if (!box) {
      box = new Mailbox(owner, { ...this.seed, messages }, this.blobs, this.clock);
      this.boxes.set(key, box);
    }
    return box;
  }

  opened(): Mailbox[] {
    return [...this.boxes.values()];
  }
}
