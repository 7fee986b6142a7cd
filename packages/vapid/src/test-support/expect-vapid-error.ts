// Asserts that a call fails with a VapidError of `code` (sync throw or rejection).

import { isSwpError } from "@swp/subscription";
import { expect } from "vitest";
import { VapidError, type VapidErrorCode } from "../errors.ts";

export async function expectVapidError(
  run: () => unknown,
  code: VapidErrorCode,
  message?: RegExp,
): Promise<VapidError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(VapidError);
  const error = caught as VapidError;
  expect(isSwpError(error)).toBe(true);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}
