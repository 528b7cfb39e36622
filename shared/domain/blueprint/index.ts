export * from './definition.js';
export * from './engine.js';
export * from './validate.js';
