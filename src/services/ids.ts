import { randomBytes } from 'node:crypto';

/** Ids in the style of the previous release (`a-1`, `c-2`), unique without a counter that two sessions could race on. */
function newId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const newAlertId = (): string => newId('a');
export const newConnectionId = (): string => newId('c');
export const newStorageId = (): string => newId('s');
export const newJobId = (): string => newId('j');
