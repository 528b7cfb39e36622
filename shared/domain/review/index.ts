export * from './definition.js';
export * from './engine.js';
