import type { Command } from 'commander';
import type { CheckResult, DeviceCodePrompt } from '../auth/api.js';
import { cloudLabel, displayText } from '../domain/index.js';
import {
  findConnection,
  reconfigureAutomatically,
  reconfigureConnection,
  ServiceError,
  VerificationFailed,
} from '../services/index.js';
import { readAppCredential } from './app-credential.js';
import { checkJson, formatCheck } from './checks-output.js';
import { describeError, errorLine } from '../services/describe-error.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { println, printError, toSafeJson } from './output.js';
import { runWithStore, type StoreOptions } from './runtime.js';
import { addStoreOptions } from './store-options.js';

/**
 * `connections reconfigure <conn>` (contracts §7): manual registration (--tenant, --client-id and a
 * certificate or secret), or `--automatic`: the device-code line on stderr, the same registration
 * and verification as the wizard, and the checks on stdout (or one JSON document with --json).
 */

interface ReconfigureOptions extends StoreOptions {
  automatic?: boolean;
  tenant?: string;
  clientId?: string;
  certificate?: string;
  certificatePasswordFile?: string;
  clientSecretFile?: string;
  secretExpires?: string;
  mailbox?: string;
  changeTenant?: boolean;
  legacyEws?: boolean;
  certificateDays?: string;
  json?: boolean;
}

const CONFIRM = 'add --change-tenant';

/** "To sign in, use a web browser to open <url> and enter the code <CODE> …" (contracts §7). */
export function deviceCodeLine(prompt: DeviceCodePrompt): string {
  const until = prompt.expiresAt.toISOString().slice(11, 16);
  return `To sign in, use a web browser to open ${displayText(prompt.verificationUri, { maxLength: 200 })} and enter the code ${displayText(prompt.userCode, { maxLength: 20 })} to authenticate (the code expires at ${until} UTC).`;
}

function badInput(message: string): ServiceError {
  return new ServiceError('bad-input', message);
}

function checkOptions(opts: ReconfigureOptions): void {
  if (opts.automatic) {
    const manual = ['tenant', 'clientId', 'certificate', 'certificatePasswordFile', 'clientSecretFile', 'secretExpires'].filter((k) => opts[k as keyof ReconfigureOptions] !== undefined);
    if (manual.length) throw badInput(`--automatic registers the app itself; leave out ${manual.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}.`);
    if (opts.certificateDays !== undefined && !(/^\d+$/.test(opts.certificateDays) && Number(opts.certificateDays) >= 1 && Number(opts.certificateDays) <= 730)) {
      throw badInput('--certificate-days takes a number of days from 1 to 730 (Microsoft Entra ID refuses longer-lived app keys in many tenants).');
    }
    return;
  }
  if (opts.legacyEws || opts.certificateDays !== undefined) throw badInput('--legacy-ews and --certificate-days go with --automatic.');
  if (!opts.tenant || !opts.clientId) throw badInput('Give --tenant and --client-id (manual registration), or --automatic.');
  if (Boolean(opts.certificate) === Boolean(opts.clientSecretFile)) throw badInput('Give exactly one credential: --certificate <file> (recommended) or --client-secret-file <file>.');
  if (opts.secretExpires !== undefined && !opts.clientSecretFile) throw badInput('--secret-expires goes with --client-secret-file.');
  if (opts.secretExpires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.secretExpires)) throw badInput(`--secret-expires takes a date as YYYY-MM-DD, not '${displayText(opts.secretExpires, { maxLength: 40 })}'.`);
}

function printChecks(io: Io, checks: readonly CheckResult[], printed: CheckResult[]): void {
  for (const check of checks.slice(printed.length)) {
    printed.push(check);
    println(io.stdout, formatCheck(check));
  }
}

