import { describe, expect, it } from "vitest";
import { planEndpointMove } from "./endpoint-move.ts";

const A = "https://push.example.net/a";
const B = "https://push.example.net/b";

describe("planEndpointMove", () => {
  it.each([
    {
      when: "a new session id puts a new endpoint: nothing to delete",
      put: ["s1", A],
      now: { holder: undefined, previousEndpoint: undefined },
      move: { evict: undefined, release: undefined },
    },
    {
      when: "another session id holds the endpoint: its row is evicted",
      put: ["s2", A],
      now: { holder: "s1", previousEndpoint: undefined },
      move: { evict: "s1", release: undefined },
    },
    {
      when: "the session id changes endpoint: its old one is released",
      put: ["s1", B],
      now: { holder: undefined, previousEndpoint: A },
      move: { evict: undefined, release: A },
    },
    {
      when: "both at once",
      put: ["s2", A],
      now: { holder: "s1", previousEndpoint: B },
      move: { evict: "s1", release: B },
    },
    {
      when: "the holder puts its endpoint again: nothing to delete",
      put: ["s1", A],
      now: { holder: "s1", previousEndpoint: A },
      move: { evict: undefined, release: undefined },
    },
  ] as const)("$when", ({ put, now, move }) => {
    expect(planEndpointMove(put[0], put[1], now)).toEqual(move);
  });
});
