import type { ErrorDescription } from '../../services/index.js';
import type { OpKind, WizardFailure } from './types.js';

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
