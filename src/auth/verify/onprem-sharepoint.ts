import { displayText } from '../../domain/display-text.js';
import type { VerifyTarget } from '../api.js';
import { serverText } from '../../m365/errors.js';
import type { CheckRunner, Outcome, VerifyContext } from './context.js';
import { basicAuthorization, fail, pass } from './context.js';
import { basicNotOffered } from './onprem-exchange.js';
import { siteBase } from './sharepoint-online.js';

/** SharePoint Server on-premises: the site's REST endpoint with Basic credentials. */

type Target = Extract<VerifyTarget, { kind: 'onprem-sharepoint' }>;

export async function verifyOnPremSharePoint(ctx: VerifyContext, runner: CheckRunner, target: Target): Promise<void> {
  const authorization = basicAuthorization(target.userName, target.password.reveal());
  ctx.sensitive.push(target.password.reveal(), authorization.slice('Basic '.length));
  await runner.run('SharePoint site (Basic)', async (): Promise<Outcome> => {
    const base = siteBase(target.url);
    const response = await ctx.transport.send({
      method: 'GET',
      url: `${base}/_api/web?$select=Title`,
      headers: { Authorization: authorization, Accept: 'application/json;odata=nometadata' },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const user = displayText(target.userName, { maxLength: 80 });
    const site = displayText(base, { maxLength: 120 });
    if (basicNotOffered(response)) {
      return fail(`${response.host} does not offer Basic authentication (only NTLM/Negotiate). Enable Basic authentication for the web application, or use another address.`, 'Configuration');
    }
    if (response.status === 401) {
      return fail(`${response.host} rejected the user name or password of ${user} (HTTP 401). Check the account (DOMAIN\\user or user@domain) and its password.`, 'BadCredential');
    }
    if (response.status === 403) {
      return fail(`${response.host} refused ${user} access to ${site} (HTTP 403): the account needs Full Control on the web application (farm administrator).`, 'ConsentMissing');
    }
    if (response.status === 404) return fail(`There is no SharePoint site at ${site} (HTTP 404). Check the URL.`, 'NotFound');
    if (response.status !== 200) return fail(`${site} answered HTTP ${response.status}.`, 'Unknown');
    let title = '';
    try {
      const body = JSON.parse(response.text) as { Title?: unknown; d?: { Title?: unknown } };
      const value = body.Title ?? body.d?.Title;
      if (typeof value === 'string') title = ` '${serverText(value, 80)}'`;
    } catch {
      // not JSON: the site still answered
    }
    return pass(`Signed in to the site${title} at ${site} as ${user}.`);
  });
}
