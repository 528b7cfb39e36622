/** Workflow rules, the pure part: definitions, the engine, validation at save (conditions: shared/domain/criteria). */
export * from './engine.js';
export * from './rule.js';
export * from './validate.js';
