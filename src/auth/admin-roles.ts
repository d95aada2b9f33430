import { ROLES_THAT_REGISTER } from '../domain/admin-role-words.js';
import { displayText } from '../domain/display-text.js';
import type { AdminRoleName, AdminRoles, Permission } from './api.js';
import { M365Error } from './api.js';
import { RESOURCES } from './permissions.js';

/**
 * The signed-in admin's directory roles, read from the `wids` claim of the delegated token right
 * after sign-in, and what they allow (grant-admin-consent docs; microsoft365.md §9.3 with its
 * correction; backup-data.md §9):
 *
 * - Global Administrator: everything.
 * - Application / Cloud Application Administrator: create and update app registrations, grant
 *   Exchange and SharePoint app roles, but not Microsoft Graph app roles.
 * - Privileged Role Administrator: grant every app role (Graph's too), but create app registrations
 *   only where "Users can register applications" is on.
 * - A role that is only eligible in Privileged Identity Management is not in `wids` until activated.
 *
 * The check runs before any write, so that nothing is half created; Graph still has the last word.
 */

export const ROLE_IDS: Readonly<Record<AdminRoleName, string>> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
};

const PIM_HINT = 'If the role is eligible for you in Privileged Identity Management (PIM), activate it there first, then sign in again (a token from before the activation does not carry it).';
const WHO_CAN = ROLES_THAT_REGISTER;

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The roles of the `wids` claim (undefined: the token carried none, or could not be read). */
export function adminRoles(wids: readonly string[] | undefined): AdminRoles {
  if (wids === undefined) {
    return {
      active: [],
      known: false,
      canCreateApps: 'yes',
      canGrantGraphRoles: true,
      canGrantOtherRoles: true,
      summary: 'The sign-in did not say which directory roles the account holds; Microsoft Graph will refuse what it may not do.',
    };
  }
  const held = new Set(wids.map((w) => w.toLowerCase()));
  const active = (Object.keys(ROLE_IDS) as AdminRoleName[]).filter((name) => held.has(ROLE_IDS[name]));
  const global = active.includes('Global Administrator');
  const appAdmin = active.includes('Application Administrator') || active.includes('Cloud Application Administrator');
  const pra = active.includes('Privileged Role Administrator');
  const canCreateApps = global || appAdmin ? 'yes' : pra ? 'if-allowed' : 'no';
  const canGrantGraphRoles = global || pra;
  const canGrantOtherRoles = global || pra || appAdmin;
  let summary: string;
  if (global) summary = 'Global Administrator: can create the app registration and grant every permission.';
  else if (appAdmin && pra) summary = `${list(active)}: can create the app registration and grant every permission.`;
  else if (appAdmin) {
    summary = `${list(active)}: can create the app registration and grant its Exchange and SharePoint permissions, but not Microsoft Graph application permissions; those need Global Administrator or Privileged Role Administrator.`;
  } else if (pra) {
    summary = 'Privileged Role Administrator: can grant every permission, but may create the app registration only where "Users can register applications" is on in Microsoft Entra ID (User settings).';
  } else summary = `The account holds none of the roles needed (${list(Object.keys(ROLE_IDS))}). ${PIM_HINT}`;
  return { active, known: true, canCreateApps, canGrantGraphRoles, canGrantOtherRoles, summary };
}

/**
 * Refuses, before anything is written, a registration this account cannot complete: it must create
 * (or update) the app and grant the missing roles.
 */
export function assertCanRegister(
  roles: AdminRoles,
  account: string,
  needs: { readonly createOrUpdateApp: boolean; readonly grants: readonly Permission[] },
): void {
  if (!roles.known) return;
  const who = `The account that signed in (${displayText(account, { maxLength: 120 })})`;
  const nothing = 'Nothing was created or changed.';
  if (roles.active.length === 0) {
    throw new M365Error(
      'ConsentMissing',
      `${who} holds none of the directory roles that can register the backup app (${list(Object.keys(ROLE_IDS))}). ${nothing}`,
      undefined,
      `${PIM_HINT} Or sign in with ${WHO_CAN}, or use Manual registration.`,
    );
  }
  const graphGrants = needs.grants.filter((p) => p.resourceAppId === RESOURCES.graph.appId);
  const otherGrants = needs.grants.filter((p) => p.resourceAppId !== RESOURCES.graph.appId);
  if (graphGrants.length > 0 && !roles.canGrantGraphRoles) {
    throw new M365Error(
      'ConsentMissing',
      `${who} is ${list(roles.active)}: that role may create app registrations but cannot grant Microsoft Graph application permissions (${graphGrants.map((p) => p.name).join(', ')}); only Global Administrator or Privileged Role Administrator can. ${nothing}`,
      undefined,
      `Sign in with ${WHO_CAN}, or have one of them grant admin consent, or use Manual registration.`,
    );
  }
  if (otherGrants.length > 0 && !roles.canGrantOtherRoles) {
    throw new M365Error('ConsentMissing', `${who} cannot grant ${otherGrants.map((p) => p.name).join(', ')}. ${nothing}`, undefined, `Sign in with ${WHO_CAN}.`);
  }
  if (needs.createOrUpdateApp && roles.canCreateApps === 'no') {
    throw new M365Error('ConsentMissing', `${who} may not create or change app registrations. ${nothing}`, undefined, `Sign in with ${WHO_CAN}.`);
  }
}

/** A 403 on creating the app where only Privileged Role Administrator is held: say why. */
export function cannotCreateMessage(roles: AdminRoles): string | undefined {
  if (roles.canCreateApps !== 'if-allowed') return undefined;
  return 'Privileged Role Administrator may create app registrations only where "Users can register applications" is on, and it is off in this tenant.';
}
