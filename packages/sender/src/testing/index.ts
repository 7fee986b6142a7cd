export * from "./firefox-push-server/index.ts";
