/**
 * msal-node and node-forge are loaded on first use only (dynamic import), so that the panel's
 * start-up does not pay for them. Nothing else in src/auth may import them at run time
 * (`import type` is fine: it disappears at compile time).
 */
import type * as Msal from '@azure/msal-node';
import type forgeNamespace from 'node-forge';

type MsalModule = typeof Msal;
type ForgeModule = typeof forgeNamespace;

let msal: Promise<MsalModule> | undefined;
let forge: Promise<ForgeModule> | undefined;

export function loadMsal(): Promise<MsalModule> {
  return (msal ??= import('@azure/msal-node'));
}

export function loadForge(): Promise<ForgeModule> {
  // node-forge is CommonJS: the namespace object is the default export under ESM.
  return (forge ??= import('node-forge').then((m) => ((m as unknown as { default?: ForgeModule }).default ?? m) as ForgeModule));
}