export function registerReconfigure(connections: Command, io: Io, setExit: (code: number) => void): void {
  addStoreOptions(
    connections
      .command('reconfigure <connection>')
      .description('switch a Microsoft 365 connection to Modern Authentication: manual registration, or --automatic (verify, then save)')
      .option('--automatic', 'sign in as an admin by device code and register (or reuse) the tenant’s app')
      .option('--tenant <id-or-domain>', 'manual: directory (tenant) ID or domain, e.g. contoso.onmicrosoft.com')
      .option('--client-id <guid>', 'manual: application (client) ID of the app registration')
      .option('--certificate <file>', 'manual: certificate with its private key: PEM, or PFX/PKCS#12')
      .option('--certificate-password-file <file>', 'file holding the PFX or key password (- for standard input)')
      .option('--client-secret-file <file>', 'manual: file holding the client secret (- for standard input); not for SharePoint')
      .option('--secret-expires <YYYY-MM-DD>', 'when the client secret expires (raises the expiry alert in time)')
      .option('--mailbox <upn>', 'Exchange: mailbox of a licensed user to verify access with')
      .option('--change-tenant', 'confirm that the connection moves to another tenant (its jobs then back up that tenant)')
      .option('--legacy-ews', 'automatic, Exchange: also grant EWS full_access_as_app (EWS in Exchange Online ends on 2027-04-01)')
      .option('--certificate-days <n>', 'automatic: lifetime of the new certificate in days (default 365)')
      .option('--json', 'print the outcome as one JSON document'),
  ).action(async (ref: string, opts: ReconfigureOptions) => {
    setExit(
      await runWithStore(io, opts, async ({ ctx, store }) => {
        checkOptions(opts);
        const connection = findConnection(store.current(), ref);
        const printed: CheckResult[] = [];
        const onChecks = (p: { results: readonly CheckResult[] }) => {
          if (!opts.json) printChecks(io, p.results, printed);
        };
        const failed = (error: VerificationFailed) => {
          if (opts.json) println(io.stdout, toSafeJson({ saved: false, connection: connection.id, checks: error.checks.map((c) => checkJson(c)) }));
          else printChecks(io, error.checks, printed);
          printError(io, errorLine(describeError(error, 'cli')));
          return EXIT.failed;
        };
        if (opts.automatic) {
          const stop = new AbortController();
          const onInterrupt = () => stop.abort();
          process.once('SIGINT', onInterrupt);
          try {
            const result = await reconfigureAutomatically(ctx, connection.id, {
              signal: stop.signal,
              ...(opts.mailbox ? { mailbox: opts.mailbox } : {}),
              ...(opts.legacyEws ? { legacyEws: true } : {}),
              ...(opts.certificateDays !== undefined ? { certificateLifetimeDays: Number(opts.certificateDays) } : {}),
              ...(opts.changeTenant ? { allowTenantChange: true } : {}),
              confirmWith: CONFIRM,
              onPrompt: (prompt) => println(io.stderr, deviceCodeLine(prompt)),
              onSignedIn: (session) =>
                println(io.stderr, `Signed in as ${displayText(session.userPrincipalName, { maxLength: 120 })} to tenant ${session.tenantId} (${cloudLabel(session.cloud)} cloud). ${displayText(session.roles.summary, { maxLength: 400 })}`),
              onProgress: (p) => {
                if (p.done) println(io.stderr, displayText(p.detail, { maxLength: 300 }));
              },
              onChecks,
            });
            if (opts.json) {
              println(
                io.stdout,
                toSafeJson({
                  saved: true,
                  connection: result.connection.id,
                  tenantId: result.app.tenantId,
                  cloud: result.app.cloud,
                  clientId: result.app.clientId,
                  createdApp: result.app.created,
                  sharedWith: result.sharedWith,
                  certificateNotAfter: result.app.certificate.notAfter,
                  checks: result.checks.map((c) => checkJson(c)),
                }),
              );
            } else {
              printChecks(io, result.checks, printed);
              const shared = result.sharedWith.length ? `; shared with ${result.sharedWith.map((n) => `'${displayText(n, { maxLength: 80 })}'`).join(', ')}` : '';
              println(io.stdout, `Saved: '${displayText(result.connection.displayName)}' now uses Modern Authentication (app registration client ID ${result.app.clientId}, ${result.app.created ? 'created' : 'reused'}${shared}; certificate valid until ${result.app.certificate.notAfter.slice(0, 10)}).`);
            }
            if (!result.pruned) printError(io, 'warning: the previous certificate could not be removed from the app registration; it stays registered until it expires.');
            return EXIT.ok;
          } catch (error) {
            if (error instanceof VerificationFailed) return failed(error);
            if (stop.signal.aborted) {
              printError(io, 'Cancelled; nothing was saved.');
              return EXIT.failed;
            }
            throw error;
          } finally {
            process.off('SIGINT', onInterrupt);
          }
        }

        const credential = await readAppCredential(ctx, io, connection.service, opts);
        try {
          const result = await reconfigureConnection(
            ctx,
            connection.id,
            {
              tenantId: opts.tenant ?? '',
              clientId: opts.clientId ?? '',
              credential,
              ...(opts.mailbox ? { mailbox: opts.mailbox } : {}),
              registration: { method: 'manual' },
            },
            { onProgress: onChecks, confirmWith: CONFIRM, ...(opts.changeTenant ? { allowTenantChange: true } : {}) },
          );
          if (opts.json) println(io.stdout, toSafeJson({ saved: true, connection: result.connection.id, checks: result.checks.map((c) => checkJson(c)) }));
          else {
            printChecks(io, result.checks, printed);
            println(io.stdout, `Saved: '${displayText(result.connection.displayName)}' now uses Modern Authentication.`);
          }
          return EXIT.ok;
        } catch (error) {
          if (!(error instanceof VerificationFailed)) throw error;
          return failed(error);
        }
      }),
    );
  });
}
