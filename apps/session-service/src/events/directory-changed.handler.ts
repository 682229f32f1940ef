import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PaymentsDirectoryChangedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { BrokerContext } from '@npi/messaging';
import type { BrokerEventHandlerOptions } from '@npi/messaging';
import { CHARGE_SLAB_REPOSITORY } from '@npi/session/data-access';
import type { ChargeSlabRepository } from '@npi/session/data-access';

type DirectoryChanged = EventData<typeof PaymentsDirectoryChangedV1>;

/**
 * payment-service → session-service: the charge slabs of NCHL apps, so the Billers npiObject shows
 * the charge the payment will take. One group for all replicas (the copy is in the shared
 * database); idempotent by event id, and a change older than the stored one changes nothing.
 */
@Controller()
export class DirectoryChangedHandler {
  constructor(@Inject(CHARGE_SLAB_REPOSITORY) private readonly chargeSlabs: ChargeSlabRepository) {}

  @EventPattern(PaymentsDirectoryChangedV1.topic, { group: 'directory-changed', idempotent: true } satisfies BrokerEventHandlerOptions)
  async onDirectoryChanged(@Payload() data: DirectoryChanged, @Ctx() context: BrokerContext): Promise<void> {
    const changedAt = new Date(data.changedAt);
    for (const { appId, slabs } of data.chargeSlabs) {
      const records = slabs.map((slab) => ({ maxAmount: slab.maxAmt, minChargeAmount: slab.minChargeAmt, maxChargeAmount: slab.maxChargeAmt, percent: slab.percent }));
      await this.chargeSlabs.replace(appId, records, changedAt, context.getTransaction());
    }
  }
}
