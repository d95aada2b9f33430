export * from './automatic.js';
export * from './remove-app.js';
export * from './tenant-app.js';
export * from './tenant-guard.js';
