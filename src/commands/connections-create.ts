import type { Command } from 'commander';
import type { CheckResult } from '../auth/api.js';
import { displayText, secretExpiryProblem } from '../domain/index.js';
import type { CreateConnectionInput } from '../services/index.js';
import { connectionRowJson, connectionRows, createConnection, ServiceError, VerificationFailed } from '../services/index.js';
import { readAppCredential } from './app-credential.js';
import { checkJson, formatCheck } from './checks-output.js';
import { describeError, errorLine } from '../services/describe-error.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './output.js';
import { println, printError, toSafeJson } from './output.js';
import { exitCodeFor, reportError, runWithStore, type StoreOptions } from './runtime.js';
import { readSecretFile } from './secret-input.js';
import { addStoreOptions } from './store-options.js';

/**
 * `connections create <kind>` (contracts §7): the wizard's four paths from a shell. Secrets come
 * from files or `-` (standard input), never from arguments; the connection is verified like a
 * reconfiguration and saved only when no check failed.
 */

export const CONNECTION_KINDS = ['exchange-online', 'sharepoint-online', 'exchange-onprem', 'sharepoint-onprem'] as const;
type Kind = (typeof CONNECTION_KINDS)[number];

interface CreateOptions extends StoreOptions {
  name?: string;
  tenant?: string;
  clientId?: string;
  certificate?: string;
  certificatePasswordFile?: string;
  clientSecretFile?: string;
  secretExpires?: string;
  mailbox?: string;
  url?: string;
  legacyUser?: string;
  legacyPasswordFile?: string;
  server?: string;
  autodiscoverEmail?: string;
  user?: string;
  passwordFile?: string;
  json?: boolean;
}

/** Which options each kind takes (the rest are refused, so a typo in a script does not pass silently). */
const ALLOWED: Record<Kind, ReadonlyArray<keyof CreateOptions>> = {
  'exchange-online': ['tenant', 'clientId', 'certificate', 'certificatePasswordFile', 'clientSecretFile', 'secretExpires', 'mailbox'],
  'sharepoint-online': ['tenant', 'clientId', 'certificate', 'certificatePasswordFile', 'url', 'legacyUser', 'legacyPasswordFile'],
  'exchange-onprem': ['server', 'autodiscoverEmail', 'user', 'passwordFile'],
  'sharepoint-onprem': ['url', 'user', 'passwordFile'],
};
const ALWAYS: ReadonlyArray<keyof CreateOptions> = ['name', 'json', 'store', 'demo', 'keepDemo'];

const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function bad(message: string): ServiceError {
  return new ServiceError('bad-input', message);
}

function parseKind(value: string): Kind {
  const kind = CONNECTION_KINDS.find((k) => k === value.trim().toLowerCase());
  if (!kind) throw bad(`Unknown kind of connection '${displayText(value, { maxLength: 40 })}'; use one of ${CONNECTION_KINDS.join(', ')}.`);
  return kind;
}

function checkOptions(kind: Kind, opts: CreateOptions, today: string): void {
  const allowed = new Set([...ALLOWED[kind], ...ALWAYS]);
  const stray = (Object.keys(opts) as Array<keyof CreateOptions>).filter((k) => opts[k] !== undefined && !allowed.has(k));
  if (stray.length) throw bad(`${kind} does not take ${stray.map(flag).join(', ')}; see 'backup-panel connections create --help'.`);
  const fromStdin = (['certificatePasswordFile', 'clientSecretFile', 'legacyPasswordFile', 'passwordFile'] as const).filter((k) => opts[k] === '-');
  if (fromStdin.length > 1) throw bad(`Only one secret can come from standard input; give ${fromStdin.slice(1).map(flag).join(', ')} a file.`);
  const need = (key: keyof CreateOptions, what: string) => {
    if (!opts[key]) throw bad(`${kind} needs ${flag(key)} ${what}.`);
  };
  if (kind.endsWith('-online')) {
    need('tenant', '<directory ID or domain>');
    need('clientId', '<application (client) ID>');
    if (kind === 'exchange-online') {
      need('mailbox', '<UPN of a licensed user> (verification reads this mailbox)');
      if (Boolean(opts.certificate) === Boolean(opts.clientSecretFile)) throw bad('Give exactly one credential: --certificate <file> (recommended) or --client-secret-file <file>.');
    } else {
      need('certificate', '<file> (SharePoint Online takes a certificate, not a client secret)');
      if (Boolean(opts.legacyUser) !== Boolean(opts.legacyPasswordFile)) throw bad('--legacy-user and --legacy-password-file go together.');
    }
    if (opts.secretExpires !== undefined) {
      if (!opts.clientSecretFile) throw bad('--secret-expires goes with --client-secret-file.');
      const problem = secretExpiryProblem(opts.secretExpires, today);
      if (problem) throw bad(`--secret-expires: ${problem}`);
    }
  } else {
    need('user', kind === 'exchange-onprem' ? '<DOMAIN\\user or user@domain>' : '<DOMAIN\\user>');
    need('passwordFile', '<file> (- for standard input)');
  }
  if (kind.startsWith('sharepoint')) need('url', kind === 'sharepoint-online' ? '<https://contoso.sharepoint.com>' : '<https://sp.corp.example.com>');
  if (kind === 'exchange-onprem' && opts.server && opts.autodiscoverEmail) throw bad('Give --server <host>, or --autodiscover-email <address> to find the server by Autodiscover, not both.');
}

