export { ConfigError, loadConfig } from './load-config';
export type { Environment } from './load-config';
export { EXIT_CONFIG, EXIT_UNAVAILABLE, StartupError, interpretSetting, isStartupError, readSettingFile } from './startup-error';
export type { StartupFailureKind } from './startup-error';
export {
  booleanFlag,
  commaList,
  optionalString,
  port,
  kafkaTopicSettings,
  requireBrokersForKafka,
  requiredString,
  secretString,
  serviceBaseSchema,
} from './schemas';
export type { ServiceBaseConfig } from './schemas';
