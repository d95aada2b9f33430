import { displayText } from './display-text.js';

/**
 * What the admin should do next, said the way each front end does it (issue 16, item 8): the panel
 * names its screens and keys, the command line names the command to run. A message that ends in a
 * next step carries it as data; `nextStepText` is the one place its words are decided.
 */
export type Audience = 'cli' | 'tui';

export type NextStep =
  /** Switch a Microsoft 365 connection to Modern Authentication (or give it a new credential). */
  | { readonly kind: 'reconfigure'; readonly connection?: string; readonly certificate?: boolean }
  /** The jobs that use a connection must go before it can. */
  | { readonly kind: 'delete-jobs'; readonly jobs: readonly string[] }
  /** A certificate or client secret runs out: renew it. */
  | { readonly kind: 'renew-credential'; readonly connection?: string };

/** A name or id as one shell word (quoted when it needs to be). */
export function shellWord(value: string): string {
  const shown = displayText(value, { maxLength: 80 });
  return /^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
}

function connectionWord(connection: string | undefined): string {
  return connection === undefined ? '<connection>' : shellWord(connection);
}

export function nextStepText(step: NextStep, audience: Audience): string {
  switch (step.kind) {
    case 'reconfigure':
      if (audience === 'tui') return step.certificate ? 'Reconfigure the connection (Edit) with a certificate.' : 'Reconfigure the connection (Edit) to use Modern Authentication with an app registration and a certificate.';
      return `Reconfigure it with ${step.certificate ? 'a certificate' : 'Modern Authentication'}: backup-panel connections reconfigure ${connectionWord(step.connection)} --automatic (or --tenant, --client-id and --certificate for an app you registered).`;
    case 'delete-jobs': {
      const one = step.jobs.length === 1;
      if (audience === 'tui') return `Delete ${one ? 'that job' : 'those jobs'} on the Jobs tab first.`;
      const commands = step.jobs.map((job) => `backup-panel jobs delete ${shellWord(job)} --yes`).join('; ');
      return `Delete ${one ? 'that job' : 'those jobs'} first: ${commands}.`;
    }
    case 'renew-credential':
      if (audience === 'tui') return 'Edit the connection and renew it.';
      return `Renew it: backup-panel connections reconfigure ${connectionWord(step.connection)} --automatic (or --certificate with a new certificate).`;
  }
}

/** A message and its next step as one text for an audience. */
export function withNextStep(message: string, step: NextStep | undefined, audience: Audience): string {
  return step ? `${message} ${nextStepText(step, audience)}` : message;
}
