import { amountNumber, groupedAmount, javaDateString, maskAccount, nchlDate, nchlLocalDateTime, nchlTimestamp } from './nchl-format';

describe('NCHL value formats', () => {
  const at = new Date('2023-09-17T04:11:06.123Z');
  it('prints timestamps as NCHL samples do', () => {
    expect(nchlTimestamp(at)).toBe('2023-09-17T04:11:06.123+0000');
    expect(javaDateString(at, 'Asia/Kathmandu')).toBe('Sun Sep 17 09:56:06 NPT 2023');
    expect(javaDateString(at, 'Europe/Berlin')).toBe('Sun Sep 17 04:11:06 UTC 2023');
    expect(nchlLocalDateTime(at, 'Asia/Kathmandu')).toBe('2023-09-17 09:56:06');
    expect(nchlDate(new Date('2023-09-16T18:20:00Z'), 'Asia/Kathmandu')).toBe('2023-09-17');
  });
  it('masks accounts, groups amounts and makes numbers', () => {
    expect(maskAccount('2810012341564')).toBe('28*******1564');
    expect(maskAccount('12345')).toBe('***45');
    expect(groupedAmount('200000000.00')).toBe('200,000,000.00');
    expect(groupedAmount('500.5')).toBe('500.50');
    expect(amountNumber('1500.00')).toBe(1500);
    expect(amountNumber('10.25')).toBe(10.25);
    expect(amountNumber(null)).toBeNull();
  });
});
