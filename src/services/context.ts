import type { AuthApi } from '../auth/api.js';
import type { Store } from '../store/api.js';

/** What every use case needs; both front ends build one and pass it in. */
export interface ServiceContext {
  readonly store: Store;
  readonly now: () => Date;
  /** Microsoft identity, loaded on first use so that start-up does not pay for msal-node. */
  readonly auth: () => Promise<AuthApi>;
}

export function lazyAuth(load: () => Promise<AuthApi>): () => Promise<AuthApi> {
  let pending: Promise<AuthApi> | undefined;
  return () => (pending ??= load());
}
