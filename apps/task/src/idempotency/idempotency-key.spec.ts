import { InvalidRequestError } from '@platform/errors';
import { idempotencyKey } from './idempotency-key';

describe(idempotencyKey.name, () => {
  it.each([
    [undefined, undefined],
    ['deploy-42', 'deploy-42'],
    ['0b7e3c52-4a0f-4f8e-9a6b-3c1d2e4f5a6b', '0b7e3c52-4a0f-4f8e-9a6b-3c1d2e4f5a6b'],
    ['01HZX3K5Q9W8E7R6T5Y4U3I2O1', '01HZX3K5Q9W8E7R6T5Y4U3I2O1'],
    ['!~', '!~'],
    ['k'.repeat(255), 'k'.repeat(255)],
    // A repeated header: the first one counts.
    [['first', 'second'], 'first'],
  ])('reads the header %j as the key %j', (header, key) => {
    expect(idempotencyKey(header)).toBe(key);
  });

  it.each([[''], ['k'.repeat(256)], ['two words'], ['tab\there'], ['line\nbreak'], ['clé'], [[]]])(
    'refuses the header %j',
    (header) => {
      expect(() => idempotencyKey(header)).toThrow(InvalidRequestError);
      expect(() => idempotencyKey(header)).toThrow(
        'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID works)',
      );
    },
  );
});
