import { displayText } from '../../domain/display-text.js';
import { graphErrorInfo, describeGraphError } from '../../m365/errors.js';
import { GraphCallError, GraphClient } from '../../m365/graph-client.js';
import { ewsUrl, exchangeScope, graphBase } from '../../m365/clouds.js';
import { DATES, LEGACY_EWS_PERMISSION } from '../permissions.js';
import type { AppToken } from '../client-credentials.js';
import type { OnlineAppTarget } from './app-sign-in.js';
import { AppTokens, signInCheck } from './app-sign-in.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { fail, fromError, isCancelled, pass, warn } from './context.js';
import type { Probe } from './permissions-check.js';
import { permissionsCheck } from './permissions-check.js';
import { describeEwsAnswer, getFolderEnvelope, readEwsAnswer, SOAP_HEADERS } from '../../m365/ews.js';

/**
 * Exchange Online with an app registration: token, permissions (the real calls decide), the
 * mailbox through Graph, and EWS only when the connection asked for legacy EWS (blocked by default
 * since 2026-10-01, removed on 2027-04-01).
 */

export const EWS_RETIREMENT_NOTE =
  'EWS in Exchange Online is blocked by default since 1 Oct 2026 and removed on 1 Apr 2027; this connection uses Microsoft Graph.';
const EWS_ALLOW_LIST_HINT = "If you still need EWS until then, add the app's client ID to the tenant's EWS AppID allow list.";

export async function verifyExchangeOnline(ctx: VerifyContext, runner: CheckRunner, target: OnlineAppTarget): Promise<void> {
  const tokens = new AppTokens(ctx, target);
  const graphToken = await signInCheck(runner, tokens);
  if (!graphToken) return;
  const legacy = target.legacyEws === true;
  const ewsRetired = ctx.now >= DATES.ewsRetired;
  const graph = new GraphClient(ctx.transport, graphToken.accessToken, ctx.signal, graphBase(target.cloud));
  await permissionsCheck(
    runner,
    tokens,
    graphToken,
    legacy && !ewsRetired
      ? [{ resourceName: 'Office 365 Exchange Online', scope: exchangeScope(target.cloud), permissions: [LEGACY_EWS_PERMISSION], legacy: ctx.now >= DATES.ewsPhasedDisablement }]
      : [],
    exchangeProbes(graph, target.mailbox?.trim()),
  );
  await runner.run('Mailbox (Microsoft Graph)', () => mailboxCheck(target, graph));
  if (legacy) await runner.run('EWS (legacy)', () => ewsCheck(ctx, target, tokens));
}

/** The calls each Exchange permission guards (permissions-check.ts). */
function exchangeProbes(graph: GraphClient, mailbox: string | undefined): Record<string, Probe | undefined> {
  const user = mailbox ? encodeURIComponent(mailbox) : undefined;
  const shown = mailbox ? displayText(mailbox, { maxLength: 120 }) : '';
  return {
    'Mail.ReadWrite': user ? { what: `reading the Inbox of ${shown}`, run: async () => void (await graph.get(`/users/${user}/mailFolders/inbox?$select=id`)) } : undefined,
    'MailboxSettings.Read': user ? { what: `reading the mailbox settings of ${shown}`, run: async () => void (await graph.get(`/users/${user}/mailboxSettings`)) } : undefined,
    'User.Read.All': { what: 'listing the users', run: async () => void (await graph.get('/users?$top=1&$select=id')) },
  };
}

