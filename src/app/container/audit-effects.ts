import type { Action } from '../../model/state/actions.js';
import type { Intent } from '../../model/state/types.js';
import type { ServiceContext } from '../../services/index.js';
import { newestAudit } from '../../services/audit.js';
import { describeError } from '../../services/describe-error.js';

/** Reads the newest changes of the audit log for the Audit view, backwards from its end. */
export async function loadAudit(ctx: ServiceContext, intent: Extract<Intent, { type: 'load-audit' }>): Promise<Action> {
  try {
    return { type: 'audit.loaded', opId: intent.opId, page: await newestAudit(ctx, intent.limit) };
  } catch (error) {
    return { type: 'audit.failed', opId: intent.opId, error: describeError(error) };
  }
}
