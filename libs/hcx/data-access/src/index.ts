export { HcxDataAccessModule } from './hcx-data-access.module';
export { PrismaApiCallRepository } from './prisma-api-call.repository';
export { PrismaParticipantRepository } from './prisma-participant.repository';
export { PrismaSigningKeyRepository } from './prisma-signing-key.repository';
export { API_CALL_REPOSITORY, PARTICIPANT_REPOSITORY, SIGNING_KEY_REPOSITORY } from './types';
export type {
  ApiCallRecord,
  ApiCallRepository,
  ApiCallSearch,
  DeliveryStatus,
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
