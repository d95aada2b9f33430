import { displayText } from '../../domain/display-text.js';
import type { AppToken } from '../client-credentials.js';
import { GraphCallError, GraphClient } from '../../m365/graph-client.js';
import { graphBase } from '../../m365/clouds.js';
import type { Permission } from '../api.js';
import { DATES, RESOURCES, sharePointScope } from '../permissions.js';
import { isSecretBasedToken } from '../token-claims.js';
import type { OnlineAppTarget } from './app-sign-in.js';
import { AppTokens, signInCheck } from './app-sign-in.js';
import type { Probe } from './permissions-check.js';
import { permissionsCheck } from './permissions-check.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { basicAuthorization, fail, fromError, isCancelled, pass, warn, withStep } from './context.js';
import { graphErrorInfo, describeGraphError, serverText } from '../../m365/errors.js';

/**
 * SharePoint Online with an app registration: token, permissions (the real calls decide), sites
 * through Graph (what the backup uses), SharePoint REST (only informative when the app holds no
 * SharePoint role: new registrations ask for Graph roles only), legacy sign-in.
 */

/** SharePoint REST's own role: not granted by new registrations (least privilege, Graph first). */
const SHAREPOINT_REST_PERMISSION: Permission = {
  resource: RESOURCES.sharepoint.name,
  resourceAppId: RESOURCES.sharepoint.appId,
  name: 'Sites.FullControl.All',
  id: '678536fe-1083-478a-9c59-b99265e6b0d3',
  why: 'SharePoint REST access to every site collection (app-only; needs the certificate).',
  includedIn: [],
};

export const SECRET_REST_MESSAGE = 'SharePoint REST refuses app-only tokens obtained with a client secret — use a certificate.';
export const IDCRL_BLOCKED_MESSAGE =
  'Microsoft blocked legacy (IDCRL) sign-in for SharePoint Online permanently on 2026-05-01 (MC1184649); the operations that needed it are unavailable; the OAuth part keeps working.';

const SP_JSON = 'application/json;odata=nometadata';

