export * from './definition.js';
export * from './planner.js';
export * from './send-window.js';
export * from './template.js';
export * from './validation.js';
export * from './zoned-time.js';
export * from './unsubscribe-token.js';
