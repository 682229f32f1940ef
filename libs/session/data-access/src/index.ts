export { BILLER_STORE, CHARGE_SLAB_STORE, PARTICIPANT_STORE, SESSION_STORE } from './ports';
export type {
  BillerCreditor,
  BillerFormField,
  BillerRecord,
  BillerStore,
  ChargeSlabRecord,
  ChargeSlabStore,
  BillersSessionRecord,
  KeyUse,
  NewSession,
  OutboxEventRow,
  ParticipantKeyRecord,
  ParticipantRecord,
  ParticipantStatus,
  ParticipantStore,
  PreparedBill,
  SessionState,
  SessionStore,
} from './ports';
export { PrismaParticipantStore } from './prisma-participant-store';
export { PrismaBillerStore } from './prisma-biller-store';
export { PrismaSessionStore } from './prisma-session-store';
export { PrismaChargeSlabStore } from './prisma-charge-slab-store';
