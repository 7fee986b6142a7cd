/** Input that could be read but is not valid (a message that is not JSON): one line, exit status 65. */
export class DataError extends Error {
  override readonly name = "DataError";
}
