export { HcxDataAccessModule } from './hcx-data-access.module';
export { PrismaApiCallRepository } from './prisma-api-call.repository';
export { PrismaParticipantRepository } from './prisma-participant.repository';
export { PrismaSigningKeyRepository } from './prisma-signing-key.repository';
export { API_CALL_REPOSITORY, FILTER_OPERATORS, PARTICIPANT_REPOSITORY, PARTICIPANT_SEARCH_FIELDS, SECRET_DELIVERY_REPOSITORY, SIGNING_KEY_REPOSITORY } from './types';
export { PrismaSecretDeliveryRepository } from './prisma-secret-delivery.repository';
export { PrismaNotificationRepository } from './prisma-notification.repository';
export { NOTIFICATION_REPOSITORY, SUBSCRIPTION_STATUS } from './types';
export type {
  ApiCallRecord,
  ApiCallRepository,
  ApiCallSearch,
  Delivery,
  NotificationDeliveryState,
  NotificationRecord,
  NotificationRepository,
  NotificationSearch,
  SubscriptionQuery,
  SubscriptionRecord,
  SubscriptionStatusCode,
  DeliveryStatus,
  FilterOperator,
  ParticipantFilter,
  ParticipantProfile,
  ParticipantQuery,
  ParticipantSearchField,
  SecretDeliveryReason,
  SecretDeliveryRecord,
  SecretDeliveryRepository,
  NewApiCall,
  NewParticipant,
  OutboxEventRow,
  ParticipantChanges,
  ParticipantRecord,
  ParticipantRepository,
  ParticipantSearch,
  ParticipantStatus,
  SigningKeyRecord,
  SigningKeyRepository,
} from './types';
