import type { IncomingMessage } from '@npi/messaging';
import { BrokerContext } from '@npi/messaging';
import type { ChargeSlabRecord, ChargeSlabRepository } from '@npi/session/data-access';
import { DirectoryChangedHandler } from './directory-changed.handler';

const message: IncomingMessage = { topic: 'payments.directory.changed.v1', partition: 0, offset: '0', value: '', headers: {}, attempt: 1 };
const context = new BrokerContext([message, { eventId: 'e-1', topic: message.topic, version: 1, occurredAt: new Date().toISOString(), producer: 'payment-service', data: {} }, 'tx']);

describe('DirectoryChangedHandler', () => {
  it("replaces each listed app's charge slabs in the processed-event transaction, in the directory's field names", async () => {
    const calls: [string, readonly ChargeSlabRecord[], Date, unknown][] = [];
    const store: ChargeSlabRepository = { replace: async (appId, slabs, changedAt, transaction) => void calls.push([appId, slabs, changedAt, transaction]), slabsOf: async () => [] };
    await new DirectoryChangedHandler(store).onDirectoryChanged(
      {
        changedAt: '2026-12-06T10:00:00.000Z',
        changedBy: 'operator',
        banks: [],
        removedBankIds: [],
        chargeSlabs: [
          { appId: 'APP-1', slabs: [{ scheme: 'BILLPAY', currency: 'NPR', maxAmt: '5000.00', minChargeAmt: '5.00', maxChargeAmt: '5.00', percent: '0' }] },
          { appId: 'APP-2', slabs: [] },
        ],
        autoReleaseLimits: [],
      },
      context,
    );
    expect(calls).toEqual([
      ['APP-1', [{ maxAmount: '5000.00', minChargeAmount: '5.00', maxChargeAmount: '5.00', percent: '0' }], new Date('2026-12-06T10:00:00.000Z'), 'tx'],
      ['APP-2', [], new Date('2026-12-06T10:00:00.000Z'), 'tx'],
    ]);
  });

  it('ignores a change that lists no charge slabs (banks, auto-release)', async () => {
    const replace = jest.fn();
    await new DirectoryChangedHandler({ replace, slabsOf: async () => [] }).onDirectoryChanged(
      { changedAt: '2026-12-06T10:00:00.000Z', changedBy: 'operator', banks: [], removedBankIds: ['9999'], chargeSlabs: [], autoReleaseLimits: [] },
      context,
    );
    expect(replace).not.toHaveBeenCalled();
  });
});
