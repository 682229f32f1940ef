import { HcxError } from '../errors';
import { hcxAnswerOf } from '../hcx-errors.filter';
import { hcxProtocolBody } from '../hcx.contracts';
import { HcxRegistryDeleteRequestDto, HcxRegistrySearchRequestDto } from './registry-api.contracts';

function refusal(run: () => unknown): HcxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HcxError);
    return error as HcxError;
  }
  throw new Error('not refused');
}

describe('HCX registry API bodies (400 ERR_INVALID_REQUEST)', () => {
  const asBody = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as never });

  it('lists each failed field, the whole body named "body"', () => {
    const error = refusal(() => hcxProtocolBody().transform({ participant_code: 'x', extra: 1 }, asBody(HcxRegistryDeleteRequestDto)));
    expect(hcxAnswerOf(error)).toEqual({ code: 'ERR_INVALID_REQUEST', status: 400 });
    expect(error.message).toBe("participant_code: participant_code: 3-128 of A-Z a-z 0-9 . _ @ : -; body: Unrecognized key(s) in object: 'extra'");
    expect(refusal(() => hcxProtocolBody().transform(undefined, asBody(HcxRegistryDeleteRequestDto))).message).toBe('body: Required');
  });

  it('reads a missing search body as {} (every participant, first page)', () => {
    expect(hcxProtocolBody({ optional: true }).transform(undefined, asBody(HcxRegistrySearchRequestDto))).toEqual({ filters: {}, limit: 50, offset: 0 });
  });
});
