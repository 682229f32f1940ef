export { chargeFor } from './charge-for';
export type { Slab } from './charge-for';
