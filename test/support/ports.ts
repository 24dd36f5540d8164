import * as fs from 'fs';
import * as net from 'net';

/** The kernel's range for outgoing connections' own ports (Linux's default where it cannot be read). */
function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo > 0 && hi >= lo) return [lo, hi];
  } catch { /* not Linux */ }
  return [32768, 60999];
}

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A free port on 127.0.0.1 that no outgoing connection is given as its own. A port from `listen(0)` lies in
 * the ephemeral range, where a client that connects before the server listens can be handed that very port
 * and connect to itself, or take it from the server that was about to bind it.
 */
export async function portOutsideEphemeralRange(): Promise<number> {
  const [lo] = ephemeralRange();
  const base = Math.max(1024, lo - 10_000);
  for (let i = 0; i < 100; i++) {
    const port = base + Math.floor(Math.random() * (lo - base));
    if (await free(port)) return port;
  }
  throw new Error(`no free port between ${base} and ${lo}`);
}
