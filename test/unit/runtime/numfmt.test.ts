import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floatRepr, intText, toExpPy, toFixedPy, toGeneralPy } from '../../../core/src/jinja/runtime/numfmt.ts';
import { fixture } from './helpers.ts';

test('float repr matches CPython for 300+ doubles (bit-exact inputs)', () => {
  const rows = fixture<[string, string][]>('floats.json');
  for (const [hex, want] of rows) {
    const x = Buffer.from(hex, 'hex').readDoubleBE(0);
    assert.equal(floatRepr(x), want, hex);
  }
});

test('special floats and ints', () => {
  assert.equal(floatRepr(Infinity), 'inf');
  assert.equal(floatRepr(-Infinity), '-inf');
  assert.equal(floatRepr(NaN), 'nan');
  assert.equal(floatRepr(-0), '-0.0');
  assert.equal(intText(1e21), '1000000000000000000000');
  assert.equal(intText(-0), '0');
});

test('exact-value rounding, half to even like CPython', () => {
  const cases: [string, string][] = [
    [toFixedPy(0.5, 0), '0'],
    [toFixedPy(1.5, 0), '2'],
    [toFixedPy(2.5, 0), '2'],
    [toFixedPy(0.125, 2), '0.12'],
    [toFixedPy(0.375, 2), '0.38'],
    [toFixedPy(1.005, 2), '1.00'],
    [toFixedPy(2.675, 2), '2.67'],
    [toFixedPy(0.05, 1), '0.1'],
    [toFixedPy(1e22, 1), '10000000000000000000000.0'],
    [toFixedPy(5e-324, 3), '0.000'],
    [toFixedPy(0.096, 2), '0.10'],
    [toExpPy(12345.678, 6), '1.234568e+04'],
    [toExpPy(0, 2), '0.00e+00'],
    [toExpPy(9.9999, 2), '1.00e+01'],
    [toGeneralPy(1e-5, 6), '1e-05'],
    [toGeneralPy(123456, 6), '123456'],
    [toGeneralPy(1234567, 6), '1.23457e+06'],
    [toGeneralPy(1.5, 6, false, true), '1.50000'],
    [toGeneralPy(255, 3, false, true), '255.'],
  ];
  for (const [got, want] of cases) assert.equal(got, want);
});
