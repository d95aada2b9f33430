import type { CheckResult } from '../auth/api.js';
import { displayText } from '../domain/index.js';
import { checkMessage } from '../services/describe-error.js';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

/** `connection`: the id or name the command was given, for the command a next step names. */
export function formatCheck(check: CheckResult, connection?: string): string {
  const name = displayText(check.name, { maxLength: 60 });
  const message = displayText(checkMessage(check, 'cli', connection !== undefined ? { connection } : {}), { maxLength: 600 });
  return `${LABEL[check.status]}  ${name}: ${message}`;
}

export function checkJson(check: CheckResult, connection?: string): Record<string, unknown> {
  return {
    name: check.name,
    status: check.status,
    message: checkMessage(check, 'cli', connection !== undefined ? { connection } : {}),
    ...(check.category ? { category: check.category } : {}),
    ...(check.aadsts !== undefined ? { aadsts: check.aadsts } : {}),
  };
}
