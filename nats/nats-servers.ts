/** The servers in a `--nats` value: one address or a comma-separated list of seeds
 *  (`nats://a:4222,nats://b:4222`). The client learns the rest of the cluster from them. */
export function natsServers(url: string): string[] {
  return url.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
