export { ZodBodyPipe, describeIssues } from './zod-body.pipe';
export type { ContractErrorFactory, ContractIssue, ZodBodyPipeOptions } from './zod-body.pipe';
export { ApiErrorBody, ApiJsonResponse, ApiNoBody, ApiPublic, createZodDto, finishOpenApiDocument } from './openapi';
export { JWK_SET_EXAMPLE, JwkSetDto, PlatformErrorDto, jwkSet, platformErrorBody } from './platform-error';
