import { Catch } from '@nestjs/common';
import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { RpcExceptionFilter } from '@nestjs/common/interfaces';
import { throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import { BrokerEventTransport } from './broker-event.transport';
import type { BrokerEventTransportOptions } from './broker-event.transport';

/**
 * Hands a handler's error back to the transport unchanged (Nest's default RPC handler would turn
 * it into a generic `Internal server error` object), so retries and the dead-letter decision
 * (PoisonMessageError, ContractViolationError) see the real error.
 */
@Catch()
class RethrowToBroker implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** Connects the app's `@EventPattern` handlers to the broker; start them with `app.startAllMicroservices()`. */
export function connectBrokerEvents(app: INestApplication, options: BrokerEventTransportOptions): INestMicroservice {
  // Deferred, so the filter is in place before Nest builds the handlers (it does so at init).
  const microservice = app.connectMicroservice({ strategy: new BrokerEventTransport(options) }, { deferInitialization: true });
  microservice.useGlobalFilters(new RethrowToBroker());
  // The HTTP application runs the modules' init and bootstrap hooks; a deferred microservice would
  // run them a second time when it starts.
  (microservice as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  return microservice;
}

