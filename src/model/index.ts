export * from './event.js';
export * from './headers.js';
export * from './json-path.js';
export * from './location.js';
export * from './recording.js';
export * from './run.js';
export * from './session.js';
