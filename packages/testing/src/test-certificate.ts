// FOR TESTS ONLY. A self-signed certificate (CN=localhost, SAN IP:127.0.0.1 and
// DNS:localhost, P-256, valid until 2126) and its private key, committed on purpose so the fake
// push service can speak HTTPS without any setup. The private key is public: never use this
// pair for anything but local tests. Generated once with:
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 36500 -nodes \
//     -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost"

/**
 * PEM of the fake push service's self-signed certificate. Trust it in the client under test
 * (`createSender({ ca: TEST_CERTIFICATE })`, or `NODE_EXTRA_CA_CERTS` for other clients).
 * For tests only.
 *
 * @example
 * ```ts
 * import { TEST_CERTIFICATE } from "@swp/testing"
 * const sender = createSender({ vapid, ca: TEST_CERTIFICATE, allowHosts: ["127.0.0.1"] })
 * ```
 */
export const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUWLLm3Abwh1ahLGm4ujpdkE0Rpn8wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNzE2MjkwNloYDzIxMjYxMTAz
MTYyOTA2WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARZVb/+92LBKp764KHsERp4G9efQ7GvvaJ07B6ndcaFW19zJLihQYzC
ImRKtweK6ZEdEmN+5jG1zbcU7qlV9jjio28wbTAdBgNVHQ4EFgQUXrnnfQnekI6M
KqeDZJNaXsU+Ev0wHwYDVR0jBBgwFoAUXrnnfQnekI6MKqeDZJNaXsU+Ev0wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhANEPytFKSSDgNNC+UZnVCdqDztEAwl/D+1/twXmpARIaAiA6
vI/W6weGWZCPkY25AMFskaq+Bs3tnoyom8VcilYsDg==
-----END CERTIFICATE-----
`;

/**
 * PEM of the private key of {@link TEST_CERTIFICATE}. It is published in this package, so it
 * protects nothing: for local tests only.
 *
 * @example
 * ```ts
 * https.createServer({ key: TEST_CERTIFICATE_KEY, cert: TEST_CERTIFICATE }, handler)
 * ```
 */
export const TEST_CERTIFICATE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrCXAqL6LNUWN1id0
RMNXJ233Zr7W5Jizj1U79AilKI6hRANCAARZVb/+92LBKp764KHsERp4G9efQ7Gv
vaJ07B6ndcaFW19zJLihQYzCImRKtweK6ZEdEmN+5jG1zbcU7qlV9jji
-----END PRIVATE KEY-----
`;
