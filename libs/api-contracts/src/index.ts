export { ZodBodyPipe, describeIssues } from './zod-body.pipe';
export type { ContractErrorFactory, ContractIssue } from './zod-body.pipe';
export { ApiErrorBody, ApiJsonResponse, ApiNoBody, ApiPublic, createZodDto, finishOpenApiDocument } from './openapi';
export { PlatformErrorDto, platformErrorBody } from './platform-error';
