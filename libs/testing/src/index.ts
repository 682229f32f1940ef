export { eventually } from './eventually';
export { itServesThePlatformEndpoints } from './platform-endpoints';
export type { PlatformExpectations } from './platform-endpoints';
export { expectSameShape, jsonTypeOf, shapeDifferences } from './json-shape';
export type { JsonType, ShapeOptions } from './json-shape';
export { testEnvironment } from './test-environment';
export { passwordGrantToken, registerNpiMember, tokenEndpoint } from './npi-member';
export type { NpiMember, NpiMemberSetup, OAuthClientCredentials } from './npi-member';
export { fakeHttp } from './fake-http';
