export { eventually } from './eventually';
export { itServesThePlatformEndpoints } from './platform-endpoints';
export type { PlatformExpectations } from './platform-endpoints';
