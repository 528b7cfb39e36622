/** Workflow rules, the pure part: definitions, conditions, the engine, validation at save. */
export * from './conditions.js';
export * from './engine.js';
export * from './rule.js';
export * from './validate.js';
