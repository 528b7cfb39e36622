/** The action library's pure part: schemas, planning, templates, validation at save. */
export * from './schema.js';
export * from './plan.js';
export * from './template.js';
export * from './validate.js';
export * from './webhook-address.js';
export * from './customer-email.js';
