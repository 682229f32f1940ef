export { BILLER_REPOSITORY, CHARGE_SLAB_REPOSITORY, HOST_PARTICIPANT_REPOSITORY, BILLERS_SESSION_REPOSITORY } from './ports';
export type {
  BillerCreditor,
  BillerFormField,
  BillerRecord,
  BillerRepository,
  ChargeSlabRecord,
  ChargeSlabRepository,
  BillersSessionRecord,
  KeyUse,
  NewSession,
  OutboxEventRow,
  ParticipantKeyRecord,
  ParticipantRecord,
  ParticipantStatus,
  HostParticipantRepository,
  PreparedBill,
  SessionState,
  BillersSessionRepository,
} from './ports';
export { PrismaHostParticipantRepository } from './prisma-host-participant.repository';
export { PrismaBillerRepository } from './prisma-biller.repository';
export { PrismaBillersSessionRepository } from './prisma-billers-session.repository';
export { PrismaChargeSlabRepository } from './prisma-charge-slab.repository';
export { SessionDataAccessModule } from './session-data-access.module';
