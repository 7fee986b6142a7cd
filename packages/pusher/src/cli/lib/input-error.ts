/** An input file that cannot be read: one line on standard error and exit status 66. */
export class InputError extends Error {
  override readonly name = "InputError";
}
