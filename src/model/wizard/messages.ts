import type { ErrorDescription } from '../../services/index.js';
import type { DemoReadyApp, OpKind, WizardFailure } from './types.js';

/** The words for Microsoft's error categories (services/describe-error.ts), for the check list. */
export { CATEGORY_WORDS } from '../../services/describe-error.js';

const TITLES: Readonly<Record<OpKind, string>> = {
  certificate: 'The certificate file cannot be used',
  'sign-in': 'Sign-in failed',
  register: 'Registration failed',
  verify: 'Verification could not run',
  save: 'Not saved',
};

/** A failed wizard operation as the step shows it: category, AADSTS code, what to do. */
export function failureOf(error: ErrorDescription, kind: OpKind): WizardFailure {
  return {
    title: TITLES[kind],
    ...(error.category ? { category: error.category } : {}),
    ...(error.aadsts !== undefined ? { aadsts: error.aadsts } : {}),
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

/** The demo's words on the wizard's steps: the sandbox tenant plays Microsoft Entra ID and its admin center. */
export const DEMO_SIGN_IN_APPROVES = 'Demo: the sandbox tenant approves this sign-in by itself in a few seconds; there is nothing to open.';

export function demoReadyAppText(app: DemoReadyApp): string {
  return `Demo: a ready app is registered in the sandbox tenant: tenant ${app.tenant}, Application (client) ID ${app.clientId}, certificate ${app.certificatePath}`;
}

export function demoCertificateAddedText(app: DemoReadyApp): string {
  return `Demo: the sandbox tenant added this certificate to the ready app, as you would upload it in the Microsoft Entra admin center. Type its Application (client) ID below, ${app.clientId}, then Enter.`;
}