async function inputFor(kind: Kind, opts: CreateOptions, io: Io, ctx: Parameters<typeof readAppCredential>[0]): Promise<CreateConnectionInput> {
  const name = opts.name !== undefined ? { name: opts.name } : {};
  if (kind === 'exchange-onprem' || kind === 'sharepoint-onprem') {
    const password = await readSecretFile(opts.passwordFile ?? '', 'password', io.stdin);
    const userName = (opts.user ?? '').trim();
    if (kind === 'sharepoint-onprem') return { service: 'sharepoint', location: 'onpremises', url: (opts.url ?? '').trim(), userName, password, ...name };
    return {
      service: 'exchange',
      location: 'onpremises',
      server: opts.server?.trim() || null,
      ...(opts.autodiscoverEmail ? { autodiscoverEmail: opts.autodiscoverEmail.trim() } : {}),
      userName,
      password,
      ...name,
    };
  }
  const service = kind === 'exchange-online' ? 'exchange' : 'sharepoint';
  const credential = await readAppCredential(ctx, io, service, opts);
  const common = { tenantId: (opts.tenant ?? '').trim(), clientId: (opts.clientId ?? '').trim(), credential, registration: { method: 'manual' as const } };
  if (kind === 'exchange-online') return { service: 'exchange', location: 'online', modern: { ...common, mailbox: (opts.mailbox ?? '').trim() }, ...name };
  const legacyAccount = opts.legacyUser ? { legacyAccount: { userName: opts.legacyUser.trim(), password: await readSecretFile(opts.legacyPasswordFile ?? '', 'legacy account password', io.stdin) } } : {};
  return { service: 'sharepoint', location: 'online', url: (opts.url ?? '').trim(), modern: { ...common, ...legacyAccount }, ...name };
}

export function registerCreate(connections: Command, io: Io, setExit: (code: number) => void): void {
  addStoreOptions(
    connections
      .command('create <kind>')
      .description(`create a connection (${CONNECTION_KINDS.join(', ')}): verify, then save; secrets from files or - (standard input)`)
      .option('--name <name>', 'connection name (default: the mailbox, the site’s host or the server, made unique)')
      .option('--tenant <id-or-domain>', 'online: directory (tenant) ID or domain, e.g. contoso.onmicrosoft.com')
      .option('--client-id <guid>', 'online: application (client) ID of the app registration')
      .option('--certificate <file>', 'online: certificate with its private key: PEM, or PFX/PKCS#12')
      .option('--certificate-password-file <file>', 'online: file holding the PFX or key password (- for standard input)')
      .option('--client-secret-file <file>', 'exchange-online: file holding the client secret (- for standard input)')
      .option('--secret-expires <YYYY-MM-DD>', 'exchange-online: when the client secret expires (raises the expiry alert in time)')
      .option('--mailbox <upn>', 'exchange-online: mailbox of a licensed user to verify access with')
      .option('--url <url>', 'sharepoint: site URL (https://contoso.sharepoint.com, or the on-premises server’s)')
      .option('--legacy-user <upn>', 'sharepoint-online: account for the few operations that need legacy sign-in (optional)')
      .option('--legacy-password-file <file>', 'sharepoint-online: file holding that account’s password (- for standard input)')
      .option('--server <host>', 'exchange-onprem: Exchange server host name or IP (leave out to use Autodiscover)')
      .option('--autodiscover-email <address>', 'exchange-onprem: e-mail address to find the server by Autodiscover')
      .option('--user <account>', 'on-premises: service account, DOMAIN\\user or user@domain')
      .option('--password-file <file>', 'on-premises: file holding the account’s password (- for standard input)')
      .option('--json', 'print the outcome as one JSON document'),
  ).action(async (kindArg: string, opts: CreateOptions) => {
    let kind: Kind;
    try {
      // Before the store is opened (and perhaps created): bad input leaves everything as it was.
      kind = parseKind(kindArg);
      checkOptions(kind, opts, new Date().toISOString().slice(0, 10));
    } catch (error) {
      reportError(io, error);
      setExit(exitCodeFor(error));
      return;
    }
    setExit(
      // Creating a connection makes sense on a new store: this write may create it.
      await runWithStore(io, { ...opts, create: true }, async ({ ctx }) => {
        const input = await inputFor(kind, opts, io, ctx);
        const printed: CheckResult[] = [];
        const print = (checks: readonly CheckResult[]) => {
          if (opts.json) return;
          for (const check of checks.slice(printed.length)) {
            printed.push(check);
            println(io.stdout, formatCheck(check));
          }
        };
        try {
          const { connection, checks } = await createConnection(ctx, input, { onProgress: (p) => print(p.results) });
          const row = connectionRows(ctx.store.current()).find((r) => r.id === connection.id);
          if (opts.json) println(io.stdout, toSafeJson({ saved: true, connection: row ? connectionRowJson(row) : { id: connection.id, name: connection.displayName }, checks: checks.map((c) => checkJson(c)) }));
          else {
            print(checks);
            println(io.stdout, `Created server connection '${displayText(connection.displayName)}' (${displayText(connection.id)}).`);
          }
          return EXIT.ok;
        } catch (error) {
          if (!(error instanceof VerificationFailed)) throw error;
          if (opts.json) println(io.stdout, toSafeJson({ saved: false, checks: error.checks.map((c) => checkJson(c)) }));
          else print(error.checks);
          printError(io, errorLine(describeError(error, 'cli')));
          return EXIT.failed;
        }
      }),
    );
  });
}
