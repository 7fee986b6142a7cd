export {
  type FakePushService,
  type FakePushServiceOptions,
  type IssuedSubscription,
  type ReceivedMessage,
  type ScriptedAnswer,
  type ScriptedRequest,
  startFakePushService,
} from "./fake-push-service.ts";
export * from "./firefox-push-server/index.ts";
export { TEST_CERTIFICATE, TEST_CERTIFICATE_KEY } from "./test-certificate.ts";
