export { BILLER_STORE, PARTICIPANT_STORE, SESSION_STORE } from './ports';
export type {
  BillerCreditor,
  BillerFormField,
  BillerRecord,
  BillerStore,
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
