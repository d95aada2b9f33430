/**
 * The sandbox's own endpoints (no X-Forwarded-Host): a JSON control API under /_sandbox/ for tests and
 * tools in other processes, and /devicelogin, a stand-in for https://microsoft.com/devicelogin.
 */
import { SandboxControlError } from './identity/device-code.js';
import { emptyReply, escapeXml, htmlReply, jsonReply, type Reply, type RequestContext } from './http.js';
import { faultFromJson } from './faults.js';
import { isObject } from './jwt.js';
import { TENANT_NAMES, type TenantName } from './tenants.js';
import { dataControl } from './data/control-routes.js';
import type { RegisterAppInput, Sandbox, TenantSettingsInput } from './types.js';

function asTenant(name: string | undefined): TenantName {
  const t = TENANT_NAMES.find((n) => n === name?.toLowerCase());
  if (!t) throw new SandboxControlError(`Unknown tenant '${name}'. Use one of: ${TENANT_NAMES.join(', ')}.`, 404);
  return t;
}

function body(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  const value = ctx.json();
  if (!isObject(value)) throw new SandboxControlError('The request body must be a JSON object.', 400);
  return value;
}

export function controlHandler(sandbox: Sandbox, clientName: (clientId: string) => string) {
  return async (ctx: RequestContext): Promise<Reply> => {
    try {
      if (ctx.path === '/devicelogin') return deviceLogin(ctx, sandbox, clientName);
      if (!ctx.path.startsWith('/_sandbox')) {
        return jsonReply(400, {
          error: 'missing_x_forwarded_host',
          message:
            'Requests for Microsoft 365 must carry the original host in X-Forwarded-Host (e.g. login.microsoftonline.com). Without it the sandbox only serves /_sandbox/… and /devicelogin.',
        });
      }
      const [collection, what] = ctx.path.split('/').filter(Boolean).slice(1);
      return (await dataControl(ctx, sandbox, collection, what)) ?? control(ctx, sandbox);
    } catch (error) {
      if (error instanceof SandboxControlError) return jsonReply(error.status, { error: 'sandbox_control_error', message: error.message });
      return jsonReply(400, { error: 'sandbox_control_error', message: error instanceof Error ? error.message : String(error) });
    }
  };
}

function control(ctx: RequestContext, sandbox: Sandbox): Reply {
  const parts = ctx.path.split('/').filter(Boolean).slice(1);
  const [collection, id, action] = parts;
  const { method } = ctx;

  if (collection === undefined && method === 'GET') return jsonReply(200, { url: sandbox.url, tenants: sandbox.tenants });
  if (collection === 'device-codes') {
    if (id === undefined && method === 'GET') return jsonReply(200, sandbox.pendingDeviceCodes());
    if (id !== undefined && method === 'POST') {
      if (action === 'approve') {
        const upn = body(ctx).upn;
        sandbox.approveDeviceCode(id, typeof upn === 'string' ? upn : undefined);
      } else if (action === 'decline') sandbox.declineDeviceCode(id);
      else if (action === 'expire') sandbox.expireDeviceCode(id);
      else throw new SandboxControlError(`Unknown action '${action}'. Use approve, decline or expire.`, 404);
      return jsonReply(200, { userCode: id.toUpperCase(), done: action });
    }
  }
  if (collection === 'apps') {
    if (id === undefined && method === 'POST') {
      const input = body(ctx);
      const tenant = asTenant(typeof input.tenant === 'string' ? input.tenant : 'contoso');
      return jsonReply(201, sandbox.registerApp(tenant, input as unknown as RegisterAppInput));
    }
    if (id !== undefined && method === 'GET') {
      const app = sandbox.getApp(id);
      return app ? jsonReply(200, app) : jsonReply(404, { error: 'sandbox_control_error', message: `No app '${id}' in the sandbox.` });
    }
  }
  if (collection === 'tenants' && id !== undefined && method === 'POST') {
    const tenant = asTenant(id);
    sandbox.setTenant(tenant, body(ctx) as TenantSettingsInput);
    return jsonReply(200, { tenant, ...sandbox.tenants[tenant] });
  }
  if (collection === 'faults') {
    if (method === 'POST') {
      sandbox.inject(faultFromJson(body(ctx)));
      return jsonReply(201, { injected: true });
    }
    if (method === 'DELETE') {
      sandbox.clearFaults();
      return emptyReply(204);
    }
  }
  if (collection === 'requests' && method === 'GET') return jsonReply(200, sandbox.requests);
  throw new SandboxControlError(`No control endpoint ${method} ${ctx.path}.`, 404);
}

const page = (title: string, content: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input,select{font-size:1.1rem;padding:.3rem}button{font-size:1rem;margin-right:.5rem;padding:.4rem 1rem}code{font-size:1.1rem}</style>
</head><body><p>Sandbox tenant (backup-panel) &mdash; stand-in for https://microsoft.com/devicelogin</p>${content}</body></html>`;

function deviceLogin(ctx: RequestContext, sandbox: Sandbox, clientName: (clientId: string) => string): Reply {
  if (ctx.method === 'POST') {
    const form = ctx.form();
    const code = (form.get('code') ?? '').trim();
    const upn = (form.get('upn') ?? '').trim() || undefined;
    const pending = sandbox.pendingDeviceCodes().find((p) => p.userCode === code.replace(/[\s-]/g, '').toUpperCase());
    try {
      if (form.get('action') === 'decline') {
        sandbox.declineDeviceCode(code);
        return htmlReply(200, page('Sign-in declined', '<h1>Sign-in declined</h1><p>The application on your device will not be signed in.</p>'));
      }
      sandbox.approveDeviceCode(code, upn);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return htmlReply(400, page('That code didn\'t work', `<h1>That code didn't work</h1><p>${escapeXml(message)}</p><p><a href="/devicelogin">Try again</a></p>`));
    }
    const app = pending ? clientName(pending.clientId) : 'the';
    return htmlReply(200, page('Signed in', `<h1>You're signed in</h1><p>You have signed in to the ${escapeXml(app)} application on your device. You may now close this window.</p>`));
  }
  const users = Object.values(sandbox.tenants).map((t) => `<option value="${escapeXml(t.admin)}">${escapeXml(t.admin)}</option>`).join('');
  const waiting = sandbox.pendingDeviceCodes().map((p) => `<li><code>${p.userCode}</code> &mdash; ${escapeXml(clientName(p.clientId))} (${escapeXml(p.tenant)})</li>`).join('');
  return htmlReply(
    200,
    page(
      'Enter code',
      `<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>
<form method="post" action="/devicelogin">
<label>Code <input name="code" autofocus autocomplete="off" required></label>
<label>Sign in as <input name="upn" list="users" placeholder="admin of the tenant (default)"></label>
<datalist id="users">${users}</datalist>
<button name="action" value="approve">Sign in</button><button name="action" value="decline">Decline</button>
</form>
<h2>Waiting for sign-in</h2>${waiting ? `<ul>${waiting}</ul>` : '<p>No device codes are waiting.</p>'}`,
    ),
  );
}
