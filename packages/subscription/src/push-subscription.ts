/**
 * A browser's push subscription, as `PushSubscription.toJSON()` produces it (W3C Push API;
 * RFC 8291 section 2 for the keys): what a page posts to the server and what a store keeps.
 *
 * @example
 * ```ts
 * const subscription: PushSubscription = {
 *   endpoint: "https://fcm.googleapis.com/fcm/send/abc…",
 *   keys: { p256dh: "BNcR…", auth: "tBHI…" },
 * }
 * ```
 */
export interface PushSubscription {
  /** Absolute URL of the push resource (RFC 8030 section 5). */
  endpoint: string;
  keys: {
    /** The user agent's P-256 public key, 65 bytes uncompressed, base64url. */
    p256dh: string;
    /** The 16-byte authentication secret, base64url. */
    auth: string;
  };
  /** When the subscription expires (ms since the epoch), or null/absent when unknown. */
  expirationTime?: number | null;
}

declare const canonical: unique symbol;

/**
 * A subscription as {@link parseSubscription} returns it: checked, frozen, and in one
 * canonical form, so that equal subscriptions are equal strings:
 *
 * - `endpoint` is the URL as the WHATWG URL parser serialises it (`new URL(endpoint).href`:
 *   lower-case scheme and host, default port dropped, percent-encoding normalised);
 * - `keys.p256dh` and `keys.auth` are unpadded base64url (RFC 4648 section 5), whatever
 *   alphabet or padding the input used;
 * - unknown fields are dropped; `expirationTime` is kept when given.
 *
 * It is a plain `PushSubscription` for JSON, stores and `structuredClone`; the brand only
 * records (for TypeScript) that it went through the parser. `toPushTarget` returns its
 * decoded keys and parsed URL without parsing again.
 *
 * @example
 * ```ts
 * const subscription: CanonicalSubscription = parseSubscription(body)
 * await db.save(subscription.endpoint, JSON.stringify(subscription))
 * ```
 */
export type CanonicalSubscription = {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly expirationTime?: number | null;
} & { readonly [canonical]: true };

/**
 * A subscription decoded for sending one message: the endpoint (canonical string and parsed
 * URL) and the key bytes that the encryption takes (RFC 8291 section 3). Shared, not copied:
 * treat every field as read-only.
 *
 * @example
 * ```ts
 * const { url, uaPublic, authSecret } = toPushTarget(subscription)
 * const { body, headers } = await encrypt(payload, { uaPublic, authSecret })
 * ```
 */
export interface PushTarget {
  /** The canonical endpoint (`url.href`). */
  readonly endpoint: string;
  /** The endpoint, parsed once. Do not mutate it: it is shared by every send. */
  readonly url: URL;
  /** `keys.p256dh` decoded: 65 bytes starting with 0x04. */
  readonly uaPublic: Uint8Array;
  /** `keys.auth` decoded: 16 bytes. */
  readonly authSecret: Uint8Array;
}
