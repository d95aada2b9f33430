/**
 * Mailboxes of the sandbox: Exchange Online through Graph (and EWS, see ../ews-mail.ts) and the
 * on-premises Exchange at ex01.corp.contoso.com. Seeded from `SandboxOptions.data` (seed.ts) and
 * derived on demand: a seeded message costs no memory until it changes (mailbox.ts).
 *
 * Served on graph.microsoft.com/v1.0 (and /beta), `users/{id|upn}` or `users('{id}')`:
 * - GET  /users?$select&$top (paged by @odata.nextLink / $skiptoken)
 * - GET  mailFolders (top level), mailFolders/{id|wellKnownName}, mailFolders/{id}/childFolders
 *        ($filter=displayName eq '…'), paged by $top/$skip
 * - GET  mailFolders/delta: every folder (nested ones too); @removed for deleted folders
 * - GET  mailFolders/{id}/messages/delta: $select, $top or Prefer: odata.maxpagesize (default 10,
 *        at most 1000), changeType; @odata.nextLink ($skiptoken) … @odata.deltaLink ($deltatoken);
 *        the next round has only changes; removed or moved-out messages as
 *        {"id", "@removed": {"reason": "deleted"}}; a moved message keeps its id (immutable ids)
 *        and its MIME. Expired tokens: 410 SyncStateNotFound; tokens not ours: 400 SyncStateInvalid.
 * - GET  messages, mailFolders/{id}/messages (list), messages/{id} ($select, $expand=
 *        singleValueExtendedProperties($filter=id eq 'Integer 0x0E07')), messages/{id}/$value (MIME,
 *        streamed, byte-identical on every call)
 * - POST mailFolders, mailFolders/{id}/childFolders (409 ErrorFolderExists), PATCH/DELETE mailFolders/{id}
 * - POST messages, mailFolders/{id}/messages: text/plain base64 MIME (always a draft) or JSON (a
 *        draft unless singleValueExtendedProperties sets Integer 0x0E07 without MSGFLAG_UNSENT;
 *        SystemTime 0x0E06 / 0x0039 set the received / sent dates)
 * - PATCH messages/{id} (read flag, categories, flag, importance; subject of drafts), DELETE, POST move
 * - POST messages/{id}/attachments (file attachments, request bodies up to 4 MB),
 *        attachments/createUploadSession → PUT ranges to outlook.office.com/api/v2.0/…/AttachmentSessions
 * Permissions as Exchange checks them: Mail.ReadBasic(.All) sees no body and no MIME; writes need
 * Mail.ReadWrite; delegated tokens reach other mailboxes only with *.Shared.
 * Throttling (../data/traffic.ts): 429 ApplicationThrottled "MailboxConcurrency" beyond 4 concurrent
 * requests per mailbox, and storms set by `sandbox.throttle`.
 * Control and read-back: `sandbox.mail` (control.ts, control-types.ts).
 */
export { mailboxRequest } from './graph.js';
export { mailControl } from './control.js';
export type { SandboxMail } from './control-types.js';
