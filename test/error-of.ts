/**
 * The message of the error `fn` throws: an `Error`, never a `TypeError` (JavaScript and jsii callers
 * get no compile-time types, so bad input must meet the library's own checks). Fails the test when
 * `fn` throws nothing.
 */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(TypeError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
