export { ConfigError, loadConfig } from './load-config';
export type { Environment } from './load-config';
export {
  booleanFlag,
  commaList,
  optionalString,
  port,
  requireBrokersForKafka,
  requiredString,
  secretString,
  serviceBaseSchema,
} from './schemas';
export type { ServiceBaseConfig } from './schemas';
