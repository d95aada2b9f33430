/**
 * Safe file access for every file backup-panel keeps beside its data (the store and its companions,
 * storage folders): no link is ever followed, a file must be a regular file of ours, an existing
 * file's owner and mode are never changed, and folders other users could write to are refused.
 * Imports nothing of ours but domain/.
 */
export type { UnsafePathKind } from './errors.js';
export { UnsafePathError, shellPath, shownPath } from './errors.js';
export type { FileOpener, OpenedFile, OpenFileOptions } from './open-file.js';
export { checkOpenedFile, nodeOpener, openDirectory, openFile, symlinkRefused } from './open-file.js';
export { checkFolder, folderProblem, realpathOfExisting } from './folder.js';
export { describeUid, processUid, trustedOwners, userNameOf } from './users.js';
