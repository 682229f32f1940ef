import { nameMatchPercentage } from './details.service';

describe('nameMatchPercentage', () => {
  it('is 100 for the same name in another case or spacing', () => {
    expect(nameMatchPercentage('MANISHA DHAUBANJAR', 'Manisha  Dhaubanjar')).toBe(100);
  });
  it('is high for a small typo and low for another name', () => {
    expect(nameMatchPercentage('MANISHA DHAUBANJAR', 'MANISA DHAUBANJAR')).toBeGreaterThan(80);
    expect(nameMatchPercentage('MANISHA DHAUBANJAR', 'RAM BAHADUR THAPA')).toBeLessThan(40);
  });
});
