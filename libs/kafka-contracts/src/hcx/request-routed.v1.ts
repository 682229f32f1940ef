import { z } from 'zod';
import { defineEvent } from '../contract';
import { Topics } from '../topics';

/** hcx-gateway → dispatcher: an accepted protocol request to deliver to the recipient. */
export const HcxRequestRoutedV1 = defineEvent(
  Topics.hcxRequestRouted,
  z
    .object({
      requestId: z.string().uuid(),
      apiPath: z.string().min(1).max(128),
      senderCode: z.string().min(1).max(128),
      recipientCode: z.string().min(1).max(128),
      apiCallId: z.string().min(1).max(128),
      correlationId: z.string().min(1).max(128),
      workflowId: z.string().max(128).optional(),
      /**
       * The JWE compact exactly as received (the gateway never decrypts it), or the JSON of a plain
       * ProtocolResponse; for `/notification/notify` the notification's JWS, for the subscription
       * workflow (`/notification/subscribe`, `/notification/on_subscribe`) its plain JSON.
       */
      payload: z.string().min(1).max(10 * 1024 * 1024),
      /** Absent = `jwe` (`{"payload": ...}` is posted, also a notification's JWS); `protocol_response` = the JSON is posted as is (on_* errors/redirects, subscription messages). */
      format: z.enum(['jwe', 'protocol_response']).optional(),
      acceptedAt: z.string().datetime({ offset: true }),
    })
    .strict(),
);
