/** Everything a request handler may consult or change, passed explicitly instead of held in globals. */
import type { SandboxData } from './data/world.js';
import type { Directory } from './directory.js';
import type { DeviceCodeStore } from './identity/device-code.js';
import type { SigningKey } from './jwt.js';
import type { TenantName } from './tenants.js';

export interface RefreshGrant {
  readonly tenant: TenantName;
  readonly userId: string;
  readonly clientId: string;
}

export interface World {
  readonly directory: Directory;
  readonly key: SigningKey;
  readonly deviceCodes: DeviceCodeStore;
  readonly refreshTokens: Map<string, RefreshGrant>;
  readonly deviceCodeIntervalSec: number;
  readonly deviceCodeExpiresInSec: number;
  /** Mailboxes, libraries and traffic rules (src/sandbox/data, mail, drives). */
  readonly data: SandboxData;
  now(): Date;
}
