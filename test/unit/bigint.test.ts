// Arguments may carry integers beyond 2^53 (IDs, large thresholds): they stay exact when
// printed, bound, compared and in integer arithmetic, as Python keeps them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString, parseArguments } from '../../core/src/jinja/index.ts';

const BIG = '123456789012345678901';
const render = (t: string, jinjasql = false) => {
  const r = renderString(t, parseArguments(`{"n": ${BIG}, "m": 9007199254740993, "small": 5}`), { jinjasql });
  assert.equal(r.error, null, r.error?.message);
  return r.output;
};

const cases: [string, string][] = [
  ['{{ n }}', BIG],
  ['{{ m }}', '9007199254740993'],
  ['{{ n + 1 }}', '123456789012345678902'],
  ['{{ n * 2 - n }}', BIG],
  ['{{ n // 10 }}|{{ n % 10 }}|{{ -n // 10 }}|{{ -n % 10 }}', '12345678901234567890|1|-12345678901234567891|9'],
  ['{{ n > small }}|{{ n == n }}|{{ m == 9007199254740992 }}', 'True|True|False'],
  ['{{ [n] }}|{{ n | string }}|{{ n | int }}', `[${BIG}]|${BIG}|${BIG}`],
  ['{{ n / 1 }}', '1.2345678901234568e+20'],
  ['{{ n - n + small }}', '5'],
];

for (const [template, expected] of cases) {
  test(`big integers: ${template}`, () => assert.equal(render(template), expected));
}

test('big integers: bound values are inlined exactly', () => {
  assert.equal(render('WHERE id = {{ n }}', true), `WHERE id = ${BIG}`);
});
