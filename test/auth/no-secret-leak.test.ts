import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, VerifyTarget } from '../../src/auth/api.js';
import { generateCertificate } from '../../src/auth/index.js';
import { Secret } from '../../src/domain/secret.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { openssl, tempDir } from './helpers.js';
import { approveAs, authFor, BEFORE_IDCRL_BLOCK, EXCHANGE_ROLES, NOW, sandbox, SHAREPOINT_ROLES } from './sandbox-helpers.js';

/**
 * Runs the flows with distinctive canary secrets and asserts that none of them — secret, private
 * key, access/refresh/id token, device code, password, Basic header — appears in any thrown message,
 * any CheckResult or progress report, or anything written to stdout/stderr.
 */

const CANARY_SECRET = 'CanarySecret~9f8e7d6c5b4a-VALUE';
const CANARY_WRONG_SECRET = 'CanaryWrongSecret~1a2b3c4d5e6f';
const CANARY_PASSWORD = 'CanaryPassw0rd!-4242';
const CANARY_PFX_PASSWORD = 'CanaryPfxPassw0rd-7777';

let sb: Sandbox;
const seenTokens = new Set<string>();
const outputs: string[] = [];
const written: string[] = [];
const restore: Array<() => void> = [];

/** A fetch that records every credential-like value Microsoft hands out, so we can look for it later. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const copy = response.clone();
  const text = await copy.text().catch(() => '');
  for (const key of ['access_token', 'refresh_token', 'id_token', 'device_code']) {
    const match = new RegExp(`"${key}"\\s*:\\s*"([^"]+)"`).exec(text);
    if (match?.[1]) seenTokens.add(match[1]);
  }
  return response;
};

function record(value: unknown): void {
  if (value instanceof Error) {
    outputs.push(value.message, String((value as { hint?: unknown }).hint ?? ''), JSON.stringify(value));
  } else {
    outputs.push(typeof value === 'string' ? value : JSON.stringify(value));
  }
}

async function attempt<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    const value = await promise;
    record(value);
    return value;
  } catch (error) {
    record(error);
    return undefined;
  }
}

beforeAll(async () => {
  sb = await sandbox();
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      written.push(args.map(String).join(' '));
      original(...args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
});

afterAll(async () => {
  for (const undo of restore) undo();
  await sb.close();
});

describe('no secret ever leaks', () => {
  it('through errors, check results, progress or the console', async () => {
    const auth = authFor(sb, { fetch: recordingFetch });
    const progress = (p: unknown) => record(p);

    // Apps with canary credentials.
    const certificate = await generateCertificate('CN=canary', { now: NOW });
    const stranger = await generateCertificate('CN=stranger', { now: NOW });
    const exSecret = sb.registerApp('contoso', { displayName: 'canary secret', secret: CANARY_SECRET, roles: EXCHANGE_ROLES });
    const spSecret = sb.registerApp('contoso', { displayName: 'canary sp secret', secret: CANARY_SECRET, roles: SHAREPOINT_ROLES });
    const exCert = sb.registerApp('contoso', { displayName: 'canary cert', certificatePem: certificate.certificatePem, roles: EXCHANGE_ROLES });
    const tenantId = sb.tenants.contoso.id;
    const online = (clientId: string, service: 'exchange' | 'sharepoint', credential: Extract<VerifyTarget, { kind: 'online-app' }>['credential']): VerifyTarget => ({
      kind: 'online-app',
      service,
      tenantId,
      clientId,
      credential,
      ...(service === 'exchange' ? { mailbox: 'backup@contoso.onmicrosoft.com' } : { siteUrl: sb.tenants.contoso.sharePointUrl, legacyAccount: { userName: 'admin@contoso.onmicrosoft.com', password: new Secret(CANARY_PASSWORD) } }),
    });
    const secret = (value: string) => ({ kind: 'secret' as const, clientSecret: new Secret(value) });

    const results: CheckResult[][] = [];
    const run = async (target: VerifyTarget, now = NOW) => {
      const checks = await attempt(auth.verify(target, { now, onProgress: progress }));
      if (checks) results.push(checks);
    };
    await run(online(exSecret.appId, 'exchange', secret(CANARY_SECRET)));
    await run(online(exSecret.appId, 'exchange', secret(CANARY_WRONG_SECRET)));
    await run(online(spSecret.appId, 'sharepoint', secret(CANARY_SECRET)));
    await run(online(spSecret.appId, 'sharepoint', secret(CANARY_SECRET)), BEFORE_IDCRL_BLOCK);
    await run(online(exCert.appId, 'exchange', { kind: 'certificate', certificate }));
    await run(online(exCert.appId, 'exchange', { kind: 'certificate', certificate: stranger }));
    for (const basicAuth of [false, true]) {
      sb.setTenant('contoso', { basicAuth });
      await run({ kind: 'online-basic', service: 'exchange', userName: 'admin@contoso.onmicrosoft.com', password: new Secret(CANARY_PASSWORD) });
      await run({ kind: 'online-basic', service: 'sharepoint', userName: 'admin@contoso.onmicrosoft.com', password: new Secret(CANARY_PASSWORD), siteUrl: 'https://contoso.sharepoint.com' });
    }
    sb.setTenant('contoso', { basicAuth: false });
    await run({ kind: 'onprem-exchange', server: null, userName: 'svc-backup@corp.contoso.com', password: new Secret(CANARY_PASSWORD) });
    await run({ kind: 'onprem-sharepoint', url: 'https://sp.corp.contoso.com', userName: 'CORP\\svc-backup', password: new Secret(CANARY_PASSWORD) });

    // Admin sign-in and automatic registration (device code, delegated token, new key).
    const session = await attempt(auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb) }));
    expect(session).toBeDefined();
    const app = session ? await attempt(auth.registerApp(session, { service: 'exchange', displayName: 'canary registration', onProgress: progress })) : undefined;
    expect(app).toBeDefined();
    const denied = await attempt(auth.signInAdmin({ tenant: sb.tenants.contoso.domain, onPrompt: approveAs(sb, 'helpdesk@contoso.onmicrosoft.com') }));
    if (denied) await attempt(auth.registerApp(denied, { service: 'sharepoint', displayName: 'canary denied', onProgress: progress }));

    // Certificate files with passwords.
    const tmp = tempDir();
    try {
      writeFileSync(join(tmp.dir, 'c.pem'), certificate.certificatePem);
      writeFileSync(join(tmp.dir, 'k.pem'), certificate.privateKeyPem.reveal());
      openssl(['pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k.pem', '-out', 'c.pfx', '-passout', `pass:${CANARY_PFX_PASSWORD}`], tmp.dir);
      const { readFileSync } = await import('node:fs');
      const pfx = readFileSync(join(tmp.dir, 'c.pfx'));
      await attempt(auth.loadCertificate(pfx, new Secret(`${CANARY_PFX_PASSWORD}-wrong`)));
      await attempt(auth.loadCertificate(pfx, new Secret(CANARY_PFX_PASSWORD)));
      await attempt(auth.loadCertificate(Buffer.from(certificate.certificatePem + stranger.privateKeyPem.reveal())));
    } finally {
      tmp.cleanup();
    }

    // The flows really ran and really got tokens.
    expect(results.length).toBeGreaterThanOrEqual(12);
    expect(seenTokens.size).toBeGreaterThan(5);

    const keyBodies = [certificate, stranger, ...(app ? [app.certificate] : [])].map((c) =>
      c.privateKeyPem.reveal().replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''),
    );
    const canaries = [
      CANARY_SECRET,
      CANARY_WRONG_SECRET,
      CANARY_PASSWORD,
      CANARY_PFX_PASSWORD,
      Buffer.from(`admin@contoso.onmicrosoft.com:${CANARY_PASSWORD}`).toString('base64'),
      Buffer.from(`svc-backup@corp.contoso.com:${CANARY_PASSWORD}`).toString('base64'),
      ...keyBodies.flatMap((body) => [body.slice(0, 64), body.slice(400, 464), body.slice(-64)]),
      ...[...seenTokens].flatMap((t) => [t, t.split('.')[1] ?? t].filter((s) => s.length > 20)),
    ];
    const haystack = [...outputs, ...written].join('\n');
    expect(haystack.length).toBeGreaterThan(1000);
    for (const canary of canaries) {
      expect(haystack.includes(canary), `leaked: ${canary.slice(0, 12)}…`).toBe(false);
    }
  });
});
