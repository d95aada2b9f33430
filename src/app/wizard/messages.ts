import type { ErrorCategory } from '../../auth/api.js';
import { M365Error } from '../../auth/api.js';
import { ServiceError } from '../../services/errors.js';
import { StoreError } from '../../store/api.js';
import type { OpKind, WizardFailure } from './types.js';

/** The normalised error categories (microsoft365.md §12) in words an admin reads. */
export const CATEGORY_WORDS: Readonly<Record<ErrorCategory, string>> = {
  ConsentMissing: 'Permissions not granted (admin consent missing)',
  AppNotFound: 'Application not found',
  BadCredential: 'Wrong or expired credential',
  CertNotRegistered: 'Certificate not accepted',
  ConditionalAccessBlocked: 'Blocked by Conditional Access',
  DeviceCodeDeclined: 'Sign-in declined',
  DeviceCodeExpired: 'Sign-in code expired',
  DeviceCodeCancelled: 'Sign-in cancelled',
  Network: 'Network problem',
  Timeout: 'No answer in time',
  Throttled: 'Throttled by Microsoft',
  PropagationPending: 'Microsoft Entra ID is still catching up',
  Configuration: 'Configuration problem',
  BasicAuthDisabled: 'Basic Authentication switched off',
  ServiceBlocked: 'Blocked by Microsoft',
  NotFound: 'Not found',
  ServerError: 'Fault on the server side',
  Cancelled: 'Cancelled',
  Unknown: 'Unexpected error',
};

const TITLES: Readonly<Record<OpKind, string>> = {
  certificate: 'The certificate file cannot be used',
  'sign-in': 'Sign-in failed',
  register: 'Registration failed',
  verify: 'Verification could not run',
  save: 'Not saved',
};

/** Any failure of a wizard operation as the step shows it: category, AADSTS code, what to do. */
export function describeFailure(error: unknown, kind: OpKind): WizardFailure {
  const title = TITLES[kind];
  if (error instanceof M365Error) {
    return {
      title,
      category: CATEGORY_WORDS[error.category],
      ...(error.aadsts !== undefined ? { aadsts: error.aadsts } : {}),
      message: error.message,
      ...(error.hint && !error.message.includes(error.hint) ? { hint: error.hint } : {}),
    };
  }
  if (error instanceof ServiceError || error instanceof StoreError) return { title, message: error.message };
  return { title, message: error instanceof Error ? error.message : String(error) };
}
