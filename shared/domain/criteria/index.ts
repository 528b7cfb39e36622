export * from './schema.js';
export * from './evaluate.js';
export * from './validate.js';
export * from './upgrade.js';
