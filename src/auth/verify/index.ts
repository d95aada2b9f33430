import type { CheckResult, Progress, VerifyTarget } from '../api.js';
import { verifyBasicOnline } from './basic-online.js';
import type { VerifyContext } from './context.js';
import { CheckRunner } from './context.js';
import { verifyExchangeOnline } from './exchange-online.js';
import { verifyOnPremExchange } from './onprem-exchange.js';
import { verifyOnPremSharePoint } from './onprem-sharepoint.js';
import { verifySharePointOnline } from './sharepoint-online.js';

/** Runs the checks for a connection, in order; `onProgress` before (running) and after each. */
export async function runVerification(ctx: VerifyContext, target: VerifyTarget, onProgress?: (p: Progress) => void): Promise<CheckResult[]> {
  const runner = new CheckRunner(ctx, onProgress);
  switch (target.kind) {
    case 'online-app':
      if (target.service === 'exchange') await verifyExchangeOnline(ctx, runner, target);
      else await verifySharePointOnline(ctx, runner, target);
      break;
    case 'online-basic':
      await verifyBasicOnline(ctx, runner, target);
      break;
    case 'onprem-exchange':
      await verifyOnPremExchange(ctx, runner, target);
      break;
    case 'onprem-sharepoint':
      await verifyOnPremSharePoint(ctx, runner, target);
      break;
  }
  return runner.results;
}
