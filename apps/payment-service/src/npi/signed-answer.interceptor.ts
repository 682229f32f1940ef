import { Inject, Injectable } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { mergeMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { NpiResponseSigner } from './signing';
import { NPI_SIGNER } from '../tokens';

/** Header carrying NPI's signature over the exact bytes of a data answer's body. */
export const ANSWER_SIGNATURE_HEADER = 'X-NPI-Token';

/**
 * Signs every data answer of an NPI API (lists, details, reports, transaction answers): the body is
 * serialised here once, signed SHA256withRSA with NPI's key over exactly those UTF-8 bytes, the
 * base64 signature goes into `X-NPI-Token`, and those same bytes are sent. A header keeps NCHL's
 * answer shapes unchanged (several are bare JSON arrays with no place for a `token` field).
 * Members verify with NPI's certificate (`GET /api/npi-certificate`), e.g.
 * `openssl dgst -sha256 -verify npi.pub -signature answer.sig answer.json`.
 */
@Injectable()
export class SignedAnswerInterceptor implements NestInterceptor {
  constructor(@Inject(NPI_SIGNER) private readonly signer: NpiResponseSigner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        if (body === undefined || response.headersSent) return body;
        const json = JSON.stringify(body);
        const signature = await this.signer.signBytes(Buffer.from(json, 'utf8'));
        response.setHeader('Content-Type', 'application/json; charset=utf-8');
        response.setHeader(ANSWER_SIGNATURE_HEADER, signature);
        return json;
      }),
    );
  }
}
