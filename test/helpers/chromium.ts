import { chromium, type Browser } from 'playwright-core';

/** Debian's headless Chromium with the flags this closed network needs (no background fetches, no sandbox as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Node config for the demo page: demo on, anonymous visitors may connect, subscribe and publish. */
export const demoPageConfig = {
  ringcast: { demo: { enabled: true } },
  client: { allow_anonymous_connect_without_token: true, allowed_origins: ['http://127.0.0.1:*'] },
  channel: {
    without_namespace: {
      allow_subscribe_for_client: true,
      allow_subscribe_for_anonymous: true,
      allow_publish_for_subscriber: true,
      allow_publish_for_anonymous: true,
    },
  },
};
