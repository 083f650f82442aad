export { HeadlessKeyError } from './errors.js';
