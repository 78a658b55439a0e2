// A NATS link knows when it hears not even itself: its socket can die without a word (a cable
// cut), which the client's own pings find out only after 10-15 s, while the cluster counts a
// process gone after 3 s of silence. Frozen server (SIGSTOP: the connection stays open, nothing
// is answered): the link is deaf within DEAF_AFTER_MS, and says when it hears again. Memberships
// count no one gone while deaf (test/netns-lab.test.ts cuts a gateway from NATS for real).
// Without nats-server this skips locally (with the reason) and fails under CI=true.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { NatsLink } from '../nats/nats-connection.js';
import { DEAF_AFTER_MS } from '../nats/self-echo.js';
import { silentLogger } from '../support/logger.js';

describeWithNats('link deafness', () => {
  let nats: TestNatsServer;
  let link: NatsLink;
  beforeAll(async () => {
    nats = await startNatsServer();
    link = await NatsLink.connect(nats.url, { name: 'deaf', log: silentLogger() });
  });
  afterAll(async () => {
    nats?.thaw();
    await link?.close();
    await nats?.cleanup();
  });

  it('deafness - a link whose server stops answering is deaf within the bound, and says when it hears again', async () => {
    await waitUntil(() => link.echoHeard && link.hearsItself(), 5_000, () => 'the link never heard itself');
    const heard: number[] = [];
    link.onHearingAgain((ms) => heard.push(ms));
    await nats.freeze();
    const frozenAt = Date.now();
    await waitUntil(() => !link.hearsItself(), DEAF_AFTER_MS + 2_000, () => 'the link still hears itself with its server frozen');
    expect(Date.now() - frozenAt).toBeLessThan(DEAF_AFTER_MS + 2_000);
    expect(link.isUp).toBe(true); // the client itself has not noticed: that is the point
    nats.thaw();
    await waitUntil(() => heard.length > 0, 10_000, () => 'the link never said it hears again');
    expect(link.hearsItself()).toBe(true);
    expect(heard[0]).toBeGreaterThanOrEqual(DEAF_AFTER_MS);
  }, 30_000);
});