async function mailboxCheck(target: OnlineAppTarget, graph: GraphClient): Promise<Outcome> {
  const mailbox = target.mailbox?.trim();
  if (!mailbox) {
    return warn('No mailbox given, so mailbox access was not checked. Enter the e-mail address of a user with an Exchange Online licence (Application details).');
  }
  const shown = displayText(mailbox, { maxLength: 120 });
  try {
    const inbox = await graph.get<{ displayName?: string; totalItemCount?: number }>(
      `/users/${encodeURIComponent(mailbox)}/mailFolders/inbox?$select=id,displayName,totalItemCount`,
    );
    const count = typeof inbox?.totalItemCount === 'number' ? ` (${inbox.totalItemCount} items)` : '';
    return pass(`Read the Inbox of ${shown} through Microsoft Graph${count}.`);
  } catch (error) {
    if (!(error instanceof GraphCallError)) return fromError(error);
    if (error.status === 404) {
      return fail(
        `The SMTP address has no mailbox associated with it: ${shown} has no Exchange Online mailbox in tenant ${target.tenantId} (Microsoft Graph: ${error.message}). Give the address of a user with an Exchange Online licence in this tenant.`,
        'NotFound',
      );
    }
    if (error.status === 403) {
      return fail(
        `Microsoft Graph refused access to the mailbox of ${shown} (${error.message}): the app lacks Mail.ReadWrite, or Exchange RBAC for Applications (or a legacy Application Access Policy) limits it to other mailboxes. Grant admin consent, or add the mailbox to the app's management scope.`,
        'ConsentMissing',
      );
    }
    if (error.status === 401) {
      return fail(`Microsoft Graph rejected the app's token (${error.message}). Grant admin consent for the app's permissions.`, 'ConsentMissing');
    }
    return fail(`Microsoft Graph could not read the mailbox of ${shown}: ${error.message}.`, 'Unknown');
  }
}

async function ewsCheck(ctx: VerifyContext, target: OnlineAppTarget, tokens: AppTokens): Promise<Outcome> {
  if (ctx.now >= DATES.ewsRetired) {
    return warn('EWS retired in Exchange Online on 1 Apr 2027 and was not checked; this connection uses Microsoft Graph.', 'ServiceBlocked');
  }
  const phased = ctx.now >= DATES.ewsPhasedDisablement;
  const mailbox = target.mailbox?.trim();
  if (!mailbox) {
    return warn(`No mailbox given, so EWS was not checked.${phased ? ` ${EWS_RETIREMENT_NOTE}` : ''}`);
  }
  // Before 1 Oct 2026 an EWS failure fails the check; afterwards it only warns (EWS is being retired).
  const failed = (outcome: Outcome): Outcome =>
    phased ? { ...outcome, status: 'warn', message: `${outcome.message} ${EWS_RETIREMENT_NOTE} ${EWS_ALLOW_LIST_HINT}` } : outcome;
  let token: AppToken;
  try {
    token = await tokens.get(exchangeScope(target.cloud), [LEGACY_EWS_PERMISSION]);
  } catch (error) {
    const outcome = fromError(error);
    return failed({ ...outcome, message: `No token for EWS: ${outcome.message}` });
  }
  let response;
  try {
    response = await ctx.transport.send({
      method: 'POST',
      url: ewsUrl(target.cloud),
      headers: { ...SOAP_HEADERS, Authorization: `Bearer ${token.accessToken}`, 'X-AnchorMailbox': mailbox },
      body: getFolderEnvelope(mailbox),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (error) {
    if (isCancelled(error)) throw error;
    return failed(fromError(error));
  }
  const shown = displayText(mailbox, { maxLength: 120 });
  if (response.status === 401) {
    return failed(fail('EWS rejected the app\'s token (HTTP 401): the app lacks full_access_as_app or its admin consent.', 'ConsentMissing'));
  }
  if (response.status === 403) {
    return failed(fail('EWS refused the app (HTTP 403): EWS is switched off for the tenant or the mailbox, or the app is not on the tenant\'s EWS AppID allow list.', 'ServiceBlocked'));
  }
  const answer = readEwsAnswer(response);
  if (answer.ok) {
    return pass(`EWS GetFolder on the mailbox of ${shown} succeeded.${phased ? ` It works for now: ${EWS_RETIREMENT_NOTE}` : ''}`);
  }
  if ((response.status >= 200 && response.status < 300) || answer.code) {
    return failed(fail(`EWS could not open the mailbox of ${shown}: ${describeEwsAnswer(answer)}.`, answer.code === 'ErrorNonExistentMailbox' ? 'NotFound' : 'Unknown'));
  }
  return failed(fail(`EWS answered ${describeGraphError(graphErrorInfo(response.status, ''))}.`, 'Unknown'));
}
