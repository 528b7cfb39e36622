/**
 * The one access model: pure functions of (principal, resource, action) → allow, or refuse with 403/404.
 * Every handler asks these; none decides on its own. Team rules live beside the org rules.
 */
export * from './admin.js';
export * from './principal.js';
export * from './records.js';
export * from './teams.js';
export * from './users.js';
export * from './work.js';
