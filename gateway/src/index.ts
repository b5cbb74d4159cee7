/** The Snowflake gateway: the only code that talks to Snowflake. */
export * from './catalog.js';
export * from './config.js';
export * from './driver.js';
export * from './errors.js';
export * from './flows.js';
export * from './format.js';
export * from './operations.js';
export * from './policies.js';
export * from './profile.js';
