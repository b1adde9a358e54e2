import { DatasetError } from '../errors/dataset.error';
import { isPermanentMlError } from '../errors/permanent-ml.error';
import { TransformInputError } from '../errors/transform-input.error';
import { rehydrateError, serializeError } from './serialized-error';

// What crosses the thread boundary is a structured clone of the serialized form.
const roundTrip = (error: unknown) => rehydrateError(structuredClone(serializeError(error)));

describe('serializeError / rehydrateError', () => {
  it('brings a domain error back as its class with message, fields and stack', () => {
    const original = new TransformInputError('numeric feature "x" is "a" at row 2: expected a finite number', 'x', 2);
    const copy = roundTrip(original);
    expect(copy).toBeInstanceOf(TransformInputError);
    expect(copy).toMatchObject({ name: 'TransformInputError', message: original.message, feature: 'x', row: 2 });
    expect(copy.stack).toBe(original.stack);
    expect(isPermanentMlError(copy)).toBe(true);
  });

  it('keeps a DatasetError distinguishable from other errors', () => {
    expect(roundTrip(new DatasetError('bad csv'))).toBeInstanceOf(DatasetError);
    expect(isPermanentMlError(roundTrip(new Error('disk on fire')))).toBe(false);
  });

  it('keeps the name of an error class it does not know', () => {
    class EngineMeltdownError extends Error {
      override readonly name = 'EngineMeltdownError';
    }
    const copy = roundTrip(new EngineMeltdownError('boom'));
    expect(copy).toBeInstanceOf(Error);
    expect(copy).toMatchObject({ name: 'EngineMeltdownError', message: 'boom' });
    expect(String(copy)).toBe('EngineMeltdownError: boom');
  });

  it('describes a thrown non-Error value', () => {
    expect(roundTrip('just a string').message).toBe('non-Error value thrown: just a string');
  });
});