/** https://contoso.sharepoint.com/sites/x/ → https://contoso.sharepoint.com/sites/x */
export function siteBase(siteUrl: string): string {
  const url = new URL(siteUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export async function verifySharePointOnline(ctx: VerifyContext, runner: CheckRunner, target: OnlineAppTarget): Promise<void> {
  const tokens = new AppTokens(ctx, target);
  if (target.legacyAccount) ctx.sensitive.push(target.legacyAccount.password.reveal());
  const graphToken = await signInCheck(runner, tokens);
  if (graphToken) {
    const graph = new GraphClient(ctx.transport, graphToken.accessToken, ctx.signal, graphBase(target.cloud));
    let siteUrl = target.siteUrl ? siteBase(target.siteUrl) : undefined;
    if (!siteUrl) {
      const root = await graph.get<{ webUrl?: string }>('/sites/root?$select=webUrl').catch((error: unknown) => {
        if (isCancelled(error)) throw error;
        return undefined;
      });
      if (root?.webUrl) siteUrl = siteBase(root.webUrl);
    }
    await permissionsCheck(runner, tokens, graphToken, [], sharePointProbes(graph));
    await runner.run('Site collections (Microsoft Graph)', () => sitesCheck(graph));
    await runner.run('SharePoint REST', () => restCheck(ctx, target, tokens, siteUrl));
  }
  const legacy = target.legacyAccount;
  if (legacy) await runner.run('Legacy sign-in', () => legacyCheck(ctx, legacy, target.siteUrl));
}

/** The calls each SharePoint permission guards (permissions-check.ts). */
function sharePointProbes(graph: GraphClient): Record<string, Probe | undefined> {
  return {
    'Sites.ReadWrite.All': { what: 'reading the root site', run: async () => void (await graph.get('/sites/root?$select=id')) },
    'User.Read.All': { what: 'listing the users', run: async () => void (await graph.get('/users?$top=1&$select=id')) },
  };
}

async function sitesCheck(graph: GraphClient): Promise<Outcome> {
  try {
    const root = await graph.get<{ webUrl?: string }>('/sites/root?$select=id,webUrl,displayName');
    const sites = await graph.get<{ value?: unknown[]; '@odata.nextLink'?: string }>('/sites?search=*&$select=id,webUrl,displayName');
    const count = sites?.value?.length ?? 0;
    const more = sites?.['@odata.nextLink'] ? 'more than ' : '';
    const rootText = root?.webUrl ? `; the root site is ${displayText(root.webUrl, { maxLength: 120 })}` : '';
    return pass(`Found ${more}${count} site collection${count === 1 ? '' : 's'} through Microsoft Graph${rootText}.`);
  } catch (error) {
    if (!(error instanceof GraphCallError)) return fromError(error);
    if (error.status === 401 || error.status === 403) {
      return fail(`Microsoft Graph refused to list the site collections (${error.message}): the app lacks Sites.ReadWrite.All (Microsoft Graph) or its admin consent. Grant admin consent in the Microsoft Entra admin center.`, 'ConsentMissing');
    }
    return fail(`Microsoft Graph could not list the site collections: ${error.message}.`, 'Unknown');
  }
}

async function restCheck(ctx: VerifyContext, target: OnlineAppTarget, tokens: AppTokens, siteUrl: string | undefined): Promise<Outcome> {
  if (!siteUrl) {
    return fail('No SharePoint URL is known for this connection, so SharePoint REST was not checked. Enter the SharePoint server URL, e.g. https://contoso.sharepoint.com.', 'Configuration');
  }
  let token: AppToken;
  try {
    token = await tokens.get(sharePointScope(siteUrl), []);
  } catch (error) {
    if (isCancelled(error)) throw error;
    const outcome = fromError(error);
    return { ...outcome, message: `No token for SharePoint (${new URL(siteUrl).host}): ${outcome.message}` };
  }
  const response = await ctx.transport.send({
    method: 'GET',
    url: `${siteUrl}/_api/web?$select=Title`,
    headers: { Authorization: `Bearer ${token.accessToken}`, Accept: SP_JSON },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const shown = displayText(siteUrl, { maxLength: 120 });
  if (response.status === 200) {
    let title = '';
    try {
      const body = JSON.parse(response.text) as { Title?: unknown; d?: { Title?: unknown } };
      const value = body.Title ?? body.d?.Title;
      if (typeof value === 'string') title = ` '${serverText(value, 80)}'`;
    } catch {
      // a 200 that is not JSON still means the site answered
    }
    return pass(`Opened the site${title} (${shown}) through SharePoint REST.`);
  }
  if (response.status === 401 && (target.credential.kind === 'secret' || isSecretBasedToken(token.claims))) {
    return withStep(fail(`${SECRET_REST_MESSAGE} Add a certificate to the app registration.`, 'BadCredential'), { kind: 'reconfigure', certificate: true });
  }
  if ((response.status === 401 || response.status === 403) && !token.claims.roles.includes(SHAREPOINT_REST_PERMISSION.name)) {
    // Not granted on purpose: the backup goes through Microsoft Graph (least privilege).
    return warn(`SharePoint REST is not granted to this app (${SHAREPOINT_REST_PERMISSION.name} on Office 365 SharePoint Online, HTTP ${response.status}); the backup uses Microsoft Graph, so nothing is missing for it.`);
  }
  if (response.status === 401) {
    return fail(`SharePoint rejected the app's token for ${shown} (HTTP 401): Sites.FullControl.All (SharePoint) or its admin consent is missing. Grant admin consent in the Microsoft Entra admin center.`, 'ConsentMissing');
  }
  if (response.status === 403) {
    return fail(`SharePoint denied the app access to ${shown} (HTTP 403): grant Sites.FullControl.All (Office 365 SharePoint Online) with admin consent.`, 'ConsentMissing');
  }
  if (response.status === 404) {
    return fail(`SharePoint has no site at ${shown} (HTTP 404). Check the SharePoint server URL.`, 'NotFound');
  }
  return fail(`SharePoint REST answered ${describeGraphError(graphErrorInfo(response.status, response.text))}.`, 'Unknown');
}

/**
 * The legacy half of "modern and legacy". From 2026-05-01 Microsoft blocks IDCRL permanently: not
 * attempted, a warning. Before that date it is probed with the user name and password (a request the
 * way SharePointOnlineCredentials clients make it: Basic credentials with X-IDCRL_ACCEPTED); a failure
 * only warns, because the OAuth part of the connection does not depend on it.
 */
async function legacyCheck(ctx: VerifyContext, account: { userName: string; password: { reveal(): string } }, siteUrl: string | undefined): Promise<Outcome> {
  if (ctx.now >= DATES.idcrlBlocked) return warn(IDCRL_BLOCKED_MESSAGE, 'ServiceBlocked');
  if (!siteUrl) return warn('No SharePoint URL is known, so legacy sign-in was not checked.');
  const authorization = basicAuthorization(account.userName, account.password.reveal());
  ctx.sensitive.push(authorization.slice('Basic '.length));
  try {
    const response = await ctx.transport.send({
      method: 'GET',
      url: `${siteBase(siteUrl)}/_api/web?$select=Title`,
      headers: { Authorization: authorization, Accept: SP_JSON, 'X-IDCRL_ACCEPTED': 't' },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (response.status === 200) {
      return pass('Legacy sign-in with the user name and password works today; Microsoft blocks it permanently on 2026-05-01 (MC1184649).');
    }
    return warn(`Legacy sign-in failed (HTTP ${response.status}); the operations that need it (custom web part page layouts, some surveys, creating team sites) are unavailable, the OAuth part keeps working.`, response.status === 401 ? 'BasicAuthDisabled' : 'ServiceBlocked');
  } catch (error) {
    if (isCancelled(error)) throw error;
    return fromError(error, 'warn');
  }
}
