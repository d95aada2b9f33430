import type { CheckResult } from '../auth/api.js';
import { displayText } from '../domain/index.js';

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

export function formatCheck(check: CheckResult): string {
  const name = displayText(check.name, { maxLength: 60 });
  const message = displayText(check.message, { maxLength: 600 });
  return `${LABEL[check.status]}  ${name}: ${message}`;
}

export function checkJson(check: CheckResult): Record<string, unknown> {
  return {
    name: check.name,
    status: check.status,
    message: check.message,
    ...(check.category ? { category: check.category } : {}),
    ...(check.aadsts !== undefined ? { aadsts: check.aadsts } : {}),
  };
}
