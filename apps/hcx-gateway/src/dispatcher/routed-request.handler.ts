import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { HcxRequestRoutedV1 } from '@npi/kafka-contracts';
import type { BrokerEventHandlerOptions, HandedOff } from '@npi/messaging';
import { Dispatcher } from './dispatcher';
import type { RoutedRequest } from './dispatcher';

/** The handler group; its consumer group id and whether this process runs it come from HCX_DISPATCHER_* (service.ts). */
export const DISPATCHER_GROUP = 'dispatcher';

/**
 * Consumes hcx.request.routed.v1 for the Dispatcher. The dispatcher hands each delivery off (the
 * offset is committed once it settled), so this consumer never waits for a recipient: many
 * deliveries are in flight at once, and retries run on timers.
 */
@Controller()
export class RoutedRequestHandler {
  constructor(private readonly dispatcher: Dispatcher) {}

  @EventPattern(HcxRequestRoutedV1.topic, { group: DISPATCHER_GROUP } satisfies BrokerEventHandlerOptions)
  onRequestRouted(@Payload() request: RoutedRequest): Promise<HandedOff | undefined> {
    return this.dispatcher.accept(request);
  }
}
