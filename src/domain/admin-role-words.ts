/**
 * Who can register the backup app, in the words every front end and error message uses (the rules
 * behind it are in auth/admin-roles.ts): Global Administrator alone, or Privileged Role
 * Administrator (grants Microsoft Graph application roles) together with Application Administrator
 * (creates the app where users may not).
 */
export const ROLES_THAT_REGISTER = 'Global Administrator, or Privileged Role Administrator together with Application Administrator';

/** The sentence the wizard shows before and during the admin's sign-in. */
export const REGISTERING_ACCOUNT_WORDS = `The account must hold ${ROLES_THAT_REGISTER} (a role that is only eligible in PIM must be activated first).`;
